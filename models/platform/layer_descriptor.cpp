#include "models/platform/layer_descriptor.h"

#include <algorithm>
#include <cstdio>

#include "models/common/error.h"

namespace eyeriss {
namespace {

void put(uint8_t* b, int word, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[word * 8 + i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t get(const uint8_t* b, int word) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(b[word * 8 + i]) << (8 * i);
  return v;
}

}  // namespace

std::array<uint8_t, LayerDescriptor::kBytes> LayerDescriptor::encode() const {
  std::array<uint8_t, kBytes> b{};
  const Layer& l = layer;
  const uint64_t type = l.type == LayerType::Conv ? 0 : l.type == LayerType::Depthwise ? 1 : 2;
  const uint64_t w[kWords] = {kMagic,
                              type,
                              uint64_t(l.N),
                              uint64_t(l.C),
                              uint64_t(l.M),
                              uint64_t(l.G),
                              uint64_t(l.H),
                              uint64_t(l.W),
                              uint64_t(l.R),
                              uint64_t(l.S),
                              uint64_t(l.stride),
                              uint64_t(l.pad),
                              uint64_t(l.shift),
                              iacts_signed ? 1u : 0u,
                              iact_addr,
                              weight_addr,
                              psum_addr,
                              oact_addr};
  for (int i = 0; i < kWords; ++i) put(b.data(), i, w[i]);
  return b;
}

LayerDescriptor LayerDescriptor::decode(const uint8_t* b, uint64_t addr) {
  const std::string where = "layer descriptor at 0x" + [&] {
    char s[32];
    std::snprintf(s, sizeof s, "%llx", static_cast<unsigned long long>(addr));
    return std::string(s);
  }();
  if (get(b, 0) != kMagic) throw InputError(where + ": wrong magic (expected \"EYV2LAYR\")");
  LayerDescriptor d;
  Layer& l = d.layer;
  l.name = "layer";
  const uint64_t type = get(b, 1);
  if (type > 2) throw InputError(where + ": type must be 0 (conv), 1 (depthwise) or 2 (fc)");
  l.type = type == 0 ? LayerType::Conv : type == 1 ? LayerType::Depthwise : LayerType::FC;
  int* fields[] = {&l.N, &l.C, &l.M, &l.G, &l.H, &l.W, &l.R, &l.S, &l.stride, &l.pad, &l.shift};
  const char* names[] = {"N", "C", "M", "G", "H", "W", "R", "S", "stride", "pad", "shift"};
  // Each field below 2^16 keeps every shape product in 64 bits and E(), F() in int.
  for (int i = 0; i < 11; ++i) {
    const uint64_t v = get(b, 2 + i);
    if (v >= kMaxField)
      throw InputError(where + ": " + names[i] + " is out of range (must be below " +
                       std::to_string(kMaxField) + ")");
    *fields[i] = static_cast<int>(v);
  }
  const uint64_t s = get(b, 13);
  if (s > 1) throw InputError(where + ": iacts signed must be 0 or 1");
  d.iacts_signed = s == 1;
  d.iact_addr = get(b, 14);
  d.weight_addr = get(b, 15);
  d.psum_addr = get(b, 16);
  d.oact_addr = get(b, 17);
  try {
    l.validate();
  } catch (const InputError& e) {
    throw InputError(where + ": " + e.what());
  }
  const uint64_t largest = std::max({d.iact_bytes(), d.weight_bytes(), 4 * d.output_count()});
  if (largest > kMaxTensorBytes)
    throw InputError(where + ": a tensor of " + std::to_string(largest) +
                     " bytes is larger than the chip interface's limit of " +
                     std::to_string(kMaxTensorBytes) + " bytes");
  return d;
}

uint64_t LayerDescriptor::iact_bytes() const {
  return uint64_t(layer.N) * layer.C * layer.H * layer.W;
}
uint64_t LayerDescriptor::weight_bytes() const {
  return uint64_t(layer.M) * layer.Cg() * layer.R * layer.S;
}
uint64_t LayerDescriptor::output_count() const {
  return uint64_t(layer.N) * layer.M * layer.E() * layer.F();
}

}  // namespace eyeriss
