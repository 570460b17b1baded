// Unit tests of PeCore (pe/pe_compute.h), the PE's datapath and cycle model without SystemC.
// Every expected figure is derived by hand from docs/pe-cycle-model.md; the derivation is in the
// comment next to it. Default architecture (arch_config.h): simd 2, 7 pipeline stages, psum 20
// bits, psum link 40 bits, 2 psum SPad ports, SPads iact_addr 9, iact_data 16, weight_addr 16,
// weight_data 96, psum 32 entries.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/csc.h"
#include "pe/pe_compute.h"

namespace eyeriss {
namespace {

using V16 = std::vector<int16_t>;
using V32 = std::vector<int32_t>;

PePassConfig pass(int mc, int cc, int S, int U, int positions) {
  PePassConfig c;
  c.active = true;
  c.mc = mc;
  c.cc = cc;
  c.S = S;
  c.U = U;
  c.positions = positions;
  c.where = "test_pe";
  return c;
}

// Weight matrix mc x cols, column-major: w[k * mc + m].
CscMatrix wmat(const V16& w, int mc, int cols) { return csc_encode(w, mc, cols); }
// One iact segment: rows u*cc + c, one column.
CscMatrix iseg(const V16& v) { return csc_encode(v, static_cast<int>(v.size()), 1); }

struct PassResult {
  std::vector<PositionWork> work;  // position_work(f) just before position f is computed
  std::vector<V32> out;            // psums sent by each position
  std::vector<Cycle> cycles;       // process_position's MAC-stage cycles
};

// Runs a whole pass through the datapath: the weights, the first window_segs segments before
// position 0, then one more segment before each later position. `in` (optional) holds the
// incoming psums of each position.
PassResult run_pass(PeCore& pe, const PePassConfig& cfg, bool sparse, const V16& w,
                    const std::vector<V16>& segs, const std::vector<V32>* in = nullptr) {
  PassResult r;
  pe.configure(cfg);
  if (sparse)
    pe.load_weights(wmat(w, cfg.mc, cfg.weight_cols()));
  else
    pe.load_weights_raw(w);
  auto load = [&](int j) {
    if (sparse)
      pe.load_iact_segment(iseg(segs[j]));
    else
      pe.load_iact_segment_raw(segs[j]);
  };
  for (int j = 0; j < cfg.window_segs(); ++j) load(j);
  for (int f = 0; f < cfg.positions; ++f) {
    if (f > 0) load(f + cfg.window_segs() - 1);
    r.work.push_back(pe.position_work(f));
    V32 out;
    r.cycles.push_back(pe.process_position(in ? &(*in)[f] : nullptr, out).cycles());
    r.out.push_back(out);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Zero skipping

TEST(PeCore, AllZeroIactsCostNoMacCyclesButPsumsStillComeOut) {
  ArchConfig arch;
  PeCore pe(arch);
  pe.configure(pass(/*mc=*/2, /*cc=*/2, /*S=*/1, /*U=*/1, /*positions=*/2));
  // Weights 2 x 2, all nonzero: column 0 = {1, 2}, column 1 = {3, 4}.
  pe.load_weights(wmat({1, 2, 3, 4}, 2, 2));
  pe.load_iact_segment(iseg({0, 0}));
  // All-zero window: CSC skipped every iact -> frontend 0, words 0; the position still holds
  // stages 1-4 for its one cycle (the position controller starts one position per cycle).
  PositionWork w0 = pe.position_work(0);
  EXPECT_EQ(w0.frontend, 0);
  EXPECT_EQ(w0.words, 0);
  EXPECT_EQ(w0.cycles(), 1u);
  V32 out;
  // No MAC; no incoming psums: the psums are zeros, and they still come out.
  EXPECT_EQ(pe.process_position(nullptr, out).cycles(), 1u);
  EXPECT_EQ(out, (V32{0, 0}));

  pe.load_iact_segment(iseg({0, 0}));
  V32 in{7, -3};
  // Psums: 0 + incoming.
  EXPECT_EQ(pe.process_position(&in, out).cycles(), 1u);
  EXPECT_EQ(out, (V32{7, -3}));

  const PeStats& st = pe.stats();
  EXPECT_EQ(st.positions, 2u);
  EXPECT_EQ(st.busy_cycles, 2u);  // one per position, no MAC
  EXPECT_EQ(st.macs, 0u);
  EXPECT_EQ(st.mac_slots, 0u);
  EXPECT_EQ(st.nonzero_macs, 0u);
  EXPECT_EQ(st.weight_data_reads, 0u);
  EXPECT_EQ(st.dropped_iacts, 0u);
}

TEST(PeCore, SimdWidthSetsCyclesPerNonzeroIact) {
  // One nonzero iact meets a column of 5 nonzero weights: words = ceil(5/simd),
  // cycles = max(frontend 1, words).
  struct Case {
    int simd;
    int cycles;
  };
  for (const Case c : {Case{1, 5}, Case{2, 3}, Case{4, 2}}) {
    SCOPED_TRACE(c.simd);
    ArchConfig arch;
    arch.simd = c.simd;
    PeCore pe(arch);
    PassResult r = run_pass(pe, pass(5, 1, 1, 1, 1), true, {1, 2, 3, 4, 5}, {{3}});
    EXPECT_EQ(r.work[0].frontend, 1);
    EXPECT_EQ(r.work[0].words, c.cycles);  // ceil(5/1)=5, ceil(5/2)=3, ceil(5/4)=2
    EXPECT_EQ(r.work[0].cycles(), Cycle(c.cycles));
    EXPECT_EQ(pe.stats().busy_cycles, uint64_t(c.cycles));
    EXPECT_EQ(pe.stats().mac_slots, uint64_t(c.cycles * c.simd));  // words x SIMD: 5, 6, 8
    EXPECT_EQ(pe.stats().macs, 5u);                                // lanes holding an entry
    EXPECT_EQ(pe.stats().nonzero_macs, 5u);
    EXPECT_EQ(pe.stats().weight_data_reads, uint64_t(c.cycles));
    EXPECT_EQ(r.out[0], (V32{3, 6, 9, 12, 15}));  // 3 * {1..5}
  }
  // Two nonzero iacts, each meeting a 5-entry column: words = 2 * ceil(5/simd).
  for (const Case c : {Case{1, 10}, Case{2, 6}, Case{4, 4}}) {
    SCOPED_TRACE(c.simd);
    ArchConfig arch;
    arch.simd = c.simd;
    PeCore pe(arch);
    PassResult r =
        run_pass(pe, pass(5, 2, 1, 1, 1), true, {1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, {{1, 1}});
    EXPECT_EQ(r.work[0].frontend, 2);
    EXPECT_EQ(r.work[0].cycles(), Cycle(c.cycles));
    EXPECT_EQ(r.out[0], (V32{3, 3, 3, 3, 3}));  // 1*1 + 1*2
  }
}

TEST(PeCore, OneEntryColumnsLeaveALaneIdle) {
  // Doc example: three nonzero iacts each meeting a 1-entry column cost 3 cycles (SIMD 2).
  ArchConfig arch;
  PeCore pe(arch);
  // mc=2, cc=3, S=1: column 0 = {1, 0}, column 1 = {0, 2}, column 2 = {3, 0}.
  PassResult r = run_pass(pe, pass(2, 3, 1, 1, 1), true, {1, 0, 0, 2, 3, 0}, {{1, 1, 1}});
  EXPECT_EQ(r.work[0].frontend, 3);  // 3 nonzero iacts
  EXPECT_EQ(r.work[0].words, 3);     // 3 x ceil(1/2)
  EXPECT_EQ(r.work[0].cycles(), 3u);
  EXPECT_EQ(pe.stats().mac_slots, 6u);  // 3 words x 2 lanes
  EXPECT_EQ(pe.stats().macs, 3u);       // one lane idle in each word
  EXPECT_EQ(r.out[0], (V32{1 + 3, 2}));
}

TEST(PeCore, DroppedIactAloneCostsOneFrontEndCycle) {
  ArchConfig arch;
  PeCore pe(arch);
  // mc=4, one all-zero weight column: the CSC column is empty.
  PassResult r = run_pass(pe, pass(4, 1, 1, 1, 1), true, {0, 0, 0, 0}, {{5}});
  EXPECT_EQ(r.work[0].frontend, 1);  // the nonzero iact is walked
  EXPECT_EQ(r.work[0].words, 0);     // ... and dropped after the weight-address stage
  EXPECT_EQ(r.work[0].cycles(), 1u);
  EXPECT_EQ(pe.stats().dropped_iacts, 1u);
  EXPECT_EQ(pe.stats().macs, 0u);
  EXPECT_EQ(pe.stats().weight_data_reads, 0u);
  EXPECT_EQ(r.out[0], (V32{0, 0, 0, 0}));
}

TEST(PeCore, AnIactWalkedLateIssuesOnlyOnceWalked) {
  ArchConfig arch;
  PeCore pe(arch);
  // mc=5, cc=3, S=1: columns 0 and 1 empty, column 2 = {1..5} (3 words at SIMD 2). Iacts
  // {4, 4, 4}: the first two are dropped, the third is walked in cycle 2 and its 3 words
  // issue in cycles 2, 3, 4. frontend 3, words 3, but the position takes 5 cycles: stage 4
  // cannot read a weight word for an iact stages 1-3 have not reached (RTL: pe/rtl).
  const V16 w{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5};
  PassResult r = run_pass(pe, pass(5, 3, 1, 1, 1), true, w, {{4, 4, 4}});
  EXPECT_EQ(r.work[0].frontend, 3);
  EXPECT_EQ(r.work[0].words, 3);
  EXPECT_EQ(r.work[0].issue_end, 5);
  EXPECT_EQ(r.work[0].cycles(), 5u);
  EXPECT_EQ(r.out[0], (V32{4, 8, 12, 16, 20}));
}

TEST(PeCore, DroppedIactIsHiddenWhenTheBackEndIsBusy) {
  ArchConfig arch;
  PeCore pe(arch);
  // mc=4, cc=3, S=1: column 0 = {1,2,3,4}, column 1 empty, column 2 = {5,6,7,8}.
  const V16 w{1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8};
  PassResult r = run_pass(pe, pass(4, 3, 1, 1, 1), true, w, {{1, 9, 2}});
  EXPECT_EQ(r.work[0].frontend, 3);  // all three nonzero iacts walked, including the dropped one
  EXPECT_EQ(r.work[0].words, 4);     // ceil(4/2) + 0 + ceil(4/2)
  // cycles = max(3, 4) = 4, not 5: the dropped iact costs no extra cycle.
  EXPECT_EQ(r.work[0].cycles(), 4u);
  EXPECT_EQ(pe.stats().busy_cycles, 4u);
  EXPECT_EQ(pe.stats().dropped_iacts, 1u);
  EXPECT_EQ(pe.stats().macs, 8u);
  EXPECT_EQ(pe.stats().nonzero_macs, 8u);
  // out[m] = 1*col0[m] + 2*col2[m].
  EXPECT_EQ(r.out[0], (V32{1 + 10, 2 + 12, 3 + 14, 4 + 16}));
}

TEST(PeCore, ExplicitZeroIactCostsFrontEndCycleButNoWeightRead) {
  ArchConfig arch;
  arch.weight_addr.entries = 32;  // so cc=20 weight columns fit and a segment has 20 rows
  PeCore pe(arch);
  // mc=6, cc=20, S=1: column 0 = {1,0,0,0,0,0} (1 entry), column 16 = {1..6} (6 entries,
  // 3 words if it were read), column 18 = {0,0,0,0,0,2} (1 entry); others empty.
  V16 w(6 * 20, 0);
  w[0 * 6 + 0] = 1;
  for (int m = 0; m < 6; ++m) w[16 * 6 + m] = static_cast<int16_t>(m + 1);
  w[18 * 6 + 5] = 2;
  // Iact segment of 20 rows: row 0 = 3, row 18 = 4. The zero run rows 1..17 (17 > 15) is cut
  // by an explicit zero entry at row 16 (count 15), then row 18 has count 1: 3 entries.
  V16 x(20, 0);
  x[0] = 3;
  x[18] = 4;
  const CscMatrix xs = iseg(x);
  ASSERT_EQ(xs.entries(), 3);
  ASSERT_EQ(xs.data[1], 0);
  ASSERT_EQ(xs.count[1], 15);

  PassResult r = run_pass(pe, pass(6, 20, 1, 1, 1), true, w, {x});
  EXPECT_EQ(r.work[0].frontend, 3);   // row 0, the explicit zero, row 18
  EXPECT_EQ(r.work[0].words, 2);      // ceil(1/2) + (explicit zero: none) + ceil(1/2)
  EXPECT_EQ(r.work[0].cycles(), 3u);  // max(3, 2): the explicit zero sets the pace
  EXPECT_EQ(pe.stats().weight_data_reads, 2u);
  EXPECT_EQ(pe.stats().macs, 2u);
  EXPECT_EQ(pe.stats().dropped_iacts, 0u);
  EXPECT_EQ(r.out[0], (V32{3, 0, 0, 0, 0, 8}));  // m0: 3*1, m5: 4*2
}

TEST(PeCore, ExplicitZeroWeightEntriesOccupyLanes) {
  ArchConfig arch;
  PeCore pe(arch);
  // mc=20, one column: m0 = 1, m19 = 2. Zero run rows 1..18 (18 > 15): explicit zero at row 16
  // (count 15), then m19 with count 2 -> 3 entries -> ceil(3/2) = 2 words.
  V16 w(20, 0);
  w[0] = 1;
  w[19] = 2;
  PassResult r = run_pass(pe, pass(20, 1, 1, 1, 1), true, w, {{5}});
  EXPECT_EQ(r.work[0].frontend, 1);
  EXPECT_EQ(r.work[0].words, 2);
  EXPECT_EQ(r.work[0].cycles(), 2u);
  EXPECT_EQ(pe.stats().mac_slots, 4u);     // 2 words x 2
  EXPECT_EQ(pe.stats().macs, 3u);          // 3 entries, the explicit zero included
  EXPECT_EQ(pe.stats().nonzero_macs, 2u);  // the explicit zero weight excluded
  V32 expect(20, 0);
  expect[0] = 5;
  expect[19] = 10;
  EXPECT_EQ(r.out[0], expect);
}

// ---------------------------------------------------------------------------------------------
// Windows and strides

TEST(PeCore, WindowS3U1SpansThreeSegments) {
  ArchConfig arch;
  PeCore pe(arch);
  const PePassConfig cfg = pass(/*mc=*/3, /*cc=*/1, /*S=*/3, /*U=*/1, /*positions=*/2);
  EXPECT_EQ(cfg.seg_cols(), 1);     // U <= S: seg_cols = U
  EXPECT_EQ(cfg.window_segs(), 3);  // ceil(3/1)
  EXPECT_EQ(cfg.segments(), 4);     // positions - 1 + window_segs
  // W[m][s]: m0 = {1,0,4}, m1 = {2,3,5}, m2 = {6,7,0}. Columns (k = s): col0 = {1,2,6}
  // (3 entries, 2 words), col1 = {0,3,7} (2 entries, 1 word), col2 = {4,5,0} (2 entries, 1 word).
  const V16 w{1, 2, 6, 0, 3, 7, 4, 5, 0};
  // Iact row x = {1, 0, 2, 3}, one column per segment.
  PassResult r = run_pass(pe, cfg, true, w, {{1}, {0}, {2}, {3}});
  // Position 0: window x0..x2 = 1,0,2: x0 (s0) -> col0 2 words, x1 skipped by CSC, x2 (s2) ->
  // col2 1 word: frontend 2, words 3, cycles 3.
  EXPECT_EQ(r.work[0].frontend, 2);
  EXPECT_EQ(r.work[0].words, 3);
  EXPECT_EQ(r.work[0].cycles(), 3u);
  // out0[m] = W[m][0]*1 + W[m][2]*2 = {1+8, 2+10, 6+0}.
  EXPECT_EQ(r.out[0], (V32{9, 12, 6}));
  // Position 1: window x1..x3 = 0,2,3: x2 (s1) -> col1 1 word, x3 (s2) -> col2 1 word.
  EXPECT_EQ(r.work[1].frontend, 2);
  EXPECT_EQ(r.work[1].words, 2);
  EXPECT_EQ(r.work[1].cycles(), 2u);
  // out1[m] = W[m][1]*2 + W[m][2]*3 = {0+12, 6+15, 14+0}.
  EXPECT_EQ(r.out[1], (V32{12, 21, 14}));
  EXPECT_EQ(pe.stats().busy_cycles, 5u);  // 3 + 2
  EXPECT_EQ(pe.stats().macs, 9u);         // (3 + 2) + (2 + 2)
}

TEST(PeCore, WindowS3U2SkipsTheColumnPastTheWindow) {
  ArchConfig arch;
  PeCore pe(arch);
  const PePassConfig cfg = pass(/*mc=*/1, /*cc=*/2, /*S=*/3, /*U=*/2, /*positions=*/2);
  EXPECT_EQ(cfg.seg_cols(), 2);     // U <= S: seg_cols = U = 2
  EXPECT_EQ(cfg.window_segs(), 2);  // ceil(3/2)
  EXPECT_EQ(cfg.segments(), 3);
  // Weights 1 x 6, k = c*3 + s: W[c0] = {1,2,3}, W[c1] = {4,5,6}; each column 1 entry/1 word.
  const V16 w{1, 2, 3, 4, 5, 6};
  // Input columns (c0, c1): col0 (1,1), col1 (2,0), col2 (0,3), col3 (5,5), col4 (1,2),
  // col5 (7,7). Segment j = cols 2j, 2j+1, row u*cc + c.
  const std::vector<V16> segs{{1, 1, 2, 0}, {0, 3, 5, 5}, {1, 2, 7, 7}};
  PassResult r = run_pass(pe, cfg, true, w, segs);
  // Position 0: segment 0 (s = 0,1): (s0,c0)=1, (s0,c1)=1, (s1,c0)=2 [(s1,c1)=0 skipped];
  // segment 1 (s = 2,3): (s2,c0)=0 skipped, (s2,c1)=3, then (s3,c0)=5 is past the window:
  // ends the walk. frontend 3 + 1 = 4, words 4.
  EXPECT_EQ(r.work[0].frontend, 4);
  EXPECT_EQ(r.work[0].words, 4);
  EXPECT_EQ(r.work[0].cycles(), 4u);
  // out0 = W[c0][0]*1 + W[c1][0]*1 + W[c0][1]*2 + W[c1][2]*3 = 1 + 4 + 4 + 18.
  EXPECT_EQ(r.out[0], (V32{27}));
  // Position 1: segment 1: (s0,c1)=3, (s1,c0)=5, (s1,c1)=5; segment 2: (s2,c0)=1, (s2,c1)=2,
  // (s3,c0)=7 ends the walk. frontend 5, words 5.
  EXPECT_EQ(r.work[1].frontend, 5);
  EXPECT_EQ(r.work[1].words, 5);
  EXPECT_EQ(r.work[1].cycles(), 5u);
  // out1 = 4*3 + 2*5 + 5*5 + 3*1 + 6*2 = 12 + 10 + 25 + 3 + 12.
  EXPECT_EQ(r.out[1], (V32{62}));
  EXPECT_EQ(pe.stats().macs, 9u);
}

TEST(PeCore, StrideLargerThanFilterSendsOnlyUsedColumns) {
  ArchConfig arch;
  PeCore pe(arch);
  const PePassConfig cfg = pass(/*mc=*/1, /*cc=*/2, /*S=*/1, /*U=*/2, /*positions=*/2);
  EXPECT_EQ(cfg.seg_cols(), 1);     // U > S: seg_cols = S
  EXPECT_EQ(cfg.window_segs(), 1);  // U > S: 1
  EXPECT_EQ(cfg.segments(), 2);
  // Weights 1 x 2: W[c0] = 2, W[c1] = 3. Segment j = input column 2j only: rows c.
  PassResult r = run_pass(pe, cfg, true, {2, 3}, {{1, 2}, {0, 4}});
  EXPECT_EQ(r.work[0].cycles(), 2u);  // 2 nonzero iacts, 1 word each
  EXPECT_EQ(r.out[0], (V32{2 * 1 + 3 * 2}));
  EXPECT_EQ(r.work[1].cycles(), 1u);  // 1 nonzero iact
  EXPECT_EQ(r.out[1], (V32{3 * 4}));

  // A segment of U*cc = 4 rows is the wrong shape (seg_cols is 1).
  PeCore pe2(arch);
  pe2.configure(cfg);
  EXPECT_THROW(pe2.load_iact_segment(iseg({1, 2, 3, 4})), std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// Psum values

TEST(PeCore, PsumsAddIncomingAndWrapTo20Bits) {
  // mc=2, cc=2, S=2, U=1, one position (2 segments). k = c*2 + s:
  // m0: k0..3 = {1, -2, 3, 4}; m1: {5, 0, -6, -7}. Column-major w[k*2 + m].
  const V16 w{1, 5, -2, 0, 3, -6, 4, -7};
  // Iact column 0 = (c0 2, c1 3), column 1 = (c0 1, c1 4).
  const std::vector<V16> segs{{2, 3}, {1, 4}};
  // (s0,c0)=2 -> k0, (s0,c1)=3 -> k2, (s1,c0)=1 -> k1, (s1,c1)=4 -> k3.
  // m0 = 1*2 + 3*3 + (-2)*1 + 4*4 = 25; m1 = 5*2 + (-6)*3 + 0*1 + (-7)*4 = -36.
  {
    ArchConfig arch;
    PeCore pe(arch);
    PassResult r = run_pass(pe, pass(2, 2, 2, 1, 1), true, w, segs);
    EXPECT_EQ(r.out[0], (V32{25, -36}));
    // Columns: k0 2 entries, k1 1, k2 2, k3 2 -> 1 word each; 4 nonzero iacts.
    EXPECT_EQ(r.work[0].frontend, 4);
    EXPECT_EQ(r.work[0].words, 4);
    EXPECT_EQ(pe.stats().macs, 7u);
    EXPECT_EQ(pe.stats().nonzero_macs, 7u);
    EXPECT_EQ(pe.stats().mac_slots, 8u);
  }
  {
    ArchConfig arch;
    PeCore pe(arch);
    const std::vector<V32> in{{100, -50}};
    PassResult r = run_pass(pe, pass(2, 2, 2, 1, 1), true, w, segs, &in);
    EXPECT_EQ(r.out[0], (V32{125, -86}));  // 25 + 100, -36 - 50
  }
  {
    ArchConfig arch;
    PeCore pe(arch);
    // 2^19 - 1 = 524287 + 25 = 524312 -> wraps to 524312 - 2^20 = -524264.
    // -2^19 = -524288 - 36 = -524324 -> wraps to -524324 + 2^20 = 524252.
    const std::vector<V32> in{{524287, -524288}};
    PassResult r = run_pass(pe, pass(2, 2, 2, 1, 1), true, w, segs, &in);
    EXPECT_EQ(r.out[0], (V32{-524264, 524252}));
  }
}

// ---------------------------------------------------------------------------------------------
// Dense mode

TEST(PeCore, DenseModeCostsTheFullWindowRegardlessOfZeros) {
  ArchConfig arch;
  arch.sparse = false;
  PeCore pe(arch);
  // mc=3, cc=2, S=2, U=1, 2 positions (3 raw segments). Raw weights w[k*3 + m], k = c*2 + s:
  // k0 = {1,0,2}, k1 = {0,0,3}, k2 = {4,5,0}, k3 = {0,6,7}.
  const V16 w{1, 0, 2, 0, 0, 3, 4, 5, 0, 0, 6, 7};
  // Iact columns (c0, c1): col0 (1,0), col1 (0,2), col2 (3,0).
  const std::vector<V16> segs{{1, 0}, {0, 2}, {3, 0}};
  PassResult r = run_pass(pe, pass(3, 2, 2, 1, 2), false, w, segs);
  for (int f = 0; f < 2; ++f) {
    SCOPED_TRACE(f);
    // Every iact of the window is read: frontend cc*S = 4; words cc*S*ceil(3/2) = 8.
    EXPECT_EQ(r.work[f].frontend, 4);
    EXPECT_EQ(r.work[f].words, 8);
    EXPECT_EQ(r.work[f].cycles(), 8u);
  }
  // Position 0: (s0,c0)=1 -> k0, (s1,c1)=2 -> k3: m = {1+0, 0+12, 2+14}.
  EXPECT_EQ(r.out[0], (V32{1, 12, 16}));
  // Position 1: (s0,c1)=2 -> k2, (s1,c0)=3 -> k1: m = {8+0, 10+0, 0+9}.
  EXPECT_EQ(r.out[1], (V32{8, 10, 9}));
  const PeStats& st = pe.stats();
  EXPECT_EQ(st.busy_cycles, 16u);  // 2 x 8
  EXPECT_EQ(st.mac_slots, 32u);    // 2 x 8 words x 2 lanes
  EXPECT_EQ(st.macs, 24u);         // 2 x cc*S*mc = 2 x 12
  // Nonzero pairs: pos 0: iact 1 x k0 (2 nonzero) + iact 2 x k3 (2) = 4;
  // pos 1: iact 2 x k2 (2) + iact 3 x k1 (1) = 3.
  EXPECT_EQ(st.nonzero_macs, 7u);
  EXPECT_EQ(st.dropped_iacts, 0u);
}

TEST(PeCore, DenseModeAllZeroWindowStillCostsFullCycles) {
  ArchConfig arch;
  arch.sparse = false;
  PeCore pe(arch);
  // mc=3, cc=2, S=1: cycles = 2 * 1 * ceil(3/2) = 4 even with all-zero iacts and weights.
  PassResult r = run_pass(pe, pass(3, 2, 1, 1, 1), false, V16(6, 0), {{0, 0}});
  EXPECT_EQ(r.work[0].cycles(), 4u);
  EXPECT_EQ(pe.stats().busy_cycles, 4u);
  EXPECT_EQ(pe.stats().nonzero_macs, 0u);
  EXPECT_EQ(pe.stats().macs, 6u);  // cc*S*mc lanes
  EXPECT_EQ(r.out[0], (V32{0, 0, 0}));
}

// Dense mode gates the address SPads (doc: "Dense mode: raw, cc*S*ceil(mc/simd) words, address
// SPad gated"): no address SPad reads or writes are counted.
TEST(PeCore, DenseModeGatesTheAddressSpads) {
  ArchConfig arch;
  arch.sparse = false;
  PeCore pe(arch);
  run_pass(pe, pass(3, 2, 1, 1, 1), false, V16{1, 2, 3, 4, 5, 6}, {{1, 1}});
  EXPECT_EQ(pe.stats().weight_addr_writes, 0u);
  EXPECT_EQ(pe.stats().iact_addr_writes, 0u);
  EXPECT_EQ(pe.stats().iact_addr_reads, 0u);
  EXPECT_EQ(pe.stats().weight_addr_reads, 0u);  // doc: gated
}

// ---------------------------------------------------------------------------------------------
// Capacity errors

TEST(PeCore, WeightWordsBeyondTheDataSpadThrow) {
  ArchConfig arch;
  {
    // mc=32, cc=6, S=1, all nonzero: 6 columns x ceil(32/2) = 96 words = weight_data.entries.
    PeCore pe(arch);
    pe.configure(pass(32, 6, 1, 1, 1));
    EXPECT_NO_THROW(pe.load_weights(wmat(V16(32 * 6, 1), 32, 6)));
  }
  {
    // cc=7: 7 x 16 = 112 > 96.
    PeCore pe(arch);
    pe.configure(pass(32, 7, 1, 1, 1));
    EXPECT_THROW(pe.load_weights(wmat(V16(32 * 7, 1), 32, 7)), std::runtime_error);
  }
  {
    // Columns never share a word: 16 one-entry columns take 16 words (not ceil(16/2) = 8).
    ArchConfig small = arch;
    small.weight_data.entries = 8;
    PeCore pe(small);
    pe.configure(pass(1, 16, 1, 1, 1));
    EXPECT_THROW(pe.load_weights(wmat(V16(16, 1), 1, 16)), std::runtime_error);
  }
  {
    // Dense: cc*S*ceil(mc/simd) = 7 * 16 = 112 > 96; 6 * 16 = 96 fits.
    ArchConfig dense = arch;
    dense.sparse = false;
    PeCore pe(dense);
    pe.configure(pass(32, 7, 1, 1, 1));
    EXPECT_THROW(pe.load_weights_raw(V16(32 * 7, 1)), std::runtime_error);
    PeCore pe2(dense);
    pe2.configure(pass(32, 6, 1, 1, 1));
    EXPECT_NO_THROW(pe2.load_weights_raw(V16(32 * 6, 1)));
  }
}

TEST(PeCore, WeightColumnsBeyondTheAddressSpadThrow) {
  ArchConfig arch;
  {
    // cc*S = 8*2 = 16 = weight_addr.entries: fits.
    PeCore pe(arch);
    pe.configure(pass(1, 8, 2, 1, 1));
    EXPECT_NO_THROW(pe.load_weights(wmat(V16(16, 1), 1, 16)));
  }
  {
    // cc*S = 17 > 16, even though the 17 words fit the data SPad.
    PeCore pe(arch);
    pe.configure(pass(1, 17, 1, 1, 1));
    EXPECT_THROW(pe.load_weights(wmat(V16(17, 1), 1, 17)), std::runtime_error);
  }
  {
    // Dense mode: the address SPad is gated, so only the data SPad limits (17 words <= 96).
    ArchConfig dense = arch;
    dense.sparse = false;
    PeCore pe(dense);
    pe.configure(pass(1, 17, 1, 1, 1));
    EXPECT_NO_THROW(pe.load_weights_raw(V16(17, 1)));
  }
}

TEST(PeCore, IactSegmentBeyondTheDataSpadThrows) {
  ArchConfig arch;
  arch.iact_data.entries = 4;
  {
    PeCore pe(arch);
    pe.configure(pass(1, 5, 1, 1, 1));
    EXPECT_THROW(pe.load_iact_segment(iseg({1, 1, 1, 1, 1})), std::runtime_error);  // 5 > 4
  }
  {
    PeCore pe(arch);
    pe.configure(pass(1, 5, 1, 1, 1));
    EXPECT_NO_THROW(pe.load_iact_segment(iseg({1, 1, 0, 1, 1})));  // 4 entries fit
  }
}

TEST(PeCore, McBeyondThePsumSpadThrows) {
  ArchConfig arch;
  PeCore pe(arch);
  EXPECT_NO_THROW(pe.configure(pass(32, 1, 1, 1, 1)));  // 32 = psum.entries
  PeCore pe2(arch);
  EXPECT_THROW(pe2.configure(pass(33, 1, 1, 1, 1)), std::runtime_error);
}

TEST(PeCore, WindowThatCannotBeResidentThrows) {
  ArchConfig arch;
  arch.iact_data.entries = 12;
  // cc=8, S=2, U=1: the window is 2 segments of 8 rows, resident together.
  {
    PeCore pe(arch);
    pe.configure(pass(1, 8, 2, 1, 1));
    pe.load_iact_segment(iseg(V16(8, 1)));  // 8 entries
    // 8 + 5 = 13 > 12.
    EXPECT_THROW(pe.load_iact_segment(iseg({1, 1, 1, 1, 1, 0, 0, 0})), std::runtime_error);
  }
  {
    PeCore pe(arch);
    pe.configure(pass(1, 8, 2, 1, 1));
    pe.load_iact_segment(iseg(V16(8, 1)));
    // 8 + 4 = 12 fits.
    EXPECT_NO_THROW(pe.load_iact_segment(iseg({1, 1, 1, 1, 0, 0, 0, 0})));
  }
  // window_segs must fit the iact address SPad (9 entries): S=10, U=1 -> 10 segments.
  ArchConfig def;
  PeCore pe(def);
  EXPECT_THROW(pe.configure(pass(1, 1, 10, 1, 1)), std::runtime_error);
  PeCore pe2(def);
  EXPECT_NO_THROW(pe2.configure(pass(1, 1, 9, 1, 1)));  // 9 segments fit
}

// ---------------------------------------------------------------------------------------------
// Timing

// When things happen (SPad writes waiting for room, positions waiting for their window, the
// psum double buffer, passes one after another) is the PE module's job: pe/pe.h, tested through
// its sockets in testbench/tests/sc/test_pe_timing.cpp.

}  // namespace
}  // namespace eyeriss
