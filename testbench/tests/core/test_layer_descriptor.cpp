#include <gtest/gtest.h>

#include "models/common/error.h"
#include "models/platform/layer_descriptor.h"
#include "testbench/tests/core/test_util.h"

namespace eyeriss {
namespace {

using test_util::expect_error;

LayerDescriptor sample() {
  LayerDescriptor d;
  Layer& l = d.layer;
  l.type = LayerType::Depthwise;
  l.N = 2, l.C = 8, l.M = 8, l.G = 8, l.H = 9, l.W = 7, l.R = 3, l.S = 3, l.stride = 2;
  l.pad = 1, l.shift = 5;
  d.iacts_signed = true;
  d.iact_addr = 0x1000, d.weight_addr = 0x123456789a, d.psum_addr = 8, d.oact_addr = 0xffff0000;
  return d;
}

TEST(LayerDescriptor, RoundTripsEveryField) {
  const LayerDescriptor d = sample();
  const auto b = d.encode();
  // Little-endian words: the magic reads "EYV2LAYR" byte by byte.
  EXPECT_EQ(std::string(b.begin(), b.begin() + 8), "EYV2LAYR");
  EXPECT_EQ(b[8], 1);  // depthwise
  const LayerDescriptor e = LayerDescriptor::decode(b.data(), 0x40);
  const Layer &l = d.layer, &m = e.layer;
  EXPECT_EQ(m.type, l.type);
  EXPECT_EQ((std::vector<int>{m.N, m.C, m.M, m.G, m.H, m.W, m.R, m.S, m.stride, m.pad, m.shift}),
            (std::vector<int>{l.N, l.C, l.M, l.G, l.H, l.W, l.R, l.S, l.stride, l.pad, l.shift}));
  EXPECT_TRUE(e.iacts_signed);
  EXPECT_EQ(e.iact_addr, d.iact_addr);
  EXPECT_EQ(e.weight_addr, d.weight_addr);
  EXPECT_EQ(e.psum_addr, d.psum_addr);
  EXPECT_EQ(e.oact_addr, d.oact_addr);
  EXPECT_EQ(e.iact_bytes(), 2u * 8 * 9 * 7);
  EXPECT_EQ(e.weight_bytes(), 8u * 1 * 3 * 3);
  EXPECT_EQ(e.output_count(), 2u * 8 * 5 * 4);  // E = (9 + 2 - 3) / 2 + 1, F = (7 + 2 - 3) / 2 + 1
}

TEST(LayerDescriptor, BadOnesNameTheAddressAndTheField) {
  auto bad = [](auto edit, const std::vector<std::string>& parts) {
    auto b = sample().encode();
    edit(b);
    expect_error([&] { LayerDescriptor::decode(b.data(), 0x800); }, parts);
  };
  bad([](auto& b) { b[0] = 'X'; }, {"layer descriptor at 0x800", "wrong magic"});
  bad([](auto& b) { b[8] = 3; }, {"0x800", "type must be 0 (conv), 1 (depthwise) or 2 (fc)"});
  bad([](auto& b) { b[3 * 8] = 7; }, {"0x800", "C"});  // C = 7 not divisible by G = 8
  bad([](auto& b) { b[3 * 8 + 7] = 1; }, {"0x800", "C is out of range"});
  bad([](auto& b) { b[13 * 8] = 2; }, {"0x800", "iacts signed must be 0 or 1"});
  // H = pad = 2^30 would overflow E() in int: every field stays below 2^16.
  bad([](auto& b) { b[6 * 8 + 3] = 0x40; }, {"0x800", "H is out of range (must be below 65536)"});
  // 2 x 8 x 60000 x 60000 iact bytes: more than one bus transfer can carry.
  bad(
      [](auto& b) {
        for (int w : {6, 7}) b[w * 8] = 0x60, b[w * 8 + 1] = 0xea;  // H = W = 60000
      },
      {"0x800", "is larger than the chip interface's limit"});
}

}  // namespace
}  // namespace eyeriss
