// Fixed-point arithmetic of the datapath: psum wrap-around and output requantization.
#pragma once
#include <algorithm>
#include <cstdint>

namespace eyeriss {

// Two's complement wrap of v to `bits` bits, sign-extended back to int32. The hardware psum
// adders wrap; wrap-around is order independent, so any mapping gives the same result.
inline int32_t wrap_psum(int64_t v, int bits) {
  const uint64_t mask = (bits >= 64) ? ~0ULL : ((1ULL << bits) - 1);
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if (bits < 64 && (u >> (bits - 1)) & 1ULL) u |= ~mask;
  return static_cast<int32_t>(static_cast<int64_t>(u));
}

// oact = clamp(max(psum, 0) >> shift, 0, 255).
inline uint8_t requantize(int32_t psum, int shift) {
  int64_t v = std::max<int64_t>(psum, 0) >> shift;
  return static_cast<uint8_t>(std::clamp<int64_t>(v, 0, 255));
}

}  // namespace eyeriss
