// The host-side graph operations of a workload (concatenation, saturating residual add, padded
// pooling), against values computed by hand on tiny tensors.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "testbench/golden.h"

namespace eyeriss {
namespace {

// 1 x 1 x 3 x 3 holding 1..9 row by row.
Uint8Tensor ramp3x3() {
  Uint8Tensor x({1, 1, 3, 3});
  for (int i = 0; i < 9; ++i) x.values()[i] = static_cast<uint8_t>(i + 1);
  return x;
}

TEST(GraphOps, MaxPool3x3Stride1Pad1KeepsSize) {
  const Uint8Tensor y = golden::pool(ramp3x3(), Pool{Pool::Type::Max, 3, 1, 1});
  ASSERT_EQ(y.shape(), (std::vector<int>{1, 1, 3, 3}));
  // Each output is the largest of its in-image neighbours; padding zeros never win.
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{5, 6, 6, 8, 9, 9, 8, 9, 9}));
}

TEST(GraphOps, AvgPoolPaddedCountsZeros) {
  const Uint8Tensor y = golden::pool(ramp3x3(), Pool{Pool::Type::Avg, 3, 1, 1});
  // floor(window sum / 9): corners 12/9, 16/9, 24/9, 28/9; edges 21/9, 27/9, 33/9, 39/9; 45/9.
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{1, 2, 1, 3, 5, 3, 2, 4, 3}));
}

TEST(GraphOps, MaxPool2x2Stride2Pad1) {
  const Uint8Tensor y = golden::pool(ramp3x3(), Pool{Pool::Type::Max, 2, 2, 1});
  ASSERT_EQ(y.shape(), (std::vector<int>{1, 1, 2, 2}));  // (3 + 2 - 2) / 2 + 1
  // Windows {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}.
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{1, 3, 7, 9}));
}

TEST(GraphOps, PoolPadMustBeSmallerThanSize) {
  EXPECT_THROW(golden::pool(ramp3x3(), Pool{Pool::Type::Max, 2, 1, 2}), std::invalid_argument);
  EXPECT_THROW(golden::pool(ramp3x3(), Pool{Pool::Type::Max, 2, 1, -1}), std::invalid_argument);
  // 6 > 3 + 2 * 1: the window does not fit even with the padding.
  EXPECT_THROW(golden::pool(ramp3x3(), Pool{Pool::Type::Max, 6, 1, 1}), std::invalid_argument);
}

TEST(GraphOps, ConcatAlongChannelsPerImage) {
  Uint8Tensor a({2, 1, 1, 2});
  a.values() = {1, 2, 3, 4};
  Uint8Tensor b({2, 2, 1, 2});
  b.values() = {5, 6, 7, 8, 9, 10, 11, 12};
  const Uint8Tensor y = golden::concat_channels({&a, &b});
  ASSERT_EQ(y.shape(), (std::vector<int>{2, 3, 1, 2}));
  // Image 0: a's channel, then b's two; image 1 likewise.
  EXPECT_EQ(y.values(), (std::vector<uint8_t>{1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}));
  // The order of the list is the order of the channels.
  EXPECT_EQ(golden::concat_channels({&b, &a}).values(),
            (std::vector<uint8_t>{5, 6, 7, 8, 1, 2, 9, 10, 11, 12, 3, 4}));
}

TEST(GraphOps, ConcatRefusesDifferentSpatialShapes) {
  const Uint8Tensor a({1, 1, 2, 2}), b({1, 1, 2, 3}), c({2, 1, 2, 2});
  EXPECT_THROW(golden::concat_channels({&a, &b}), std::invalid_argument);
  EXPECT_THROW(golden::concat_channels({&a, &c}), std::invalid_argument);
  EXPECT_THROW(golden::concat_channels({}), std::invalid_argument);
}

TEST(GraphOps, AddSaturatesAtUint8) {
  Uint8Tensor a({1, 5, 1, 1}), b({1, 5, 1, 1});
  a.values() = {200, 55, 0, 100, 3};
  b.values() = {55, 201, 0, 155, 4};
  EXPECT_EQ(golden::add_saturate(a, b).values(), (std::vector<uint8_t>{255, 255, 0, 255, 7}));
  EXPECT_THROW(golden::add_saturate(a, Uint8Tensor({1, 1, 5, 1})), std::invalid_argument);
}

}  // namespace
}  // namespace eyeriss
