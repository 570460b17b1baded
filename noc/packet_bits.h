// Link bits of the packets the chip moves, in one place so the memories that send them and the
// controller that plans GLB space agree.
#pragma once
#include <cstdint>

#include "models/common/arch_config.h"
#include "models/common/csc.h"
#include "noc/link_format.h"

namespace eyeriss {

// An iact segment: `n` CSC entries (12 bits each plus one address entry) in sparse mode, or `n`
// raw 8-bit values in dense mode.
inline uint64_t iact_segment_bits(const ArchConfig& a, int n) {
  return a.sparse ? uint64_t(n) * (a.iact_bits + a.count_bits) + a.iact_addr.width_bits
                  : uint64_t(n) * a.iact_bits;
}

// A CSC weight block: whole weight-data words per column plus one address entry per column.
inline uint64_t weight_block_bits(const ArchConfig& a, const CscMatrix& w) {
  uint64_t words = 0;
  for (int k = 0; k < w.cols; ++k) words += (w.column_entries(k) + a.simd - 1) / a.simd;
  return words * a.weight_data.width_bits + uint64_t(w.cols) * a.weight_addr.width_bits;
}

// Field widths of the link formats (noc/link_format.h) for an architecture.
inline LinkFormat link_format(const ArchConfig& a) {
  LinkFormat f;
  f.count_bits = a.count_bits;
  f.value_bits = a.iact_bits;
  f.iact_addr_bits = a.iact_addr.width_bits;
  f.weight_addr_bits = a.weight_addr.width_bits;
  f.weight_word_bits = a.weight_data.width_bits;
  f.simd = a.simd;
  f.psum_bits = a.psum_bits;
  return f;
}

}  // namespace eyeriss
