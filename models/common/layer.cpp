#include "models/common/layer.h"

#include "models/common/error.h"

namespace eyeriss {

const char* to_string(LayerType t) {
  switch (t) {
    case LayerType::Conv:
      return "conv";
    case LayerType::Depthwise:
      return "depthwise";
    case LayerType::FC:
      return "fc";
  }
  return "?";
}

void Layer::validate() const {
  auto fail = [&](const std::string& msg) { throw InputError("layer '" + name + "': " + msg); };
  if (N < 1 || C < 1 || M < 1 || G < 1 || H < 1 || W < 1 || R < 1 || S < 1)
    fail("N, C, M, G, H, W, R, S must all be >= 1");
  if (stride < 1) fail("stride must be >= 1");
  if (pad < 0) fail("pad must be >= 0");
  if (shift < 0 || shift > 31) fail("shift must be in [0, 31]");
  if (C % G != 0)
    fail("C (" + std::to_string(C) + ") is not divisible by G (" + std::to_string(G) + ")");
  if (M % G != 0)
    fail("M (" + std::to_string(M) + ") is not divisible by G (" + std::to_string(G) + ")");
  if (type == LayerType::Depthwise && !(G == C && C == M))
    fail("depthwise needs G = C = M (got G=" + std::to_string(G) + ", C=" + std::to_string(C) +
         ", M=" + std::to_string(M) + ")");
  if (type == LayerType::FC && (R != H || S != W || stride != 1 || pad != 0))
    fail("fc needs R = H, S = W, stride 1 and pad 0");
  if (H + 2 * pad < R || W + 2 * pad < S || E() <= 0 || F() <= 0)
    fail("output size E x F = " + std::to_string(E()) + " x " + std::to_string(F()) +
         " is not positive (filter larger than padded input)");
  if (pool.type != Pool::Type::None) {
    if (pool.size < 1 || pool.stride < 1) fail("pool size and stride must be >= 1");
    if (pool.pad < 0 || pool.pad >= pool.size)
      fail("pool pad must be in [0, size - 1] (got " + std::to_string(pool.pad) + ")");
    if (pool.size > E() + 2 * pool.pad || pool.size > F() + 2 * pool.pad)
      fail("pool size " + std::to_string(pool.size) + " is larger than the output " +
           std::to_string(E()) + " x " + std::to_string(F()) + (pool.pad ? " plus padding" : ""));
  }
}

}  // namespace eyeriss
