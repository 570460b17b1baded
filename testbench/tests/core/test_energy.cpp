#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/common/error.h"
#include "models/energy/energy_model.h"
#include "testbench/tests/core/test_util.h"

namespace eyeriss {
namespace {

using nlohmann::json;
using test_util::expect_error;
using test_util::expect_error_from;
using test_util::repo_root;

// A table with every key 0 except the ones given (all values exact in binary).
EnergyTable table_with(const std::map<std::string, double>& prices) {
  EnergyTable t;
  t.name = "test";
  t.source = "test-table";
  for (const auto& k : energy_action_keys()) t.pj_per_action[k] = 0;
  for (const auto& [k, v] : prices) t.pj_per_action.at(k) = v;
  return t;
}

// Every key with a distinct power-of-two-friendly price.
EnergyTable small_table() {
  return table_with({{"mac", 0.5},
                     {"mac_gated", 0.125},
                     {"mac_idle_lane", 0.0625},
                     {"spad_iact_addr_read", 0.25},
                     {"spad_iact_addr_write", 0.5},
                     {"spad_iact_data_read", 1},
                     {"spad_iact_data_write", 2},
                     {"spad_weight_addr_read", 0.75},
                     {"spad_weight_addr_write", 1.5},
                     {"spad_weight_data_read", 3},
                     {"spad_weight_data_write", 4},
                     {"spad_psum_read", 2.5},
                     {"spad_psum_write", 3.5},
                     {"glb_iact_read_bit", 0.25},
                     {"glb_iact_write_bit", 0.375},
                     {"glb_psum_read_bit", 0.5},
                     {"glb_psum_write_bit", 0.625},
                     {"noc_iact_local_bit", 0.125},
                     {"noc_iact_mesh_bit", 0.1875},
                     {"noc_weight_local_bit", 0.25},
                     {"noc_weight_mesh_bit", 0.3125},
                     {"noc_psum_local_bit", 0.375},
                     {"noc_psum_mesh_bit", 0.4375},
                     {"noc_psum_column_bit", 0.5},
                     {"offchip_read_bit", 20},
                     {"offchip_write_bit", 24},
                     {"clock_pe_cycle", 2},
                     {"clock_cluster_cycle", 8},
                     {"static_pe_cycle", 0.25},
                     {"static_cluster_cycle", 1.5},
                     {"control_config_bit", 0.0625}});
}

std::map<std::string, uint64_t> small_counters() {
  return {{"pe.mac_slots", 40},
          {"pe.macs", 30},
          {"pe.nonzero_macs", 20},
          {"pe.busy_cycles", 999},  // not priced
          {"pe.dropped_iacts", 7},  // not priced
          {"spad.iact_addr.reads", 4},
          {"spad.iact_addr.writes", 2},
          {"spad.iact_data.reads", 10},
          {"spad.iact_data.writes", 8},
          {"spad.weight_addr.reads", 6},
          {"spad.weight_addr.writes", 4},
          {"spad.weight_data.reads", 20},
          {"spad.weight_data.writes", 5},
          {"spad.psum.reads", 30},
          {"spad.psum.writes", 30},
          {"glb.iact.reads", 1},  // accesses: priced per bit instead
          {"glb.iact.read_bits", 64},
          {"glb.iact.write_bits", 128},
          {"glb.iact.passthrough", 3},
          {"glb.psum.read_bits", 40},
          {"glb.psum.write_bits", 80},
          {"noc.iact.local_transfers", 9},
          {"noc.iact.local_bits", 200},
          {"noc.iact.mesh_bits", 48},
          {"noc.weight.local_bits", 96},
          {"noc.weight.mesh_bits", 32},
          {"noc.psum.local_bits", 80},
          {"noc.psum.mesh_bits", 16},
          {"noc.psum.column_bits", 24},
          {"offchip.iact_bits", 100},
          {"offchip.weight_bits", 50},
          {"offchip.oact_bits", 10},
          {"chip.cycles", 5},  // not priced: the per-PE and per-cluster cycles are
          {"chip.pe_cycles", 60},
          {"chip.cluster_cycles", 10},
          {"control.config_bits", 32}};
}

// The hand-computed breakdown of small_counters() under small_table().
std::map<std::string, double> small_expected() {
  return {
      {"mac", 20 * 0.5},                                     // 10
      {"mac_gated", (30 - 20) * 0.125},                      // 1.25
      {"mac_idle", (40 - 30) * 0.0625},                      // 0.625
      {"spad_iact", 4 * 0.25 + 2 * 0.5 + 10 * 1 + 8 * 2},    // 28
      {"spad_weight", 6 * 0.75 + 4 * 1.5 + 20 * 3 + 5 * 4},  // 90.5
      {"spad_psum", 30 * 2.5 + 30 * 3.5},                    // 180
      {"glb_iact", 64 * 0.25 + 128 * 0.375},                 // 64
      {"glb_psum", 40 * 0.5 + 80 * 0.625},                   // 70
      {"noc_iact", 200 * 0.125 + 48 * 0.1875},               // 34
      {"noc_weight", 96 * 0.25 + 32 * 0.3125},               // 34
      {"noc_psum", 80 * 0.375 + 16 * 0.4375 + 24 * 0.5},     // 49
      {"offchip", (100 + 50) * 20.0 + 10 * 24.0},            // 3240
      {"clock", 60 * 2 + 10 * 8},                            // 200
      {"static", 60 * 0.25 + 10 * 1.5},                      // 30
      {"control", 32 * 0.0625},                              // 2
  };
}
constexpr double kSmallTotal =
    10 + 1.25 + 0.625 + 28 + 90.5 + 180 + 64 + 70 + 34 + 34 + 49 + 3240 + 200 + 30 + 2;

TEST(Energy, HandComputedBreakdownAndTotal) {
  const EnergyBreakdown b = cost(small_counters(), small_table());
  const auto expected = small_expected();
  ASSERT_EQ(b.by_component.size(), expected.size());
  for (const auto& [c, pj] : expected) EXPECT_DOUBLE_EQ(b.by_component.at(c), pj) << c;
  EXPECT_DOUBLE_EQ(b.total_pj, kSmallTotal);
  EXPECT_DOUBLE_EQ(b.total_pj, 4033.375);  // 3801.375 + clock 200 + static 30 + control 2
}

TEST(Energy, ComponentsIncludeTheRequiredOnes) {
  const EnergyBreakdown b = cost({}, small_table());
  for (const char* c :
       {"mac", "mac_gated", "spad_iact", "spad_weight", "spad_psum", "glb_iact", "glb_psum",
        "noc_iact", "noc_weight", "noc_psum", "clock", "static", "control", "offchip"})
    EXPECT_EQ(b.by_component.count(c), 1u) << c;
}

TEST(Energy, MissingCountersCountZero) {
  EXPECT_DOUBLE_EQ(cost({}, small_table()).total_pj, 0);
  // Only off-chip bits: everything else is 0.
  const EnergyBreakdown b = cost({{"offchip.oact_bits", 3}}, small_table());
  EXPECT_DOUBLE_EQ(b.total_pj, 72);
  EXPECT_DOUBLE_EQ(b.by_component.at("offchip"), 72);
  for (const auto& [c, pj] : b.by_component) {
    if (c != "offchip") {
      EXPECT_EQ(pj, 0) << c;
    }
  }
  // MACs without slots or macs would be inconsistent; with all three it is fine.
  const EnergyBreakdown m =
      cost({{"pe.nonzero_macs", 4}, {"pe.macs", 4}, {"pe.mac_slots", 4}}, small_table());
  EXPECT_DOUBLE_EQ(m.total_pj, 2);
}

TEST(Energy, InconsistentMacCountersAreErrors) {
  expect_error(
      [] {
        cost({{"pe.nonzero_macs", 5}, {"pe.macs", 4}, {"pe.mac_slots", 8}}, small_table());
      },
      {"pe.nonzero_macs", "exceeds pe.macs"});
  expect_error(
      [] {
        cost({{"pe.macs", 9}, {"pe.mac_slots", 8}}, small_table());
      },
      {"pe.macs", "exceeds pe.mac_slots"});
}

TEST(Energy, FlattenCounters) {
  const json j = {{"pe", {{"macs", 3}, {"mac_slots", 4}}}, {"offchip", {{"iact_bits", 8}}}};
  const auto flat = flatten_counters(j, "x.json");
  EXPECT_EQ(flat.size(), 3u);
  EXPECT_EQ(flat.at("pe.macs"), 3u);
  EXPECT_EQ(flat.at("pe.mac_slots"), 4u);
  EXPECT_EQ(flat.at("offchip.iact_bits"), 8u);
  expect_error_from("x.json",
                    [] {
                      flatten_counters({{"pe", {{"macs", -1}}}}, "x.json");
                    },
                    {"pe.macs", "non-negative integer"});
  expect_error_from("x.json",
                    [] {
                      flatten_counters({{"pe", {{"macs", 1.5}}}}, "x.json");
                    },
                    {"pe.macs"});
  expect_error_from("x.json", [] { flatten_counters({{"pe", "many"}}, "x.json"); }, {"'pe'"});
  expect_error_from("x.json", [] { flatten_counters(json::array(), "x.json"); }, {"counters"});
}

// Nests flat counters as stats.json does.
json nested(const std::map<std::string, uint64_t>& flat) {
  json j = json::object();
  for (const auto& [name, v] : flat) {
    std::string ptr = "/" + name;
    for (char& ch : ptr)
      if (ch == '.') ch = '/';
    j[json::json_pointer(ptr)] = v;
  }
  return j;
}

json two_layer_stats() {
  json s;
  s["arch"] = "eyeriss_v2";
  s["clock_hz"] = 200e6;
  s["total_cycles"] = 1000;
  s["inferences_per_second"] = 200000.0;
  s["bit_exact"] = true;
  json a;
  a["name"] = "conv1";
  a["cycles"] = 600;
  a["counters"] = nested(small_counters());
  json b;
  b["name"] = "fc2";
  b["cycles"] = 400;
  b["counters"] = nested({{"pe.mac_slots", 8},
                          {"pe.macs", 6},
                          {"pe.nonzero_macs", 4},
                          {"offchip.weight_bits", 16},
                          {"offchip.oact_bits", 8}});
  s["layers"] = {a, b};
  return s;
}

TEST(Energy, RecostStatsTwoLayers) {
  const EnergyTable t = small_table();
  const json in = two_layer_stats();
  const json out = recost_stats(in, t);

  // Layer 2 by hand: 4*0.5 + 2*0.125 + 2*0.0625 + 16*20 + 8*24 = 514.375.
  const double l1 = kSmallTotal, l2 = 514.375;
  ASSERT_EQ(out["layers"].size(), 2u);
  EXPECT_DOUBLE_EQ(out["layers"][0]["energy_pj"].get<double>(), l1);
  EXPECT_DOUBLE_EQ(out["layers"][1]["energy_pj"].get<double>(), l2);
  for (const auto& [c, pj] : small_expected())
    EXPECT_DOUBLE_EQ(out["layers"][0]["energy_breakdown_pj"][c].get<double>(), pj) << c;
  EXPECT_DOUBLE_EQ(out["layers"][1]["energy_breakdown_pj"]["offchip"].get<double>(), 512);
  EXPECT_DOUBLE_EQ(out["layers"][1]["energy_breakdown_pj"]["mac_gated"].get<double>(), 0.25);

  EXPECT_DOUBLE_EQ(out["energy_pj"].get<double>(), l1 + l2);
  EXPECT_DOUBLE_EQ(out["energy_breakdown_pj"]["offchip"].get<double>(), 3240 + 512);
  EXPECT_DOUBLE_EQ(out["inferences_per_joule"].get<double>(), 1e12 / (l1 + l2));
  // On chip: without the 3240 + 512 pJ of DRAM.
  const double onchip = l1 + l2 - 3240 - 512;
  EXPECT_DOUBLE_EQ(out["energy_onchip_pj"].get<double>(), onchip);
  EXPECT_DOUBLE_EQ(out["inferences_per_joule_onchip"].get<double>(), 1e12 / onchip);
  EXPECT_EQ(out["energy_table"]["name"], "test");
  EXPECT_EQ(out["energy_table"]["source"], "test-table");
  EXPECT_DOUBLE_EQ(out["energy_table"]["pj_per_action"]["mac"].get<double>(), 0.5);

  // Everything else is copied unchanged; the input is not modified.
  EXPECT_EQ(out["layers"][0]["counters"], in["layers"][0]["counters"]);
  EXPECT_EQ(out["total_cycles"], 1000);
  EXPECT_EQ(out["inferences_per_second"], 200000.0);
  EXPECT_FALSE(in.contains("energy_pj"));

  // Re-costing a re-costed file with another table replaces the energy fields.
  EnergyTable doubled = t;
  for (auto& [k, v] : doubled.pj_per_action) v *= 2;
  doubled.name = "doubled";
  const json again = recost_stats(out, doubled);
  EXPECT_DOUBLE_EQ(again["energy_pj"].get<double>(), 2 * (l1 + l2));
  EXPECT_DOUBLE_EQ(again["inferences_per_joule"].get<double>(), 1e12 / (2 * (l1 + l2)));
  EXPECT_EQ(again["energy_table"]["name"], "doubled");
}

TEST(Energy, RecostStatsWithoutWholeNetworkHasNoInferencesPerJoule) {
  json s = two_layer_stats();
  s.erase("inferences_per_second");
  const json out = recost_stats(s, small_table());
  EXPECT_FALSE(out.contains("inferences_per_joule"));
  EXPECT_FALSE(out.contains("inferences_per_joule_onchip"));
  EXPECT_GT(out["energy_pj"].get<double>(), 0);
  // A stale value from an earlier re-costing does not survive.
  json stale = s;
  stale["inferences_per_joule"] = 1.0;
  EXPECT_FALSE(recost_stats(stale, small_table()).contains("inferences_per_joule"));
}

TEST(Energy, RecostStatsBadInput) {
  const EnergyTable t = small_table();
  expect_error_from("run/stats.json", [&] { recost_stats(json::object(), t, "run/stats.json"); },
                    {"\"layers\""});
  json no_counters = two_layer_stats();
  no_counters["layers"][1].erase("counters");
  expect_error_from("s.json", [&] { recost_stats(no_counters, t, "s.json"); },
                    {"layer 'fc2'", "counters"});
  json bad_counter = two_layer_stats();
  bad_counter["layers"][0]["counters"]["pe"]["macs"] = "lots";
  expect_error_from("s.json", [&] { recost_stats(bad_counter, t, "s.json"); },
                    {"layer 'conv1'", "pe.macs"});
  json inconsistent = two_layer_stats();
  inconsistent["layers"][1]["counters"]["pe"]["nonzero_macs"] = 7;
  expect_error_from("s.json", [&] { recost_stats(inconsistent, t, "s.json"); },
                    {"layer 'fc2'", "pe.nonzero_macs"});
}

// A complete, valid table text with `mac` set to `mac_value` (text as written in YAML).
std::string table_text(const std::string& mac_value = "0.5") {
  std::string s = "name: t\npj_per_action:\n";
  for (const auto& k : energy_action_keys())
    s += "  " + k + ": " + (k == "mac" ? mac_value : "1") + "\n";
  return s;
}

TEST(Energy, ParseTable) {
  const EnergyTable t = parse_energy_table(table_text(), "t.yaml");
  EXPECT_EQ(t.name, "t");
  EXPECT_EQ(t.source, "t.yaml");
  EXPECT_EQ(t.pj_per_action.size(), energy_action_keys().size());
  EXPECT_DOUBLE_EQ(t.at("mac"), 0.5);
  EXPECT_DOUBLE_EQ(t.at("offchip_write_bit"), 1);
  EXPECT_DOUBLE_EQ(parse_energy_table(table_text("0"), "t.yaml").at("mac"), 0);
  EXPECT_DOUBLE_EQ(parse_energy_table(table_text("2.5e-1"), "t.yaml").at("mac"), 0.25);
}

TEST(Energy, BadTablesNameFileAndKey) {
  auto bad = [](const std::string& text, const std::vector<std::string>& parts) {
    expect_error_from(
        "bad.yaml", [&] { parse_energy_table(text, "bad.yaml"); }, parts);
  };
  // Unknown key, at the top and among the prices.
  bad(table_text() + "voltage: 1.0\n", {"unknown key 'voltage'"});
  bad(table_text() + "  mac_bogus: 1\n", {"unknown key 'pj_per_action.mac_bogus'", "line"});
  // Negative value.
  bad(table_text("-0.5"), {"pj_per_action.mac", ">= 0", "-0.5"});
  // Wrong types.
  bad(table_text("lots"), {"pj_per_action.mac", "must be a finite number", "lots"});
  bad(table_text("\"0.5\""), {"pj_per_action.mac", "must be a finite number"});
  bad(table_text("[1, 2]"), {"pj_per_action.mac", "got a list"});
  bad(table_text(".inf"), {"pj_per_action.mac", "finite"});
  bad("name: t\npj_per_action: 3\n", {"pj_per_action", "must be a map"});
  // Missing keys.
  std::string missing = table_text();
  missing.erase(missing.find("  mac_gated:"), std::string("  mac_gated: 1\n").size());
  bad(missing, {"missing required key 'pj_per_action.mac_gated'"});
  bad("pj_per_action: {}\n", {"missing required key 'name'"});
  bad("name: t\n", {"missing required key 'pj_per_action'"});
  bad(table_text() + "  mac: 1\n", {"duplicate key 'pj_per_action.mac'"});
  bad("", {"empty document"});
}

TEST(Energy, LoadTableFileErrors) {
  const test_util::TempDir dir("eyeriss_energy_test");
  const std::string missing = (dir.path() / "nope.yaml").string();
  expect_error_from(missing, [&] { load_energy_table(missing); }, {"energy table file not found"});

  const std::string neg = (dir.path() / "neg.yaml").string();
  std::ofstream(neg) << table_text("-1");
  expect_error_from(neg, [&] { load_energy_table(neg); }, {"pj_per_action.mac", ">= 0"});

  const std::string ok = (dir.path() / "ok.yaml").string();
  std::ofstream(ok) << table_text();
  EXPECT_EQ(load_energy_table(ok).source, ok);

  const std::string stats = (dir.path() / "stats.json").string();
  expect_error_from(stats, [&] { load_stats_json(stats); }, {"not found"});
  std::ofstream(stats) << "{ not json";
  expect_error_from(stats, [&] { load_stats_json(stats); }, {"malformed JSON"});
  std::ofstream(stats) << two_layer_stats().dump(2);
  EXPECT_EQ(load_stats_json(stats), two_layer_stats());
}

TEST(Energy, ShippedTableLoads) {
  const std::string path = repo_root() + "configs/energy_65nm.yaml";
  const EnergyTable t = load_energy_table(path);
  EXPECT_EQ(t.name, "eyeriss_v2_65nm");
  EXPECT_EQ(t.source, path);
  EXPECT_EQ(t.pj_per_action.size(), energy_action_keys().size());
  // Sanity of the hierarchy the sources give: MAC < SPad entry < DRAM bit; NoC bit = 2x RF bit.
  EXPECT_GT(t.at("mac"), 0);
  EXPECT_LT(t.at("mac"), t.at("spad_psum_read"));
  EXPECT_LT(t.at("glb_iact_read_bit"), t.at("offchip_read_bit"));
  EXPECT_NEAR(t.at("noc_iact_local_bit"), 2 * t.at("spad_psum_read") / 20, 1e-3);
  // It prices a real run's counters without error.
  const EnergyBreakdown b = cost(small_counters(), t);
  EXPECT_GT(b.total_pj, 0);
}

}  // namespace
}  // namespace eyeriss
