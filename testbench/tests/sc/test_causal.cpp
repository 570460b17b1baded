// The causal timing core end to end:
//  - whole tiny layers on 1 x 1 and 2 x 2 arrays whose cycle counts are derived by hand below;
//  - order independence: the controller's configuration transactions issued in shuffled orders
//    (which also reorders same-time SystemC evaluation) give identical cycles and counters;
//  - monotonicity: with the mapping pinned, a wider link, more off-chip bandwidth or fewer hop
//    cycles never gives more cycles;
//  - a corrupted psum fails the check with coordinates; a starved PE ends as a reported
//    deadlock naming the stuck links, never a hang.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "testbench/tests/sc/sc_harness.h"

namespace eyeriss {
namespace {

using test::Isolated;
using test::run_yaml;

ArchConfig array(int rows, int cols) {
  ArchConfig a;
  a.name = "test_array";
  a.cluster_rows = rows;
  a.cluster_cols = cols;
  return a;
}

uint64_t cycles_of(const Isolated& r, std::size_t layer = 0) {
  return r.result["layers"][layer]["cycles"].get<uint64_t>();
}

// One MAC on one cluster (12 PEs, published parameters otherwise). Hand derivation, in cycles:
//  - layer command: 2134 bits x 12/192 PEs = 134 bits over the 32-bit configuration bus: 5
//    cycles; everything starts at 5.
//  - off-chip fetches the iact segment (one nonzero: 12 + 4 = 16 bits) and the weight block
//    (one column, one entry: one 24-bit word + a 7-bit address = 31 bits) at 5; a fetch decided
//    in cycle 5 is offered from the next edge, 6.
//  - weights: weight router 0 takes them [6,8) (2 cycles on the 24-bit link) and forwards one
//    cycle later on its PE bus: PE (0,0) takes them [7,9) (no earlier than the tail, 8 + 1).
//  - iacts: GLB bank 0 takes the segment [6,7) and stores it (reused later: it fits), then
//    sends it one cycle later to its iact router [7,8); the router forwards it on the bus
//    [8,9) (tail 9).
//  - PE (0,0): window and weights written at 9; one nonzero iact meets a 1-entry column: 1
//    cycle, [9,10); stages 5-7 after the last issue: the row is final at 10 + 3 = 13; psum row
//    (20 bits) to psum router 0 [13,14); router to off-chip one cycle later [14,15).
//  - the last output is off-chip at 15: the layer takes 15 cycles.
const char* kOneMac = R"(
name: t
layers:
  - {name: one, type: conv, C: 1, M: 1, H: 1, W: 1, R: 1, S: 1, shift: 0,
     weight_range: [2, 2], iact_density: 1.0}
)";

TEST(TinyLayer, OneMacOnOneClusterTakes15Cycles) {
  const Isolated r = run_yaml(array(1, 1), kOneMac);
  ASSERT_TRUE(r.all_exact()) << r.summary();
  EXPECT_EQ(cycles_of(r), 15u);
  // With configuration taking no time (config_bus_bits 0) everything starts at 0, not 5.
  ArchConfig free_config = array(1, 1);
  free_config.config_bus_bits = 0;
  const Isolated f = run_yaml(free_config, kOneMac);
  ASSERT_TRUE(f.all_exact()) << f.summary();
  EXPECT_EQ(cycles_of(f), 10u);
}

// Five output channels (M0 = 1) on a 2 x 2 array: task group 0 (channels 0-3, PE columns 0-3)
// on cluster 0 = (0,0), task group 1 (channel 4) on cluster 2 = (1,0). Both need the one iact
// stream (bank 0): a vertical multicast group {0, 2} rooted at cluster 0 is the cheapest
// sharing (same busiest link as unicast, one send instead of two); weights are unicast (each
// block is needed by one cluster). Hand derivation:
//  - command: 2134 x 48/192 = 534 bits over 32 bits per cycle: 17 cycles; start 17; off-chip
//    offers from 18.
//  - iact: bank (0,0) [18,19) stored; router iact0 of cluster 0 [19,20); it forwards at 20 to
//    its PE bus (PEs (0,0)..(0,3) take it [20,21)) and south; router iact0 of cluster 2 takes
//    it [20,21) and its PE (0,0) [21,22).
//  - weights (31 bits, 2 cycles per link): cluster 0's weight channel sends the blocks of
//    channels 0..3 in order: router [18,20) [20,22) [22,24) [24,26) (two fetched ahead, the
//    next when a slot frees), bus to PE (0,j) [19,21) [21,23) [23,25) [25,27). Cluster 2's
//    block: router [18,20), PE [19,21).
//  - each PE: 1 MAC cycle once window and weights are in; result 3 cycles after it (stages
//    5-7); 1 cycle to its psum router, 1 more to off-chip:
//      cluster 0 PE (0,j): MAC at 21, 23, 25, 27 -> off-chip done 27, 29, 31, 33;
//      cluster 2 PE (0,0): MAC at 22 -> done 28.
//  - the layer ends at 33.
TEST(TinyLayer, FiveChannelsOnA2x2ArrayTake33Cycles) {
  const Isolated r = run_yaml(array(2, 2), R"(
name: t
layers:
  - {name: five, type: conv, C: 1, M: 5, H: 1, W: 1, R: 1, S: 1, shift: 0,
     weight_range: [2, 2], iact_density: 1.0, mapping: {M0: 1, C0: 1, F0: 1, vr: 1}}
)");
  ASSERT_TRUE(r.all_exact()) << r.summary();
  EXPECT_EQ(cycles_of(r), 33u);
  EXPECT_NE(r.result["layers"][0]["iact_pattern"].get<std::string>().find("vertical groups of 2"),
            std::string::npos);
}

// A pointwise, a depthwise, a convolution and an FC layer on the published chip.
const char* kFourLayers = R"(
name: four
seed: 5
layers:
  - {name: pw, type: conv, C: 48, M: 64, H: 12, W: 12, R: 1, S: 1, shift: 9,
     weight_density: 0.5, iact_density: 0.6}
  - {name: dw, type: depthwise, C: 64, M: 64, G: 64, H: 12, W: 12, R: 3, S: 3, pad: 1, shift: 6,
     weight_density: 0.9}
  - {name: conv, type: conv, C: 64, M: 32, H: 12, W: 12, R: 3, S: 3, stride: 2, pad: 1, shift: 9,
     weight_density: 0.4}
  - {name: fc, type: fc, C: 32, M: 40, H: 6, W: 6, shift: 9, weight_density: 0.3}
)";

TEST(OrderIndependence, ShuffledIssueGivesIdenticalCyclesAndCounters) {
  const ArchConfig chip;  // the published chip
  const Isolated base = run_yaml(chip, kFourLayers);
  ASSERT_TRUE(base.all_exact()) << base.summary();
  for (uint64_t seed : {1u, 2u, 3u}) {
    TestHooks h;
    h.shuffle_issue = seed;
    const Isolated r = run_yaml(chip, kFourLayers, h);
    ASSERT_TRUE(r.all_exact()) << r.summary();
    for (std::size_t i = 0; i < 4; ++i) {
      const auto& a = base.result["layers"][i];
      const auto& b = r.result["layers"][i];
      SCOPED_TRACE(a["name"].get<std::string>() + " seed " + std::to_string(seed));
      EXPECT_EQ(a["cycles"], b["cycles"]);
      EXPECT_EQ(a["counters"], b["counters"]);
      EXPECT_EQ(a["pe_busy"], b["pe_busy"]);
    }
  }
}

// Monotonicity with the mapping pinned (tile sizes and sharing): every change below only adds
// resources, so no layer may take more cycles. On-chip changes are checked with unlimited
// off-chip bandwidth (the published configuration); off-chip bandwidth changes on chips whose
// bandwidth is limited. The one known exception, on-chip changes under limited off-chip
// bandwidth, is explained in docs/architecture.md ("Monotonicity").
struct Variant {
  const char* what;
  std::function<void(ArchConfig&)> change;
};

const char* kMonoLayers = R"(
name: mono
seed: 11
layers:
  - {name: pw, type: conv, C: 32, M: 16, H: 8, W: 8, R: 1, S: 1, shift: 8, weight_density: 0.5,
     iact_density: 0.7, mapping: {M0: 8, C0: 8, F0: 8, vr: 1, noc: {iact: multicast, weight: unicast}}}
  - {name: dw, type: depthwise, C: 16, M: 16, G: 16, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 5,
     mapping: {M0: 1, C0: 1, F0: 8, vr: 1, noc: {iact: unicast, weight: unicast}}}
  - {name: conv, type: conv, C: 16, M: 16, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 9,
     weight_density: 0.4, mapping: {M0: 4, C0: 4, F0: 8, vr: 1, noc: {iact: multicast, weight: multicast}}}
  - {name: conv_s2, type: conv, C: 16, M: 8, H: 8, W: 8, R: 3, S: 3, stride: 2, pad: 1, shift: 9,
     mapping: {M0: 8, C0: 2, F0: 4, vr: 1, noc: {iact: unicast, weight: unicast}}}
  - {name: grouped, type: conv, C: 8, M: 8, G: 2, H: 4, W: 4, R: 3, S: 3, pad: 1, shift: 7,
     mapping: {M0: 4, C0: 4, F0: 4, vr: 1}}
  - {name: fc, type: fc, C: 8, M: 24, H: 4, W: 4, shift: 8, weight_density: 0.3,
     mapping: {M0: 8, C0: 5, F0: 1, vr: 1, noc: {iact: multicast, weight: unicast}}}
  - {name: chain, type: conv, C: 24, M: 4, H: 1, W: 1, R: 1, S: 1, shift: 5,
     mapping: {M0: 4, C0: 4, F0: 1, vr: 2}}
)";

// The layers pinned for a one-cluster array: vr = 2 needs two cluster rows, and a multicast
// pin has no group to multicast to (the mapper rejects it rather than fall back to unicast).
std::string one_cluster(std::string yaml) {
  yaml.replace(yaml.rfind("vr: 2"), 5, "vr: 1");
  for (std::size_t at; (at = yaml.find(": multicast")) != std::string::npos;)
    yaml.replace(at, 11, ": unicast");
  return yaml;
}

// Runs the seven layers on every base and every variant of it; returns the layers checked.
int check_monotone(const std::vector<std::pair<const char*, ArchConfig>>& bases,
                   const std::vector<Variant>& variants) {
  int checked = 0;
  for (const auto& [name, arch] : bases) {
    std::string yaml = kMonoLayers;
    if (arch.cluster_rows * arch.cluster_cols < 2) yaml = one_cluster(yaml);
    const Isolated base = run_yaml(arch, yaml);
    EXPECT_TRUE(base.all_exact()) << name << "\n" << base.summary();
    if (!base.all_exact()) continue;
    for (const Variant& v : variants) {
      ArchConfig a = arch;
      v.change(a);
      const Isolated r = run_yaml(a, yaml);
      EXPECT_TRUE(r.all_exact()) << name << ", " << v.what << "\n" << r.summary();
      if (!r.all_exact()) continue;
      for (std::size_t i = 0; i < base.result["layers"].size(); ++i) {
        EXPECT_LE(cycles_of(r, i), cycles_of(base, i))
            << name << ", layer " << base.result["layers"][i]["name"].get<std::string>() << ": "
            << v.what << " made it slower";
        ++checked;
      }
    }
  }
  return checked;
}

// Changes to on-chip resources only.
std::vector<Variant> onchip_variants() {
  return {
      {"iact links 24 -> 48 bits", [](ArchConfig& a) { a.iact_link_bits = 48; }},
      {"weight links 24 -> 48 bits", [](ArchConfig& a) { a.weight_link_bits = 48; }},
      {"psum links 40 -> 64 bits", [](ArchConfig& a) { a.psum_link_bits = 64; }},
      {"GLB ports 24/40 -> 48/64 bits",
       [](ArchConfig& a) { a.glb_iact_port_bits = 48, a.glb_psum_port_bits = 64; }},
      {"hop 2 -> 1 cycle", [](ArchConfig& a) { a.router_hop_cycles = 1; }},
  };
}

// The published chip, one cluster and a dense-PE chip, all with two-cycle hops (so a variant
// can relax them) and the given off-chip bandwidths (bytes per cycle, 0 = unlimited).
std::vector<std::pair<const char*, ArchConfig>> three_chips(double pub_bw, double one_bw) {
  ArchConfig pub;
  pub.router_hop_cycles = 2;
  pub.offchip_bytes_per_cycle = pub_bw;
  ArchConfig one = array(1, 1);
  one.router_hop_cycles = 2;
  one.offchip_bytes_per_cycle = one_bw;
  ArchConfig dense = pub;
  dense.sparse = false;
  dense.simd = 1;
  return {{"published", pub}, {"one cluster", one}, {"dense PE", dense}};
}

TEST(Monotonicity, WiderLinksPortsAndFewerHopCyclesNeverCostCycles) {
  EXPECT_EQ(check_monotone(three_chips(0, 0), onchip_variants()), 3 * 5 * 7);
}

TEST(Monotonicity, MoreOffchipBandwidthNeverCostsCycles) {
  ArchConfig pub;
  pub.offchip_bytes_per_cycle = 4;
  ArchConfig one = array(1, 1);
  one.offchip_bytes_per_cycle = 2;
  const std::vector<Variant> variants = {
      {"off-chip bandwidth x2", [](ArchConfig& a) { a.offchip_bytes_per_cycle *= 2; }},
      {"off-chip bandwidth x4", [](ArchConfig& a) { a.offchip_bytes_per_cycle *= 4; }},
      {"off-chip bandwidth unlimited", [](ArchConfig& a) { a.offchip_bytes_per_cycle = 0; }},
  };
  EXPECT_EQ(check_monotone({{"published at 4 B/cycle", pub}, {"one cluster at 2 B/cycle", one}},
                           variants),
            2 * 3 * 7);
}

// Not a check: measures the documented exception (docs/architecture.md, "Monotonicity"), on-chip
// changes under limited off-chip bandwidth. Run with --gtest_also_run_disabled_tests.
TEST(Monotonicity, DISABLED_MeasureOnChipChangesUnderLimitedBandwidth) {
  int checks = 0, slower = 0;
  double worst = 0;
  for (const auto& [name, arch] : three_chips(4, 2)) {
    std::string yaml = kMonoLayers;
    if (arch.cluster_rows * arch.cluster_cols < 2) yaml = one_cluster(yaml);
    const Isolated base = run_yaml(arch, yaml);
    ASSERT_TRUE(base.all_exact()) << base.summary();
    for (const Variant& v : onchip_variants()) {
      ArchConfig a = arch;
      v.change(a);
      const Isolated r = run_yaml(a, yaml);
      ASSERT_TRUE(r.all_exact()) << r.summary();
      for (std::size_t i = 0; i < base.result["layers"].size(); ++i, ++checks) {
        const double b = double(cycles_of(base, i)), c = double(cycles_of(r, i));
        if (c <= b) continue;
        ++slower;
        worst = std::max(worst, c / b - 1);
        std::printf("%s at %g B/cycle, %s, layer %s: %.0f -> %.0f cycles (+%.2f %%)\n", name,
                    arch.offchip_bytes_per_cycle, v.what,
                    base.result["layers"][i]["name"].get<std::string>().c_str(), b, c,
                    100 * (c / b - 1));
      }
    }
  }
  std::printf("%d of %d checks slower; worst +%.2f %%\n", slower, checks, 100 * worst);
}

TEST(NegativeEndToEnd, ACorruptedPsumFailsWithCoordinates) {
  TestHooks h;
  h.psum_fault = true;
  const Isolated r = run_yaml(array(1, 1), R"(
name: t
layers:
  - {name: c, type: conv, C: 4, M: 4, H: 5, W: 5, R: 3, S: 3, pad: 1, shift: 6}
)",
                              h);
  ASSERT_TRUE(r.ok) << r.summary();
  const auto& l = r.result["layers"][0];
  EXPECT_FALSE(l["bit_exact"].get<bool>());
  const std::string mm = l["mismatch"].get<std::string>();
  EXPECT_NE(mm.find("psum"), std::string::npos) << mm;
  EXPECT_NE(mm.find("["), std::string::npos) << mm;  // the coordinates
}

TEST(Deadlock, AStarvedPeIsReportedNotHung) {
  TestHooks h;
  h.starve = true;
  const Isolated r = run_yaml(array(1, 1), R"(
name: t
layers:
  - {name: c, type: conv, C: 2, M: 2, H: 4, W: 4, R: 1, S: 1, shift: 4}
)",
                              h);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error_kind, "model");
  EXPECT_NE(r.error.find("deadlock"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("top.cg_r0_c0"), std::string::npos) << r.error;  // names the block
}

}  // namespace
}  // namespace eyeriss
