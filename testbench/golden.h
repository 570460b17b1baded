// Golden reference: a plain host implementation of what the accelerator must compute (grouped
// convolution with wrapped psums, requantization, host-side pooling). It shares no arithmetic
// with the model (no quant.h) so that one bug cannot hide in both.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "models/common/layer.h"
#include "models/common/tensor.h"

namespace eyeriss::golden {

// Grouped convolution (covers conv, depthwise, pointwise and FC) of iacts [N][C][H][W] with
// weights [M][C/G][R][S], zero padding `l.pad`, stride `l.stride`. Returns psums [N][M][E][F]
// wrapped modulo 2^psum_bits (two's complement, sign-extended). psum_bits in [8, 32].
// Throws std::invalid_argument if the layer is inconsistent or a tensor does not match it.
Int32Tensor conv(const Layer& l, const ActTensor& iacts, const Int8Tensor& weights, int psum_bits);

// oact = clamp(max(psum, 0) >> shift, 0, 255), elementwise. shift in [0, 31].
Uint8Tensor requantize(const Int32Tensor& psums, int shift);

// Pooling of [N][C][H][W] with `p.pad` zeros on every side; output
// (H + 2 pad - size) / stride + 1 per side. Max ignores nothing (a padding zero never beats a
// uint8 value); average is floor(sum / size^2), padding zeros included. Type None returns x.
Uint8Tensor pool(const Uint8Tensor& x, const Pool& p);

// The host-side graph operations of a workload (the chip has no elementwise or concatenation
// unit): tensors [N][C][H][W] concatenated along channels in the given order (N, H, W must
// agree), and the saturating residual add min(a + b, 255) of two tensors of one shape.
Uint8Tensor concat_channels(const std::vector<const Uint8Tensor*>& parts);
Uint8Tensor add_saturate(const Uint8Tensor& a, const Uint8Tensor& b);

// The first element where the tensors differ as "[n,m,e,f] got X expected Y", "" if equal, or
// a message naming both shapes if they differ.
template <typename T>
std::string first_mismatch(const Tensor<T>& got, const Tensor<T>& expected) {
  const std::vector<int>& shape = got.shape();
  if (shape != expected.shape())
    return "shapes differ: got " + shape_str(shape) + " expected " + shape_str(expected.shape());
  const std::vector<T>& g = got.values();
  const std::vector<T>& e = expected.values();
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i] == e[i]) continue;
    std::vector<int> idx(shape.size());
    std::size_t rest = i;
    for (std::size_t d = shape.size(); d-- > 0;) {
      idx[d] = static_cast<int>(rest % static_cast<std::size_t>(shape[d]));
      rest /= static_cast<std::size_t>(shape[d]);
    }
    // Unary + prints 8-bit values as numbers, not characters.
    return shape_str(idx) + " got " + std::to_string(+g[i]) + " expected " + std::to_string(+e[i]);
  }
  return "";
}

}  // namespace eyeriss::golden
