// The layer descriptor a platform's CPU writes into memory for the chip (docs/platform.md):
// the layer's shape and where its tensors live. Little-endian 64-bit words, kWords of them:
//   0 magic "EYV2LAYR"   1 type (0 conv, 1 depthwise, 2 fc)   2 N  3 C  4 M  5 G  6 H  7 W
//   8 R  9 S  10 stride  11 pad  12 shift  13 iacts signed (0/1)
//   14 iact address  15 weight address  16 psum address  17 oact address
// Tensors in memory: iacts [N][C][H][W] one byte each (uint8, or int8 when signed); weights
// [M][C/G][R][S] int8; outputs [N][M][E][F], psums int32 little-endian and oacts uint8.
// Pure C++.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "models/common/layer.h"

namespace eyeriss {

struct LayerDescriptor {
  static constexpr uint64_t kMagic = 0x5259414c32565945ull;  // the bytes "EYV2LAYR"
  static constexpr int kWords = 18;
  static constexpr int kBytes = kWords * 8;
  static constexpr uint64_t kMaxField = uint64_t(1) << 16;              // each shape field
  static constexpr uint64_t kMaxTensorBytes = (uint64_t(1) << 31) - 1;  // one bus transfer

  Layer layer;
  bool iacts_signed = false;
  uint64_t iact_addr = 0, weight_addr = 0, psum_addr = 0, oact_addr = 0;

  std::array<uint8_t, kBytes> encode() const;
  // Throws InputError ("layer descriptor at ADDR: ...") for a wrong magic, an unknown type, a
  // field of 2^16 or more, an impossible shape, or a tensor larger than kMaxTensorBytes.
  static LayerDescriptor decode(const uint8_t* bytes, uint64_t addr);

  // Bytes of each tensor in memory.
  uint64_t iact_bytes() const;
  uint64_t weight_bytes() const;
  uint64_t output_count() const;  // psums (4 bytes each) and oacts (1 byte each)
};

}  // namespace eyeriss
