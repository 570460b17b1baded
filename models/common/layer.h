// Layer shape: one DNN layer as the accelerator sees it (conv, grouped conv, depthwise,
// pointwise = conv with R = S = 1, fully connected). Pure C++.
#pragma once
#include <cstdint>
#include <string>

namespace eyeriss {

enum class LayerType { Conv, Depthwise, FC };

// Host-side pooling (the chip has no pooling unit). Padding adds `pad` zeros on every side:
// for max over uint8 values (all >= 0) a zero never wins over a real value; average pooling
// counts the zeros (floor(sum / size^2)).
struct Pool {
  enum class Type { None, Max, Avg } type = Type::None;
  int size = 0;
  int stride = 0;
  int pad = 0;
  // Output height (or width) for an input of `in`; `in` unchanged for Type::None.
  int out(int in) const { return type == Type::None ? in : (in + 2 * pad - size) / stride + 1; }
};

struct Layer {
  std::string name;
  LayerType type = LayerType::Conv;
  int N = 1;         // batch
  int C = 1;         // input channels (all groups)
  int M = 1;         // output channels (all groups)
  int G = 1;         // groups
  int H = 1, W = 1;  // input height, width
  int R = 1, S = 1;  // filter height, width
  int stride = 1;
  int pad = 0;
  int shift = 0;  // requantization shift
  Pool pool;      // host-side pooling after this layer

  int Cg() const { return C / G; }                          // input channels per group
  int Mg() const { return M / G; }                          // output channels per group
  int E() const { return (H + 2 * pad - R) / stride + 1; }  // output height
  int F() const { return (W + 2 * pad - S) / stride + 1; }  // output width
  // Nominal MACs, zeros included.
  int64_t macs() const { return int64_t(N) * M * E() * F() * Cg() * R * S; }

  // Throws InputError naming the layer if the shape is impossible.
  void validate() const;
};

const char* to_string(LayerType t);

}  // namespace eyeriss
