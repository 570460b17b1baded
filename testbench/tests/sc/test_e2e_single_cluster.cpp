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
