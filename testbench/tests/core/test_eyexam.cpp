// Eyexam bounds on small layers, every figure derived by hand (docs/eyexam.md).
#include <gtest/gtest.h>

#include "models/eyexam/eyexam.h"
#include "models/mapper/mapper.h"

namespace eyeriss {
namespace {

ArchConfig one_cluster() {
  ArchConfig a;
  a.cluster_rows = a.cluster_cols = 1;  // 12 PEs, SIMD 2
  return a;
}

Layer conv(int E) {
  Layer l;
  l.name = "t";
  l.C = 2, l.M = 4, l.H = E, l.W = 4, l.R = 3, l.S = 3, l.pad = 1, l.stride = 1;
  return l;
}

TEST(Eyexam, HandComputedFullArray) {
  const ArchConfig a = one_cluster();
  // E = F = 4, M0 = 4, C0 = 2: 4 row tasks (one per PE column), 3 reduction items (r = 0..2,
  // one per PE row): one pass filling all 12 PEs.
  const LayerProgram p = build_program(conv(4), a, Mapping{4, 2, 4, 1});
  ASSERT_EQ(p.passes.size(), 1u);
  const std::map<std::string, uint64_t> c = {
      {"pe.mac_slots", 160}, {"glb.iact.port_bits", 1200}, {"noc.iact.local_bits", 900}};
  const EyexamResult r = eyexam(p, a, /*effective MACs*/ 100, c, /*cycles*/ 50);
  EXPECT_DOUBLE_EQ(r.bound[0], 100);  // 1: all 100 MACs in one cycle
  // 2: primitives N*G*M/G*C/G*R*E = 1*1*4*2*3*4 = 96, x SIMD 2 = 192 -> min(100, 192).
  EXPECT_DOUBLE_EQ(r.bound[1], 100);
  EXPECT_DOUBLE_EQ(r.bound[2], 24);  // 3: 12 PEs x 2
  EXPECT_DOUBLE_EQ(r.bound[3], 24);  // 4: 12 of 12 PE slots used
  EXPECT_DOUBLE_EQ(r.bound[4], 15);  // 5: 24 x 100 / 160 MAC slots
  // 6: GLB iact ports 3 banks x 24 bits = 72 bits/cycle x 100/1200 MACs/bit = 6; the iact
  // router links (3 x 24 = 72) x 100/900 = 8 are looser; off-chip is unlimited.
  EXPECT_DOUBLE_EQ(r.bound[5], 6);
  EXPECT_DOUBLE_EQ(r.bound[6], 2);  // 7: 100 / 50
  EXPECT_NE(r.why[5].find("GLB iact ports"), std::string::npos) << r.why[5];
}

TEST(Eyexam, HalfTheColumnsIdle) {
  const ArchConfig a = one_cluster();
  // E = 2: two row tasks for four PE columns -> 6 of 12 PE slots used.
  const LayerProgram p = build_program(conv(2), a, Mapping{4, 2, 4, 1});
  const EyexamResult r = eyexam(p, a, 1000, {{"pe.mac_slots", 1000}}, 100);
  EXPECT_DOUBLE_EQ(r.bound[2], 24);
  EXPECT_DOUBLE_EQ(r.bound[3], 12);  // 24 x 6/12
  EXPECT_DOUBLE_EQ(r.bound[4], 12);  // lanes fully used (24 x 1000/1000 = 24) -> not limiting
  EXPECT_DOUBLE_EQ(r.bound[5], 12);  // no traffic counted -> not limiting
  EXPECT_DOUBLE_EQ(r.bound[6], 10);
}

TEST(Eyexam, DataflowLimitsTinyLayers) {
  const ArchConfig a = one_cluster();
  // Depthwise-like: G = C = M = 1, R = 3, E = 1 (H = 1, pad 1): 1*1*1*1*3*1 = 3 primitives,
  // x SIMD 2 = 6 MACs/cycle at most, below the 24 of the 12 PEs.
  Layer l = conv(1);
  l.C = l.M = 1;
  const LayerProgram p = build_program(l, a, Mapping{1, 1, 4, 1});
  const EyexamResult r = eyexam(p, a, 9, {{"pe.mac_slots", 18}}, 9);
  EXPECT_DOUBLE_EQ(r.bound[0], 9);
  EXPECT_DOUBLE_EQ(r.bound[1], 6);
  EXPECT_DOUBLE_EQ(r.bound[2], 6);
  // 4: one task, 3 items: 3 of 12 slots -> 24 x 0.25 = 6, equal to the previous bound.
  EXPECT_DOUBLE_EQ(r.bound[3], 6);
  EXPECT_DOUBLE_EQ(r.bound[4], 6);  // 24 x 9/18 = 12 -> not limiting
  EXPECT_DOUBLE_EQ(r.bound[6], 1);
}

TEST(Eyexam, OffchipBandwidthRoofline) {
  ArchConfig a = one_cluster();
  a.offchip_bytes_per_cycle = 2;  // 16 bits/cycle
  const LayerProgram p = build_program(conv(4), a, Mapping{4, 2, 4, 1});
  // 800 off-chip bits for 100 MACs: 16 x 100/800 = 2 MACs/cycle.
  const EyexamResult r =
      eyexam(p, a, 100, {{"pe.mac_slots", 100}, {"offchip.iact_bits", 800}}, 100);
  EXPECT_DOUBLE_EQ(r.bound[5], 2);
  EXPECT_NE(r.why[5].find("off-chip"), std::string::npos);
  EXPECT_DOUBLE_EQ(r.bound[6], 1);
}

TEST(Eyexam, BoundsNeverIncrease) {
  const ArchConfig a = one_cluster();
  const LayerProgram p = build_program(conv(4), a, Mapping{2, 1, 2, 1});
  const EyexamResult r = eyexam(p, a, 5000, {{"pe.mac_slots", 2000}}, 10);
  for (int k = 1; k < 6; ++k) EXPECT_LE(r.bound[k], r.bound[k - 1]) << k;
}

}  // namespace
}  // namespace eyeriss
