// The RTL PE (pe/rtl/eyeriss_pe.sv) on hand-computed cases, at its pins. Timing: the psum SPad
// is cleared in cycle 0 and the pass configured at edge 1, so inputs start in cycle 1; a packet of
// n words moves in cycles t .. t+n-1 and is in the SPads at edge t+n; a position started in cycle s
// holding stages 1-4 for D cycles reports done at edge s+D; its row is final 3 cycles later (stages
// 5-7).
#include <gtest/gtest.h>

#include "testbench/tests/rtl/rtl_bench.h"

namespace eyeriss::rtltest {
namespace {

using V16 = std::vector<int16_t>;
using V32 = std::vector<int32_t>;
using Rows = std::vector<V32>;

// Stage 4 issue cycles as a count.
std::size_t macs(const Bench& b) { return b.issue_cycles.size(); }

TEST(RtlPe, OnePositionHandDerived) {
  Bench b("b");
  Pass p;
  p.mc = 2;
  p.cc = 2;
  b.configure(p);
  // Columns: c0 = {1, 2}, c1 = {3, 4}; iacts {5, 6}.
  b.send_weights(0, {1, 2, 3, 4}, 2, 2);  // 2 words + 2 x 7-bit ends: 3 link words, [1,4)
  b.send_iact(0, {5, 6});                 // 2 entries + 4-bit end: 2 link words, [1,3)
  b.run_until_done();
  // Start at 4 (weights in); entry 0 walked and issued in 4, entry 1 in 5: D = 2, done 6.
  ASSERT_EQ(b.positions.size(), 1u);
  EXPECT_EQ(b.positions[0].done, 6u);
  EXPECT_EQ(b.positions[0].cycles, 2u);
  EXPECT_EQ(b.issue_cycles, (std::vector<Cycle>{4, 5}));
  EXPECT_EQ(b.rows_out, (Rows{{1 * 5 + 3 * 6, 2 * 5 + 4 * 6}}));
  ASSERT_EQ(b.row_first_word.size(), 1u);
  EXPECT_EQ(b.row_first_word[0], 9u);  // final at 6 + 3
}

TEST(RtlPe, AllZeroIactsCostNoMacCycle) {
  Bench b("b");
  Pass p;
  p.mc = 2;
  p.cc = 2;
  p.positions = 2;
  b.configure(p);
  b.send_weights(0, {1, 2, 3, 4}, 2, 2);
  b.send_iact(0, {0, 0});  // CSC keeps no entry: one word (the end)
  b.send_iact(0, {0, 0});
  b.run_until_done();
  EXPECT_EQ(macs(b), 0u);  // no weight word read, no MAC
  ASSERT_EQ(b.positions.size(), 2u);
  EXPECT_EQ(b.positions[0].cycles, 1u);  // the position controller's one cycle
  EXPECT_EQ(b.positions[1].cycles, 1u);
  EXPECT_EQ(b.rows_out, (Rows{{0, 0}, {0, 0}}));
}

TEST(RtlPe, SimdTwoReadsAFiveWeightColumnInThreeCyclesPerNonzeroIact) {
  Bench b("b");
  Pass p;
  p.mc = 5;
  p.cc = 3;
  b.configure(p);
  V16 w;
  for (int i = 1; i <= 15; ++i) w.push_back(static_cast<int16_t>(i));  // 3 full columns of 5
  b.send_weights(0, w, 5, 3);
  b.send_iact(0, {1, 2, 3});
  b.run_until_done();
  // Each nonzero iact: ceil(5 / 2) = 3 words, back to back: 9 issue cycles, D = 9.
  EXPECT_EQ(macs(b), 9u);
  ASSERT_EQ(b.positions.size(), 1u);
  EXPECT_EQ(b.positions[0].cycles, 9u);
  V32 want(5);
  for (int m = 0; m < 5; ++m) want[m] = 1 * (1 + m) + 2 * (6 + m) + 3 * (11 + m);
  EXPECT_EQ(b.rows_out, (Rows{want}));
}

TEST(RtlPe, AnEmptyColumnIsDropped) {
  Bench b("b");
  Pass p;
  p.mc = 4;
  b.configure(p);
  b.send_weights(0, {0, 0, 0, 0}, 4, 1);  // the only column is empty
  b.send_iact(0, {5});
  b.run_until_done();
  EXPECT_EQ(macs(b), 0u);  // walked, dropped after the weight-address stage
  ASSERT_EQ(b.positions.size(), 1u);
  EXPECT_EQ(b.positions[0].cycles, 1u);
  EXPECT_EQ(b.rows_out, (Rows{{0, 0, 0, 0}}));
}

TEST(RtlPe, ZeroRunsOver15AreBrokenByAnExplicitZero) {
  Bench b("b");
  Pass p;
  p.mc = 24;
  b.configure(p);
  V16 w(24, 0);
  w[0] = 3;
  w[20] = -2;  // 19 zeros between: CSC holds (0, 3), an explicit zero at row 16, (20, -2)
  b.send_weights(0, w, 24, 1);
  b.send_iact(0, {7});
  b.run_until_done();
  EXPECT_EQ(macs(b), 2u);  // 3 entries: 2 words
  V32 want(24, 0);
  want[0] = 21;
  want[20] = -14;
  EXPECT_EQ(b.rows_out, (Rows{want}));
}

TEST(RtlPe, PsumsWrapAt20Bits) {
  Bench b("b");
  Pass p;
  p.psum_in = true;
  p.mc = 1;
  b.configure(p);
  b.send_weights(0, {127}, 1, 1);
  b.send_iact(0, {127});
  const int32_t in = (1 << 19) - 100;  // near the top of the 20-bit range
  b.send_psums(0, {in});
  b.run_until_done();
  // 127 * 127 + in = 540317 wraps to 540317 - 2^20.
  EXPECT_EQ(b.rows_out, (Rows{{127 * 127 + in - (1 << 20)}}));
}

TEST(RtlPe, PsumBackPressureHoldsThePipelineWithoutLosingData) {
  Bench b("b");
  Pass p;
  p.mc = 2;
  p.S = 2;
  p.positions = 4;
  b.configure(p);
  b.send_weights(0, {1, 1, 1, 1}, 2, 2);
  for (int k = 0; k < 5; ++k) b.send_iact(0, {static_cast<int16_t>(k + 1)});
  b.pout_ready_from = 60;
  b.run_until_done();
  // Two row slots (2 x 2 psums fit the psum SPad): positions 0 and 1 fill them; position 2
  // starts only once row 0 has left (its one word moves in cycle 60, the slot is free at 61).
  ASSERT_EQ(b.positions.size(), 4u);
  EXPECT_LT(b.positions[1].done, 60u);
  EXPECT_EQ(b.positions[2].done, 61u + 2);
  EXPECT_EQ(b.rows_out, (Rows{{3, 3}, {5, 5}, {7, 7}, {9, 9}}));
  EXPECT_EQ(b.row_first_word[0], 60u);
}

TEST(RtlPe, StrideCutsTheLastWindowSegment) {
  Bench b("b");
  Pass p;
  p.S = 3;
  p.U = 2;  // segments of 2 columns; a window is 2 segments, the second cut to its first column
  p.positions = 2;
  b.configure(p);
  b.send_weights(0, {10, 20, 30}, 1, 3);
  b.send_iact(0, {1, 2});
  b.send_iact(0, {3, 4});
  b.send_iact(0, {5, 6});
  b.run_until_done();
  EXPECT_EQ(b.rows_out, (Rows{{1 * 10 + 2 * 20 + 3 * 30}, {3 * 10 + 4 * 20 + 5 * 30}}));
  ASSERT_EQ(b.positions.size(), 2u);
  EXPECT_EQ(b.positions[0].cycles, 3u);  // 3 entries walked (the cut one is not)
}

TEST(RtlPe, ABypassPassForwardsRowsFromBelow) {
  Bench b("b");
  Pass p;
  p.active = false;
  p.mc = 3;
  p.positions = 2;
  b.configure(p);
  b.send_psums(0, {1, -2, 3});  // 2 words each: [1,3) and, behind it, [3,5)
  b.send_psums(0, {-4, 5, (1 << 19) - 1});
  b.run_until_done();
  EXPECT_EQ(b.rows_out, (Rows{{1, -2, 3}, {-4, 5, (1 << 19) - 1}}));
  EXPECT_EQ(macs(b), 0u);
  // A row can go once its last word is in: row 0 from 3, row 1 from 5 (after row 0, [3,5)).
  EXPECT_EQ(b.row_first_word, (std::vector<Cycle>{3, 5}));
}

TEST(RtlPe, DenseModeComputesEveryValue) {
  Bench b("b");
  Pass p;
  p.dense = true;
  p.mc = 3;
  p.cc = 2;
  b.configure(p);
  b.send_weights_raw(0, {1, 0, 2, 3, 4, 0});  // columns {1, 0, 2} and {3, 4, 0}
  b.send_iact_raw(0, {0, 5});
  b.run_until_done();
  // Every value is read: cc * S * ceil(mc / 2) = 4 words.
  EXPECT_EQ(macs(b), 4u);
  ASSERT_EQ(b.positions.size(), 1u);
  EXPECT_EQ(b.positions[0].cycles, 4u);
  EXPECT_EQ(b.rows_out, (Rows{{15, 20, 0}}));
}

}  // namespace
}  // namespace eyeriss::rtltest
