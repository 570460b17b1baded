// Golden reference against a separately written naive convolution (explicit zero-padded input
// copy, int64 sums, wrap by modulo), plus hand-computed requantize, pool and wrap cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "testbench/golden.h"

namespace eyeriss {
namespace {

// Wrap by arithmetic modulo, written differently from golden.cpp on purpose.
int32_t naive_wrap(int64_t v, int bits) {
  const int64_t m = int64_t{1} << bits;
  int64_t r = ((v % m) + m) % m;
  return static_cast<int32_t>(r > m / 2 - 1 ? r - m : r);
}

Int32Tensor naive_conv(const Layer& l, const ActTensor& x, const Int8Tensor& w, int bits) {
  const int Hp = l.H + 2 * l.pad, Wp = l.W + 2 * l.pad;
  std::vector<int64_t> padded(static_cast<size_t>(l.N) * l.C * Hp * Wp, 0);
  auto P = [&](int n, int c, int h, int ww) -> int64_t& {
    return padded[((static_cast<size_t>(n) * l.C + c) * Hp + h) * Wp + ww];
  };
  for (int n = 0; n < l.N; ++n)
    for (int c = 0; c < l.C; ++c)
      for (int h = 0; h < l.H; ++h)
        for (int ww = 0; ww < l.W; ++ww) P(n, c, h + l.pad, ww + l.pad) = x.t.at(n, c, h, ww);
  const int E = (Hp - l.R) / l.stride + 1, F = (Wp - l.S) / l.stride + 1;
  const int cpg = l.C / l.G, mpg = l.M / l.G;
  Int32Tensor out({l.N, l.M, E, F});
  for (int n = 0; n < l.N; ++n)
    for (int m = 0; m < l.M; ++m)
      for (int e = 0; e < E; ++e)
        for (int f = 0; f < F; ++f) {
          int64_t sum = 0;
          for (int k = 0; k < cpg; ++k)
            for (int r = 0; r < l.R; ++r)
              for (int s = 0; s < l.S; ++s)
                sum += P(n, (m / mpg) * cpg + k, e * l.stride + r, f * l.stride + s) *
                       int64_t{w.at(m, k, r, s)};
          out.at(n, m, e, f) = naive_wrap(sum, bits);
        }
  return out;
}

// Random data from mt19937's raw output (fully specified by the standard); about a third zeros
// so the golden's zero-weight skip is exercised.
struct Rand {
  std::mt19937 gen{12345};
  int pick(int lo, int hi) { return lo + static_cast<int>(gen() % uint32_t(hi - lo + 1)); }
  int sparse(int lo, int hi) { return gen() % 3 == 0 ? 0 : pick(lo, hi); }
};

Int8Tensor random_weights(const Layer& l, Rand& rnd) {
  Int8Tensor w({l.M, l.C / l.G, l.R, l.S});
  for (auto& v : w.values()) v = static_cast<int8_t>(rnd.sparse(-128, 127));
  return w;
}

ActTensor random_iacts(const Layer& l, bool is_signed, Rand& rnd) {
  ActTensor a{Tensor<int16_t>({l.N, l.C, l.H, l.W}), is_signed};
  for (auto& v : a.t.values())
    v = static_cast<int16_t>(is_signed ? rnd.sparse(-128, 127) : rnd.sparse(0, 255));
  return a;
}

Layer make(LayerType type, int N, int C, int M, int G, int H, int W, int R, int S, int stride,
           int pad) {
  Layer l;
  l.name = "t";
  l.type = type;
  l.N = N, l.C = C, l.M = M, l.G = G, l.H = H, l.W = W, l.R = R, l.S = S;
  l.stride = stride, l.pad = pad;
  return l;
}

void expect_matches_naive(const Layer& l, bool is_signed, int bits) {
  Rand rnd;
  const Int8Tensor w = random_weights(l, rnd);
  const ActTensor x = random_iacts(l, is_signed, rnd);
  const Int32Tensor got = golden::conv(l, x, w, bits);
  ASSERT_EQ(got.shape(), (std::vector<int>{l.N, l.M, l.E(), l.F()}));
  EXPECT_EQ(golden::first_mismatch(got, naive_conv(l, x, w, bits)), "");
}

TEST(GoldenConv, Plain3x3) {
  expect_matches_naive(make(LayerType::Conv, 1, 3, 4, 1, 7, 6, 3, 3, 1, 0), false, 32);
}
TEST(GoldenConv, Stride2Pad1) {
  expect_matches_naive(make(LayerType::Conv, 1, 3, 5, 1, 9, 8, 3, 3, 2, 1), false, 20);
}
TEST(GoldenConv, Stride4Pad2BigFilter) {
  expect_matches_naive(make(LayerType::Conv, 1, 2, 3, 1, 15, 13, 5, 4, 4, 2), false, 20);
}
TEST(GoldenConv, PadLargerThanHalfFilter) {
  expect_matches_naive(make(LayerType::Conv, 1, 2, 2, 1, 4, 5, 3, 2, 3, 3), false, 20);
}
TEST(GoldenConv, Grouped) {
  expect_matches_naive(make(LayerType::Conv, 1, 6, 4, 2, 6, 6, 3, 3, 1, 1), false, 20);
}
TEST(GoldenConv, Depthwise) {
  expect_matches_naive(make(LayerType::Depthwise, 1, 5, 5, 5, 8, 7, 3, 3, 2, 1), false, 20);
}
TEST(GoldenConv, Pointwise) {
  expect_matches_naive(make(LayerType::Conv, 1, 16, 8, 1, 5, 4, 1, 1, 1, 0), false, 20);
}
TEST(GoldenConv, FullyConnected) {
  expect_matches_naive(make(LayerType::FC, 1, 8, 10, 1, 3, 3, 3, 3, 1, 0), false, 20);
}
TEST(GoldenConv, BatchOfTwo) {
  expect_matches_naive(make(LayerType::Conv, 2, 4, 6, 2, 6, 5, 3, 3, 1, 1), false, 20);
}
TEST(GoldenConv, SignedIacts) {
  expect_matches_naive(make(LayerType::Conv, 2, 4, 3, 1, 6, 6, 3, 3, 2, 1), true, 20);
}
TEST(GoldenConv, NarrowPsumsWrapOften) {
  expect_matches_naive(make(LayerType::Conv, 1, 8, 4, 1, 6, 6, 3, 3, 1, 1), false, 8);
}

TEST(GoldenConv, RandomShapesSweep) {
  Rand rnd;
  for (int i = 0; i < 300; ++i) {
    const int G = rnd.pick(1, 3);
    const int R = rnd.pick(1, 5), S = rnd.pick(1, 5);
    const int pad = rnd.pick(0, 3), stride = rnd.pick(1, 4);
    const int H = std::max(R - 2 * pad, 1) + rnd.pick(0, 6);
    const int W = std::max(S - 2 * pad, 1) + rnd.pick(0, 6);
    const Layer l = make(LayerType::Conv, rnd.pick(1, 2), G * rnd.pick(1, 3), G * rnd.pick(1, 3), G,
                         H, W, R, S, stride, pad);
    SCOPED_TRACE("case " + std::to_string(i));
    expect_matches_naive(l, rnd.pick(0, 1) == 1, rnd.pick(8, 32));
  }
}

// A pointwise layer whose every psum is C * 255 * 127 = C * 32385.
Int32Tensor all_max_pointwise(int C, int bits) {
  const Layer l = make(LayerType::Conv, 1, C, 1, 1, 1, 2, 1, 1, 1, 0);
  ActTensor x{Tensor<int16_t>({1, C, 1, 2}, 255), false};
  return golden::conv(l, x, Int8Tensor({1, C, 1, 1}, 127), bits);
}

TEST(GoldenConv, WrapsTo20BitsHandComputed) {
  // 40 * 32385 = 1295400 = 2^20 + 246824, and 246824 < 2^19: wraps to a positive value.
  EXPECT_EQ(all_max_pointwise(40, 20).at(0, 0, 0, 1), 246824);
  // 20 * 32385 = 647700 >= 2^19: wraps to 647700 - 2^20 = -400876.
  EXPECT_EQ(all_max_pointwise(20, 20).at(0, 0, 0, 0), -400876);
  // Just below 2^19 stays as is: 16 * 32385 = 518160.
  EXPECT_EQ(all_max_pointwise(16, 20).at(0, 0, 0, 0), 518160);
  // The same sums with 32-bit psums do not wrap.
  EXPECT_EQ(all_max_pointwise(40, 32).at(0, 0, 0, 0), 1295400);
}

TEST(GoldenConv, WrapsTo32Bits) {
  // 70000 * 32385 = 2266950000 > 2^31 - 1: wraps to 2266950000 - 2^32.
  EXPECT_EQ(all_max_pointwise(70000, 32).at(0, 0, 0, 0), -2028017296);
}

TEST(GoldenConv, WrapsTo8Bits) {
  const Layer l = make(LayerType::Conv, 1, 2, 1, 1, 1, 1, 1, 1, 1, 0);
  ActTensor x{Tensor<int16_t>({1, 2, 1, 1}), false};
  x.t.values() = {127, 1};
  Int8Tensor w({1, 2, 1, 1}, 1);
  EXPECT_EQ(golden::conv(l, x, w, 8).at(0, 0, 0, 0), -128);  // 128 wraps
  x.t.values() = {127, 0};
  EXPECT_EQ(golden::conv(l, x, w, 8).at(0, 0, 0, 0), 127);
}

TEST(GoldenConv, HandComputedPadding) {
  // 2x2 input, 3x3 all-ones filter, pad 1: each output is the sum of its in-range neighbours.
  const Layer l = make(LayerType::Conv, 1, 1, 1, 1, 2, 2, 3, 3, 1, 1);
  ActTensor x{Tensor<int16_t>({1, 1, 2, 2}), false};
  x.t.values() = {1, 2, 3, 4};
  const Int32Tensor y = golden::conv(l, x, Int8Tensor({1, 1, 3, 3}, 1), 20);
  EXPECT_EQ(y.values(), (std::vector<int32_t>{10, 10, 10, 10}));
  Int8Tensor w({1, 1, 3, 3});
  w.at(0, 0, 0, 0) = -1;  // top-left tap sees only the bottom-right output's top-left input
  EXPECT_EQ(golden::conv(l, x, w, 20).values(), (std::vector<int32_t>{0, 0, 0, -1}));
}

TEST(GoldenConv, RejectsMismatchedInputs) {
  const Layer l = make(LayerType::Conv, 1, 4, 2, 2, 5, 5, 3, 3, 1, 1);
  const ActTensor x{Tensor<int16_t>({1, 4, 5, 5}), false};
  const Int8Tensor w({2, 2, 3, 3});
  EXPECT_NO_THROW(golden::conv(l, x, w, 20));
  EXPECT_THROW(golden::conv(l, x, Int8Tensor({2, 4, 3, 3}), 20), std::invalid_argument);
  EXPECT_THROW(golden::conv(l, ActTensor{Tensor<int16_t>({1, 4, 5, 6}), false}, w, 20),
               std::invalid_argument);
  EXPECT_THROW(golden::conv(l, ActTensor{Tensor<int16_t>({4, 5, 5}), false}, w, 20),
               std::invalid_argument);
  EXPECT_THROW(golden::conv(l, x, w, 7), std::invalid_argument);
  EXPECT_THROW(golden::conv(l, x, w, 33), std::invalid_argument);
  ActTensor bad = x;
  bad.t.at(0, 1, 2, 3) = 256;
  EXPECT_THROW(golden::conv(l, bad, w, 20), std::invalid_argument);
  bad.t.at(0, 1, 2, 3) = -1;  // negative is only valid for signed iacts
  EXPECT_THROW(golden::conv(l, bad, w, 20), std::invalid_argument);
  bad.is_signed = true;
  EXPECT_NO_THROW(golden::conv(l, bad, w, 20));
  Layer odd = l;
  odd.G = 3;  // C = 4 is not divisible
  EXPECT_THROW(golden::conv(odd, x, w, 20), std::invalid_argument);
  Layer dw = l;
  dw.type = LayerType::Depthwise;  // G != C
  EXPECT_THROW(golden::conv(dw, x, w, 20), std::invalid_argument);
}

TEST(GoldenRequantize, HandCases) {
  Int32Tensor p({1, 1, 1, 7});
  p.values() = {-5, 0, 7, 8, 1000, 4095, 4096};
  const Uint8Tensor y = golden::requantize(p, 4);
  // -5 -> 0 (ReLU), 7 >> 4 = 0, 8 >> 4 = 0, 1000 >> 4 = 62, 4095 >> 4 = 255, 4096 >> 4 = 256 ->
  // 255.
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{0, 0, 0, 0, 62, 255, 255}));
  p.values() = {-2147483647 - 1, 2147483647, 255, 256, 17, 1, -1};
  EXPECT_EQ(golden::requantize(p, 0).values(), (std::vector<uint8_t>{0, 255, 255, 255, 17, 1, 0}));
  EXPECT_EQ(golden::requantize(p, 31).values(), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(golden::requantize(p, 23).values(), (std::vector<uint8_t>{0, 255, 0, 0, 0, 0, 0}));
  EXPECT_THROW(golden::requantize(p, -1), std::invalid_argument);
  EXPECT_THROW(golden::requantize(p, 32), std::invalid_argument);
}

TEST(GoldenPool, Max3x3Stride2On7x7) {
  Uint8Tensor x({1, 1, 7, 7});
  for (int h = 0; h < 7; ++h)
    for (int w = 0; w < 7; ++w) x.at(0, 0, h, w) = static_cast<uint8_t>(h * 7 + w);
  const Uint8Tensor y = golden::pool(x, Pool{Pool::Type::Max, 3, 2});
  ASSERT_EQ(y.shape(), (std::vector<int>{1, 1, 3, 3}));
  // The maximum of each window is its bottom-right corner.
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{16, 18, 20, 30, 32, 34, 44, 46, 48}));
  // Average of a linear ramp is the window centre.
  EXPECT_EQ(golden::pool(x, Pool{Pool::Type::Avg, 3, 2}).values(),
            (std::vector<uint8_t>{8, 10, 12, 22, 24, 26, 36, 38, 40}));
}

TEST(GoldenPool, MaxFloorsOutputSize) {
  Uint8Tensor x({1, 1, 8, 8}, 1);
  x.at(0, 0, 7, 7) = 200;  // outside every 3x3 s2 window of an 8x8 input (windows end at 6)
  const Uint8Tensor y = golden::pool(x, Pool{Pool::Type::Max, 3, 2});
  ASSERT_EQ(y.shape(), (std::vector<int>{1, 1, 3, 3}));
  EXPECT_EQ(y.values(), std::vector<uint8_t>(9, 1));
}

TEST(GoldenPool, Avg4x4On4x4FloorsAndKeepsChannels) {
  Uint8Tensor x({2, 2, 4, 4});
  for (int i = 0; i < 16; ++i) {
    x.values()[i] = static_cast<uint8_t>(i);  // n0 c0: sum 120 -> 7.5 -> 7
    x.values()[16 + i] = 255;                 // n0 c1: 255
    x.values()[32 + i] = i == 5 ? 0 : 255;    // n1 c0: 3825 / 16 = 239.06 -> 239
    x.values()[48 + i] = i < 15 ? 0 : 15;     // n1 c1: 15 / 16 -> 0
  }
  const Uint8Tensor y = golden::pool(x, Pool{Pool::Type::Avg, 4, 4});
  ASSERT_EQ(y.shape(), (std::vector<int>{2, 2, 1, 1}));
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{7, 255, 239, 0}));
}

TEST(GoldenPool, NoneAndInvalid) {
  Uint8Tensor x({1, 2, 3, 3}, 9);
  x.at(0, 1, 2, 2) = 4;
  EXPECT_EQ(golden::pool(x, Pool{}), x);
  EXPECT_THROW(golden::pool(x, Pool{Pool::Type::Max, 4, 1}), std::invalid_argument);
  EXPECT_THROW(golden::pool(x, Pool{Pool::Type::Avg, 2, 0}), std::invalid_argument);
  EXPECT_THROW(golden::pool(Uint8Tensor({3, 3}), Pool{Pool::Type::Max, 2, 1}),
               std::invalid_argument);
}

TEST(GoldenFirstMismatch, Format) {
  Int32Tensor a({2, 3, 2, 4}, 5);
  Int32Tensor b = a;
  EXPECT_EQ(golden::first_mismatch(a, b), "");
  a.at(1, 2, 0, 3) = -7;
  a.at(1, 2, 1, 0) = 9;  // later: only the first is reported
  EXPECT_EQ(golden::first_mismatch(a, b), "[1,2,0,3] got -7 expected 5");
  Uint8Tensor u({1, 1, 1, 2}, 65), v({1, 1, 1, 2}, 65);
  v.at(0, 0, 0, 1) = 200;
  EXPECT_EQ(golden::first_mismatch(u, v), "[0,0,0,1] got 65 expected 200");  // numbers, not 'A'
  Int8Tensor s({1, 1, 1, 1}, -3), t({1, 1, 1, 1}, 3);
  EXPECT_EQ(golden::first_mismatch(s, t), "[0,0,0,0] got -3 expected 3");
  const std::string msg =
      golden::first_mismatch(Int32Tensor({1, 2, 3, 4}), Int32Tensor({1, 2, 4, 3}));
  EXPECT_NE(msg.find("shape"), std::string::npos);
  EXPECT_NE(msg.find("[1,2,3,4]"), std::string::npos);
  EXPECT_NE(msg.find("[1,2,4,3]"), std::string::npos);
}

}  // namespace
}  // namespace eyeriss
