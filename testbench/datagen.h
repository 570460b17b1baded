// Deterministic synthetic data. A seed gives the same bits on every platform and standard
// library (own PRNG and integer sampling; std:: distributions differ between libraries), so a
// failing run can be reproduced anywhere.
#pragma once
#include <cstdint>
#include <vector>

#include "models/common/layer.h"
#include "models/common/tensor.h"

namespace eyeriss {

// splitmix64 (Steele, Lea and Flood 2014): small, fast, statistically good, fully specified.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n >= 1, without modulo bias (Lemire's multiply-and-reject).
  uint64_t below(uint64_t n);

 private:
  uint64_t state_;
};

// Stream ids for derive_seed, so weights and iacts of one layer are independent.
constexpr int kWeightStream = 0;
constexpr int kIactStream = 1;

// Weights [M][C/G][R][S]: exactly round(density * size) nonzeros (halves round away from zero)
// at uniformly random positions, values uniform in [wmin, wmax] without 0. The range must lie
// within int8 and hold a nonzero value; density in [0, 1]. Else std::invalid_argument.
Int8Tensor generate_weights(const Layer& l, double density, int wmin, int wmax, uint64_t seed);

// Iacts of `shape` [N][C][H][W]: exactly round(density * size) nonzeros at random positions,
// values uniform in [1, 255] (unsigned) or [-128, 127] without 0 (signed).
ActTensor generate_iacts(const std::vector<int>& shape, double density, bool is_signed,
                         uint64_t seed);

// A seed for one (network seed, layer, stream), unrelated to its neighbours' seeds.
uint64_t derive_seed(uint64_t seed, int layer_index, int stream);

}  // namespace eyeriss
