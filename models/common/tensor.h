// A dense, row-major tensor of up to 4 dimensions. Layouts used by the project:
// weights [M][C/G][R][S], iacts [N][C][H][W], psums and oacts [N][M][E][F].
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace eyeriss {

template <typename T>
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::vector<int> shape, T fill = T{}) : shape_(std::move(shape)) {
    std::size_t n = 1;
    for (int d : shape_) {
      if (d < 0) throw std::invalid_argument("Tensor: negative dimension");
      n *= static_cast<std::size_t>(d);
    }
    data_.assign(n, fill);
  }

  const std::vector<int>& shape() const { return shape_; }
  int dim(std::size_t i) const { return shape_.at(i); }
  std::size_t rank() const { return shape_.size(); }
  std::size_t size() const { return data_.size(); }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  std::vector<T>& values() { return data_; }
  const std::vector<T>& values() const { return data_; }

  // 4-D access (the common case); tensors of lower rank are padded with leading 1s by callers.
  T& at(int a, int b, int c, int d) { return data_[offset(a, b, c, d)]; }
  const T& at(int a, int b, int c, int d) const { return data_[offset(a, b, c, d)]; }

  std::size_t offset(int a, int b, int c, int d) const {
    return ((static_cast<std::size_t>(a) * shape_[1] + b) * shape_[2] + c) * shape_[3] + d;
  }

  bool operator==(const Tensor& o) const { return shape_ == o.shape_ && data_ == o.data_; }

 private:
  std::vector<int> shape_;
  std::vector<T> data_;
};

using Int8Tensor = Tensor<int8_t>;
using Uint8Tensor = Tensor<uint8_t>;
using Int32Tensor = Tensor<int32_t>;

// The activations the model moves around: 8-bit values that are either signed or unsigned.
// Stored widened to int16 so one type serves both; `is_signed` records which.
struct ActTensor {
  Tensor<int16_t> t;
  bool is_signed = false;
};

// Fraction of nonzero values (0 for an empty tensor): weight and iact densities.
template <typename T>
double nonzero_fraction(const Tensor<T>& t) {
  std::size_t nz = 0;
  for (const T& x : t.values()) nz += x != 0;
  return t.size() ? double(nz) / t.size() : 0;
}

inline std::string shape_str(const std::vector<int>& s) {
  std::string r = "[";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

}  // namespace eyeriss
