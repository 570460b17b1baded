// A LayerReport survives the trip through JSON/CBOR that `run --jobs N` workers use, field for
// field and bit for bit (doubles included, NaN too).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "testbench/layer_report_json.h"

namespace eyeriss {
namespace {

LayerReport every_field_set() {
  LayerReport r;
  r.name = "conv1";
  r.type = "depthwise";
  r.mapping = "M0=4 C0=2";
  r.map.M0 = 4;
  r.map.C0 = 2;
  r.map.F0 = 7;
  r.map.vr = 2;
  r.map.iact_sharing = Sharing::Interleaved;
  r.map.weight_sharing = Sharing::Broadcast;
  r.pinned = true;
  r.passes = 11;
  r.steps = 3;
  r.candidates = 99;
  r.est_cycles = 1.0 / 3.0;
  r.planned_offchip_read_bits = 123456789012ull;
  r.loop_nest = "for m0\n  for c0";
  r.cycles = 123456789012ull;
  r.macs = -5;
  r.nonzero_macs = 17;
  r.golden_nonzero_macs = 18;
  r.macs_performed = 19;
  r.mac_slots = 20;
  r.active_pes = 21;
  r.total_pes = 192;
  r.utilization = std::nextafter(0.5, 1.0);
  r.busy_min = 1;
  r.busy_max = 2;
  r.busy_mean = 1e-300;
  r.counters = {{"spad_psum_read", 5512324}, {"offchip_read_bit", ~0ull}};
  r.eyexam = {1, 2, 3, 4, 5, 6, std::numeric_limits<double>::quiet_NaN()};
  r.eyexam_why = {"a", "b", "c", "d", "e", "f", "g"};
  r.pe_busy = {3, 4, 5};
  r.link_iact = {{1, 2}, {3}};
  r.link_weight = {{4}};
  r.link_psum = {{}, {5, 6}};
  r.iact_streams_stored = 7;
  r.iact_streams_reused = 8;
  r.iact_streams_passed = 9;
  r.offchip_min_iact_bits = 1ull << 40;
  r.offchip_min_weight_bits = 17;
  r.offchip_min_oact_bits = 18;
  r.iact_mode = "multicast";
  r.weight_mode = "unicast";
  r.iact_pattern = "grouped";
  r.weight_pattern = "broadcast";
  r.energy_pj = 873.4e6;
  r.bit_exact = true;
  r.mismatch = "psum [0][1][2][3]: 5 vs 6";
  r.rtl_pes = 12;
  r.rtl_positions = 13;
  r.rtl_rows = 14;
  r.rtl_cycle_divergences = 15;
  r.rtl_first_cycle_divergence = "pe_r0_c0 position 3";
  return r;
}

TEST(LayerReportJson, EveryFieldRoundTripsExactlyThroughCbor) {
  const LayerReport a = every_field_set();
  const auto cbor = nlohmann::json::to_cbor(layer_report_to_json(a));
  const LayerReport b = layer_report_from_json(nlohmann::json::from_cbor(cbor));
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.type, a.type);
  EXPECT_EQ(b.mapping, a.mapping);
  EXPECT_EQ(b.map.M0, 4);
  EXPECT_EQ(b.map.C0, 2);
  EXPECT_EQ(b.map.F0, 7);
  EXPECT_EQ(b.map.vr, 2);
  EXPECT_EQ(b.map.iact_sharing, Sharing::Interleaved);
  EXPECT_EQ(b.map.weight_sharing, Sharing::Broadcast);
  EXPECT_EQ(b.pinned, a.pinned);
  EXPECT_EQ(b.passes, a.passes);
  EXPECT_EQ(b.steps, a.steps);
  EXPECT_EQ(b.candidates, a.candidates);
  EXPECT_EQ(b.est_cycles, a.est_cycles);  // exact, not near
  EXPECT_EQ(b.planned_offchip_read_bits, a.planned_offchip_read_bits);
  EXPECT_EQ(b.loop_nest, a.loop_nest);
  EXPECT_EQ(b.cycles, a.cycles);
  EXPECT_EQ(b.macs, a.macs);
  EXPECT_EQ(b.nonzero_macs, a.nonzero_macs);
  EXPECT_EQ(b.golden_nonzero_macs, a.golden_nonzero_macs);
  EXPECT_EQ(b.macs_performed, a.macs_performed);
  EXPECT_EQ(b.mac_slots, a.mac_slots);
  EXPECT_EQ(b.active_pes, a.active_pes);
  EXPECT_EQ(b.total_pes, a.total_pes);
  EXPECT_EQ(b.utilization, a.utilization);
  EXPECT_EQ(b.busy_min, a.busy_min);
  EXPECT_EQ(b.busy_max, a.busy_max);
  EXPECT_EQ(b.busy_mean, a.busy_mean);
  EXPECT_EQ(b.counters, a.counters);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(b.eyexam[i], a.eyexam[i]);
  EXPECT_TRUE(std::isnan(b.eyexam[6]));
  EXPECT_EQ(b.eyexam_why, a.eyexam_why);
  EXPECT_EQ(b.pe_busy, a.pe_busy);
  EXPECT_EQ(b.link_iact, a.link_iact);
  EXPECT_EQ(b.link_weight, a.link_weight);
  EXPECT_EQ(b.link_psum, a.link_psum);
  EXPECT_EQ(b.iact_streams_stored, a.iact_streams_stored);
  EXPECT_EQ(b.iact_streams_reused, a.iact_streams_reused);
  EXPECT_EQ(b.iact_streams_passed, a.iact_streams_passed);
  EXPECT_EQ(b.iact_mode, a.iact_mode);
  EXPECT_EQ(b.offchip_min_iact_bits, a.offchip_min_iact_bits);
  EXPECT_EQ(b.offchip_min_weight_bits, a.offchip_min_weight_bits);
  EXPECT_EQ(b.offchip_min_oact_bits, a.offchip_min_oact_bits);
  EXPECT_EQ(b.weight_mode, a.weight_mode);
  EXPECT_EQ(b.iact_pattern, a.iact_pattern);
  EXPECT_EQ(b.weight_pattern, a.weight_pattern);
  EXPECT_EQ(b.energy_pj, a.energy_pj);
  EXPECT_EQ(b.bit_exact, a.bit_exact);
  EXPECT_EQ(b.mismatch, a.mismatch);
  EXPECT_EQ(b.rtl_pes, a.rtl_pes);
  EXPECT_EQ(b.rtl_positions, a.rtl_positions);
  EXPECT_EQ(b.rtl_rows, a.rtl_rows);
  EXPECT_EQ(b.rtl_cycle_divergences, a.rtl_cycle_divergences);
  EXPECT_EQ(b.rtl_first_cycle_divergence, a.rtl_first_cycle_divergence);
  // And the JSON names every field (48 of them): a field added to LayerReport without adding it
  // to the serializer is caught where its value does not come back (or here, by count).
  EXPECT_EQ(layer_report_to_json(a).size(), 48u);
}

}  // namespace
}  // namespace eyeriss
