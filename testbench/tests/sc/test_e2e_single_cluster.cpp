// End to end through one cluster group: every layer kind, dense and sparse, bit-exact.
#include <gtest/gtest.h>

#include <systemc>

#include "models/common/arch_config.h"
#include "testbench/tests/sc/sc_harness.h"
#include "testbench/workload.h"

namespace eyeriss {
namespace {

ArchConfig single_cluster(bool sparse = true) {
  ArchConfig a;
  a.name = "single_cluster";
  a.cluster_rows = a.cluster_cols = 1;
  a.sparse = sparse;
  return a;
}

using test::run_yaml;

TEST(SingleCluster, ConvStridePadSparse) {
  auto r = run_yaml(single_cluster(), R"(
name: t
seed: 3
layers:
  - {name: c1, type: conv, C: 6, M: 10, H: 11, W: 13, R: 3, S: 3, stride: 2, pad: 1, shift: 8,
     weight_density: 0.4, iact_density: 0.5}
)");
  EXPECT_TRUE(r.all_exact()) << r.summary();
}

TEST(SingleCluster, ConvDense) {
  auto r = run_yaml(single_cluster(false), R"(
name: t
layers:
  - {name: c1, type: conv, C: 5, M: 7, H: 9, W: 9, R: 3, S: 3, stride: 1, pad: 1, shift: 10}
)");
  EXPECT_TRUE(r.all_exact()) << r.summary();
}

}  // namespace
}  // namespace eyeriss

namespace eyeriss {
namespace {

// Streams large enough to fill the GLB iact banks, reused diagonally by later passes: a stream
// hit early in a pass must survive the evictions later streams of the same pass cause.
TEST(SingleCluster, GlbEvictionKeepsStreamsInUse) {
  auto r = run_yaml(single_cluster(), R"(
name: t
layers:
  - {name: c1, type: conv, C: 3, M: 8, H: 35, W: 227, R: 11, S: 11, stride: 4, pad: 0,
     shift: 11, weight_density: 0.84}
)");
  EXPECT_TRUE(r.all_exact()) << r.summary();
}

}  // namespace
}  // namespace eyeriss

namespace eyeriss {
namespace {

// Eyeriss v1's flat NoC as configs/eyeriss_v1.yaml builds it: one 12 x 16 PE array, one iact
// bus from one GLB bank to all 192 PEs, a weight bus per PE row, ID matching at the PEs.
ArchConfig flat_v1() {
  ArchConfig a;
  a.name = "flat_v1";
  a.cluster_rows = a.cluster_cols = 1;
  a.pe_rows = 12;
  a.pe_cols = 16;
  a.sparse = false;
  a.simd = 1;
  a.glb_iact_banks = a.iact_routers = 1;
  a.glb_iact_bank_bytes = 73728;
  a.glb_psum_banks = a.psum_routers = 16;
  a.glb_psum_bank_bytes = 7680;
  a.weight_routers = 12;
  a.glb_iact_port_bits = a.iact_link_bits = 64;
  return a;
}

// ID matching on a bus of 192 receivers delivers every packet to exactly the PEs whose passes
// take it: no offer is refused, and the deliveries are those of the schedule. Every (row task,
// reduction item) pair is one PE pass taking positions - 1 + window segments:
//  3 x 3, C = M = 4, 8 x 8, pad 1, M0 = C0 = 4: 8 rows x 3 items x (8 - 1 + 3) = 240;
//  1 x 1, C = 4, M = 8, 8 x 8, M0 = 8, C0 = 4: 8 rows x 1 item  x 8           = 64.
// Weights: one block per (item, channel chunk) per PE row, each PE of the row taking it once
// per pass: 8 x 3 = 24 and 8 x 1 = 8 deliveries.
TEST(FlatArray, IdMatchingDeliversExactly) {
  auto r = test::run_yaml(flat_v1(), R"(
name: t
seed: 5
layers:
  - {name: c3, type: conv, C: 4, M: 4, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8,
     mapping: {M0: 4, C0: 4}}
  - {name: p1, type: conv, C: 4, M: 8, H: 8, W: 8, R: 1, S: 1, shift: 8,
     mapping: {M0: 8, C0: 4}}
)");
  ASSERT_TRUE(r.all_exact()) << r.summary();
  const auto& l = r.result["layers"];
  const std::pair<uint64_t, uint64_t> expected[] = {{240, 24}, {64, 8}};
  for (int i = 0; i < 2; ++i) {
    const auto& c = l[i]["counters"];
    SCOPED_TRACE(l[i]["name"].get<std::string>());
    EXPECT_EQ(c["noc.iact.pe_deliveries"].get<uint64_t>(), expected[i].first);
    EXPECT_EQ(c["noc.weight.pe_deliveries"].get<uint64_t>(), expected[i].second);
    EXPECT_EQ(c["noc.iact.offers_refused"].get<uint64_t>(), 0u);
    EXPECT_EQ(c["noc.weight.offers_refused"].get<uint64_t>(), 0u);
  }
}

}  // namespace
}  // namespace eyeriss
