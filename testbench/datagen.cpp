#include "testbench/datagen.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace eyeriss {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("datagen: " + what); }

// High 64 bits of a * b. The 32-bit-halves fallback gives the same bits where unsigned
// __int128 is missing.
uint64_t mul_hi(uint64_t a, uint64_t b) {
#ifdef __SIZEOF_INT128__
  return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
#else
  const uint64_t a_lo = a & 0xFFFFFFFFULL, a_hi = a >> 32;
  const uint64_t b_lo = b & 0xFFFFFFFFULL, b_hi = b >> 32;
  const uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
  const uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFULL) + (hl & 0xFFFFFFFFULL);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

// The splitmix64 output function: a bijective 64-bit mixer.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::size_t nonzero_count(double density, std::size_t size) {
  if (!(density >= 0.0 && density <= 1.0))  // also rejects NaN
    fail("density " + std::to_string(density) + " is outside [0, 1]");
  return static_cast<std::size_t>(std::llround(density * static_cast<double>(size)));
}

// Places exactly `count` nonzeros uniformly in `data` (selection sampling, Knuth's Algorithm S:
// one pass, no index array, so 38M-element FC weights need no extra memory). Values are uniform
// over [lo, hi] without 0; the caller guarantees the range holds a nonzero.
template <typename T>
void fill_sparse(std::vector<T>& data, std::size_t count, int lo, int hi, SplitMix64& rng) {
  const bool has_zero = lo <= 0 && hi >= 0;
  const uint64_t choices = static_cast<uint64_t>(hi - lo + 1) - (has_zero ? 1 : 0);
  std::size_t left = count;
  const std::size_t size = data.size();
  for (std::size_t i = 0; i < size && left > 0; ++i) {
    // Once every remaining slot must be taken, skip the draw (density 1 draws only values).
    if (left < size - i && rng.below(size - i) >= left) continue;
    --left;
    int v = lo + static_cast<int>(rng.below(choices));
    if (has_zero && v >= 0) ++v;  // skip 0: shift the non-negative half up by one
    data[i] = static_cast<T>(v);
  }
}

}  // namespace

uint64_t SplitMix64::below(uint64_t n) {
  uint64_t x = next();
  uint64_t low = x * n;
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n: the biased low values
    while (low < threshold) {
      x = next();
      low = x * n;
    }
  }
  return mul_hi(x, n);
}

Int8Tensor generate_weights(const Layer& l, double density, int wmin, int wmax, uint64_t seed) {
  if (wmin > wmax)
    fail("weight range [" + std::to_string(wmin) + ", " + std::to_string(wmax) + "] is empty");
  if (wmin < -128 || wmax > 127)
    fail("weight range [" + std::to_string(wmin) + ", " + std::to_string(wmax) +
         "] is outside int8");
  if (wmin == 0 && wmax == 0) fail("weight range [0, 0] holds no nonzero value");
  if (l.M < 1 || l.C < 1 || l.G < 1 || l.R < 1 || l.S < 1 || l.C % l.G != 0)
    fail("layer '" + l.name + "' has an impossible weight shape");
  Int8Tensor w({l.M, l.Cg(), l.R, l.S});
  const std::size_t count = nonzero_count(density, w.size());
  SplitMix64 rng(seed);
  fill_sparse(w.values(), count, wmin, wmax, rng);
  return w;
}

ActTensor generate_iacts(const std::vector<int>& shape, double density, bool is_signed,
                         uint64_t seed) {
  if (shape.size() != 4) fail("iact shape " + shape_str(shape) + " is not [N][C][H][W]");
  ActTensor a;
  a.is_signed = is_signed;
  a.t = Tensor<int16_t>(shape);
  const std::size_t count = nonzero_count(density, a.t.size());
  SplitMix64 rng(seed);
  fill_sparse(a.t.values(), count, is_signed ? -128 : 1, is_signed ? 127 : 255, rng);
  return a;
}

uint64_t derive_seed(uint64_t seed, int layer_index, int stream) {
  // Mix after each input so (layer, stream) = (0, 1) and (1, 0) land far apart.
  uint64_t h = mix(seed + 0x9E3779B97F4A7C15ULL);
  h = mix(h ^ (static_cast<uint64_t>(static_cast<uint32_t>(layer_index)) + 0x632BE59BD9B4E019ULL));
  h = mix(h ^ (static_cast<uint64_t>(static_cast<uint32_t>(stream)) + 0x85157AF5ULL));
  return h;
}

}  // namespace eyeriss
