#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/error.h"
#include "models/common/split_list.h"
#include "testbench/tests/core/test_util.h"

namespace eyeriss {
namespace {

using test_util::expect_error;
using test_util::repo_root;

void expect_parse_error(const std::string& yaml, const std::vector<std::string>& parts) {
  test_util::expect_error_from(
      "cfg.yaml", [&] { parse_arch_config(yaml, "cfg.yaml"); }, parts);
}

void expect_same(const ArchConfig& a, const ArchConfig& b) {
  EXPECT_EQ(a.cluster_rows, b.cluster_rows);
  EXPECT_EQ(a.cluster_cols, b.cluster_cols);
  EXPECT_EQ(a.pe_rows, b.pe_rows);
  EXPECT_EQ(a.pe_cols, b.pe_cols);
  EXPECT_EQ(a.sparse, b.sparse);
  EXPECT_EQ(a.simd, b.simd);
  EXPECT_EQ(a.pipeline_stages, b.pipeline_stages);
  EXPECT_EQ(a.count_bits, b.count_bits);
  EXPECT_EQ(a.iact_bits, b.iact_bits);
  EXPECT_EQ(a.weight_bits, b.weight_bits);
  EXPECT_EQ(a.psum_bits, b.psum_bits);
  const std::pair<const SpadConfig*, const SpadConfig*> spads[] = {{&a.iact_addr, &b.iact_addr},
                                                                   {&a.iact_data, &b.iact_data},
                                                                   {&a.weight_addr, &b.weight_addr},
                                                                   {&a.weight_data, &b.weight_data},
                                                                   {&a.psum, &b.psum}};
  for (const auto& [x, y] : spads) {
    EXPECT_EQ(x->entries, y->entries);
    EXPECT_EQ(x->width_bits, y->width_bits);
  }
  EXPECT_EQ(a.psum_spad_ports, b.psum_spad_ports);
  EXPECT_EQ(a.glb_iact_banks, b.glb_iact_banks);
  EXPECT_EQ(a.glb_iact_bank_bytes, b.glb_iact_bank_bytes);
  EXPECT_EQ(a.glb_psum_banks, b.glb_psum_banks);
  EXPECT_EQ(a.glb_psum_bank_bytes, b.glb_psum_bank_bytes);
  EXPECT_EQ(a.glb_iact_port_bits, b.glb_iact_port_bits);
  EXPECT_EQ(a.glb_psum_port_bits, b.glb_psum_port_bits);
  EXPECT_EQ(a.iact_routers, b.iact_routers);
  EXPECT_EQ(a.weight_routers, b.weight_routers);
  EXPECT_EQ(a.psum_routers, b.psum_routers);
  EXPECT_EQ(a.iact_link_bits, b.iact_link_bits);
  EXPECT_EQ(a.weight_link_bits, b.weight_link_bits);
  EXPECT_EQ(a.psum_link_bits, b.psum_link_bits);
  EXPECT_EQ(a.router_hop_cycles, b.router_hop_cycles);
  EXPECT_EQ(a.router_buffer_packets, b.router_buffer_packets);
  EXPECT_EQ(a.glb_buffer_packets, b.glb_buffer_packets);
  EXPECT_EQ(a.offchip_buffer_packets, b.offchip_buffer_packets);
  EXPECT_EQ(a.command_bits, b.command_bits);
  EXPECT_EQ(a.config_bus_bits, b.config_bus_bits);
  EXPECT_EQ(a.pass_config_cycles, b.pass_config_cycles);
  EXPECT_EQ(a.mapper_pe_mode, b.mapper_pe_mode);
  EXPECT_DOUBLE_EQ(a.clock_hz, b.clock_hz);
  EXPECT_DOUBLE_EQ(a.offchip_bytes_per_cycle, b.offchip_bytes_per_cycle);
  EXPECT_EQ(a.offchip_latency_cycles, b.offchip_latency_cycles);
}

TEST(ArchConfig, DefaultsArePublishedChip) {
  const ArchConfig a;
  EXPECT_EQ(a.cluster_rows, 8);
  EXPECT_EQ(a.cluster_cols, 2);
  EXPECT_EQ(a.pe_rows, 3);
  EXPECT_EQ(a.pe_cols, 4);
  EXPECT_EQ(a.clusters() * a.pes_per_cluster(), 192);
  EXPECT_TRUE(a.sparse);
  EXPECT_EQ(a.simd, 2);
  EXPECT_EQ(a.pipeline_stages, 7);
  EXPECT_EQ(a.count_bits, 4);
  EXPECT_EQ(a.max_count(), 15);
  EXPECT_EQ(a.iact_bits, 8);
  EXPECT_EQ(a.weight_bits, 8);
  EXPECT_EQ(a.psum_bits, 20);
  EXPECT_EQ(a.iact_addr.entries, 9);
  EXPECT_EQ(a.iact_addr.width_bits, 4);
  EXPECT_EQ(a.iact_data.entries, 16);
  EXPECT_EQ(a.iact_data.width_bits, 12);
  EXPECT_EQ(a.weight_addr.entries, 16);
  EXPECT_EQ(a.weight_addr.width_bits, 7);
  EXPECT_EQ(a.weight_data.entries, 96);
  EXPECT_EQ(a.weight_data.width_bits, 24);
  EXPECT_EQ(a.psum.entries, 32);
  EXPECT_EQ(a.psum.width_bits, 20);
  EXPECT_EQ(a.psum_spad_ports, 2);
  EXPECT_EQ(a.glb_iact_banks, 3);
  EXPECT_EQ(a.glb_iact_bank_bytes, 1536);
  EXPECT_EQ(a.glb_psum_banks, 4);
  EXPECT_EQ(a.glb_psum_bank_bytes, 1920);
  EXPECT_EQ(a.psum_bank_entries(), 768);
  EXPECT_EQ(a.iact_routers, 3);
  EXPECT_EQ(a.weight_routers, 3);
  EXPECT_EQ(a.psum_routers, 4);
  EXPECT_EQ(a.iact_link_bits, 24);
  EXPECT_EQ(a.weight_link_bits, 24);
  EXPECT_EQ(a.psum_link_bits, 40);
  EXPECT_DOUBLE_EQ(a.clock_hz, 200e6);
  // The per-layer command (facts: 2134 bits) over the 32-bit configuration bus (assumption).
  EXPECT_EQ(a.layer_command_bits(), 2134);
  EXPECT_EQ(a.layer_config_cycles(), 67);  // ceil(2134 / 32)
  EXPECT_NO_THROW(validate_arch_config(a, "defaults"));
}

TEST(ArchConfig, EmptyMapGivesDefaults) {
  expect_same(parse_arch_config("{}", "t"), ArchConfig{});
  expect_same(parse_arch_config("pe: {}\nglb: {}\n", "t"), ArchConfig{});
}

TEST(ArchConfig, ShippedEyerissV2IsDefaults) {
  const ArchConfig a = load_arch_config(repo_root() + "configs/eyeriss_v2.yaml");
  EXPECT_EQ(a.name, "eyeriss_v2");
  expect_same(a, ArchConfig{});
}

TEST(ArchConfig, ShippedSingleCluster) {
  const ArchConfig a = load_arch_config(repo_root() + "configs/single_cluster.yaml");
  ArchConfig expected;
  expected.cluster_rows = 1;
  expected.cluster_cols = 1;
  expect_same(a, expected);
  EXPECT_EQ(a.clusters(), 1);
}

TEST(ArchConfig, ParsesEveryKey) {
  const ArchConfig a = parse_arch_config(R"(
name: custom
cluster_array: {rows: 4, cols: 4}
pe_cluster: {rows: 4, cols: 4}
pe:
  sparse: false
  simd: 1
  pipeline_stages: 5
  count_bits: 5
  iact_bits: 8
  weight_bits: 8
  psum_bits: 24
  spads:
    iact_addr: {entries: 10, width_bits: 5}
    iact_data: {entries: 12, width_bits: 16}
    weight_addr: {entries: 20, width_bits: 8}
    weight_data: {entries: 224, width_bits: 16}
    psum: {entries: 24, width_bits: 24}
  psum_spad_ports: 1
glb:
  iact_banks: 2
  iact_bank_bytes: 4096
  psum_banks: 4
  psum_bank_bytes: 3072
  iact_port_bits: 32
  psum_port_bits: 48
  buffer_packets: 4
noc:
  iact_routers: 2
  weight_routers: 4
  psum_routers: 4
  iact_link_bits: 16
  weight_link_bits: 32
  psum_link_bits: 48
  router_hop_cycles: 2
  router_buffer_packets: 3
clock_hz: 1e9
offchip: {bytes_per_cycle: 12.5, latency_cycles: 100, buffer_packets: 5}
controller: {command_bits: 4000, config_bus_bits: 16, pass_config_cycles: 3}
mapper: {pe_mode: dense}
)",
                                         "t");
  EXPECT_EQ(a.name, "custom");
  EXPECT_EQ(a.clusters(), 16);
  EXPECT_EQ(a.pes_per_cluster(), 16);
  EXPECT_FALSE(a.sparse);
  EXPECT_EQ(a.simd, 1);
  EXPECT_EQ(a.pipeline_stages, 5);
  EXPECT_EQ(a.count_bits, 5);
  EXPECT_EQ(a.psum_bits, 24);
  EXPECT_EQ(a.iact_addr.entries, 10);
  EXPECT_EQ(a.iact_data.width_bits, 16);
  EXPECT_EQ(a.weight_addr.width_bits, 8);
  EXPECT_EQ(a.weight_data.entries, 224);
  EXPECT_EQ(a.psum.entries, 24);
  EXPECT_EQ(a.psum_spad_ports, 1);
  EXPECT_EQ(a.glb_iact_banks, 2);
  EXPECT_EQ(a.glb_iact_bank_bytes, 4096);
  EXPECT_EQ(a.glb_psum_bank_bytes, 3072);
  EXPECT_EQ(a.glb_iact_port_bits, 32);
  EXPECT_EQ(a.glb_psum_port_bits, 48);
  EXPECT_EQ(a.iact_routers, 2);
  EXPECT_EQ(a.weight_routers, 4);
  EXPECT_EQ(a.iact_link_bits, 16);
  EXPECT_EQ(a.weight_link_bits, 32);
  EXPECT_EQ(a.psum_link_bits, 48);
  EXPECT_EQ(a.router_hop_cycles, 2);
  EXPECT_DOUBLE_EQ(a.clock_hz, 1e9);
  EXPECT_DOUBLE_EQ(a.offchip_bytes_per_cycle, 12.5);
  EXPECT_EQ(a.offchip_latency_cycles, 100);
  EXPECT_EQ(a.router_buffer_packets, 3);
  EXPECT_EQ(a.glb_buffer_packets, 4);
  EXPECT_EQ(a.offchip_buffer_packets, 5);
  EXPECT_EQ(a.layer_command_bits(), 4000);
  EXPECT_EQ(a.layer_config_cycles(), 250);
  EXPECT_EQ(a.pass_config_cycles, 3);
  EXPECT_EQ(a.mapper_pe_mode, "dense");
}

TEST(ArchConfig, CommandScalesWithThePeCount) {
  // 0 = 2134 bits x PEs / 192, rounded up: 4 x 4 clusters of 4 x 4 PEs = 256 PEs -> 2846 bits.
  ArchConfig a;
  a.cluster_rows = a.cluster_cols = a.pe_rows = a.pe_cols = 4;
  EXPECT_EQ(a.layer_command_bits(), 2846);  // 2134 * 256 / 192 = 2845.33
  EXPECT_EQ(a.layer_config_cycles(), 89);   // ceil(2846 / 32)
}

TEST(ArchConfig, PartialKeepsDefaults) {
  const ArchConfig a =
      parse_arch_config("pe:\n  simd: 1\n  spads:\n    psum: {entries: 64}\n", "t");
  EXPECT_EQ(a.simd, 1);
  EXPECT_EQ(a.psum.entries, 64);
  EXPECT_EQ(a.psum.width_bits, 20);
  EXPECT_EQ(a.cluster_rows, 8);
}

TEST(ArchConfig, UnknownKeys) {
  expect_parse_error("foo: 1\n", {"unknown key 'foo'", "expected one of: name,"});
  expect_parse_error("pe:\n  spads:\n    foo: {entries: 1}\n",
                     {"unknown key 'pe.spads.foo'", "iact_addr", "(line 3)"});
  expect_parse_error("pe:\n  spads:\n    psum: {entries: 1, depth: 3}\n",
                     {"unknown key 'pe.spads.psum.depth'", "entries, width_bits"});
  expect_parse_error("glb: {iact_bank_kb: 1}\n", {"unknown key 'glb.iact_bank_kb'"});
  expect_parse_error("pe: {simd: 2, simd: 2}\n", {"duplicate key 'pe.simd'"});
}

TEST(ArchConfig, WrongTypes) {
  expect_parse_error("pe: {simd: two}\n", {"'pe.simd'", "an integer", "'two'"});
  expect_parse_error("pe: {simd: 2.5}\n", {"'pe.simd'", "an integer"});
  expect_parse_error("pe: {simd: '2'}\n", {"'pe.simd'", "an integer"});
  expect_parse_error("pe: {simd: [2]}\n", {"'pe.simd'", "an integer", "a list"});
  expect_parse_error("pe: {simd: }\n", {"'pe.simd'", "an integer", "got nothing"});
  expect_parse_error("pe: {simd: 99999999999}\n", {"'pe.simd'", "out of the integer range"});
  expect_parse_error("pe: {sparse: 1}\n", {"'pe.sparse'", "a boolean"});
  expect_parse_error("pe: 3\n", {"'pe'", "must be a map"});
  expect_parse_error("pe:\n  spads:\n    psum: 32\n", {"'pe.spads.psum'", "must be a map"});
  expect_parse_error("cluster_array: [8, 2]\n", {"'cluster_array'", "must be a map"});
  expect_parse_error("clock_hz: fast\n", {"'clock_hz'", "a finite number"});
  expect_parse_error("clock_hz: .inf\n", {"'clock_hz'", "a finite number"});
  expect_parse_error("name: [a]\n", {"'name'", "a string"});
  expect_parse_error("- 1\n- 2\n", {"must be a map"});
}

TEST(ArchConfig, NumberSyntax) {
  EXPECT_EQ(parse_arch_config("pe: {simd: +1}\n", "t").simd, 1);
  EXPECT_DOUBLE_EQ(parse_arch_config("clock_hz: 2.\n", "t").clock_hz, 2.0);
  EXPECT_DOUBLE_EQ(parse_arch_config("clock_hz: .5e9\n", "t").clock_hz, 5e8);
  EXPECT_DOUBLE_EQ(parse_arch_config("clock_hz: 100000000\n", "t").clock_hz, 1e8);
  expect_parse_error("pe: {simd: 1e1}\n", {"'pe.simd'", "an integer"});
  expect_parse_error("pe: {simd: 0x2}\n", {"'pe.simd'", "an integer"});
  expect_parse_error("clock_hz: 1e\n", {"'clock_hz'"});
  expect_parse_error("clock_hz: .\n", {"'clock_hz'"});
  expect_parse_error("clock_hz: '2e8'\n", {"'clock_hz'"});
  expect_parse_error("clock_hz: 1e400\n", {"'clock_hz'", "finite"});
}

TEST(ArchConfig, MalformedYaml) {
  expect_parse_error("pe: {simd: 2\n", {"malformed YAML", "line 2"});
  expect_parse_error("pe:\n  simd: 2\n bad: 1\n", {"malformed YAML", "line"});
  expect_parse_error("", {"empty document"});
  expect_parse_error("pe: {}\n---\nglb: {}\n", {"one YAML document"});
}

TEST(ArchConfig, MissingFile) {
  expect_error([] { load_arch_config("/nonexistent/dir/arch.yaml"); },
               {"/nonexistent/dir/arch.yaml", "not found"});
  const std::string dir = std::filesystem::temp_directory_path().string();
  expect_error([&] { load_arch_config(dir); }, {dir, "directory"});
}

TEST(ArchConfig, LoadNamesFile) {
  const test_util::TempDir dir("eyeriss_test_arch");
  const auto path = dir.path() / "bad.yaml";
  std::ofstream(path) << "pe:\n  simd: 0\n";
  expect_error([&] { load_arch_config(path.string()); }, {path.string() + ": ", "pe.simd"});
}

// Each impossible value is rejected with a message naming its key.
TEST(ArchConfig, ImpossibleValues) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cluster_array: {rows: 0}", "cluster_array.rows"},
      {"cluster_array: {cols: -1}", "cluster_array.cols"},
      {"pe_cluster: {rows: 0}", "pe_cluster.rows"},
      {"pe_cluster: {cols: 0}", "pe_cluster.cols"},
      {"cluster_array: {rows: 65536, cols: 65536}", "PEs"},
      {"pe: {simd: 0}", "pe.simd"},
      {"pe: {pipeline_stages: 0}", "pe.pipeline_stages"},
      {"pe: {psum_bits: 7}", "pe.psum_bits"},
      {"pe: {psum_bits: 33, spads: {psum: {width_bits: 33}}}", "pe.psum_bits"},
      {"pe: {count_bits: 0}", "pe.count_bits"},
      {"pe: {count_bits: 9}", "pe.count_bits"},
      {"pe: {iact_bits: 16}", "only 8-bit"},
      {"pe: {weight_bits: 4}", "pe.weight_bits"},
      {"pe: {psum_spad_ports: 0}", "pe.psum_spad_ports"},
      {"pe: {spads: {iact_addr: {entries: 0}}}", "pe.spads.iact_addr.entries"},
      {"pe: {spads: {weight_addr: {width_bits: 0}}}", "pe.spads.weight_addr.width_bits"},
      {"pe: {spads: {psum: {entries: 0}}}", "pe.spads.psum.entries"},
      {"pe: {spads: {weight_data: {width_bits: 16}}}", "pe.spads.weight_data.width_bits"},
      {"pe: {simd: 3}", "pe.spads.weight_data.width_bits"},
      {"pe: {spads: {iact_data: {width_bits: 8}}}", "pe.spads.iact_data.width_bits"},
      {"pe: {spads: {psum: {width_bits: 16}}}", "pe.spads.psum.width_bits"},
      {"glb: {iact_banks: 0, }\nnoc: {iact_routers: 0}", "glb.iact_banks"},
      {"glb: {psum_banks: 0}", "glb.psum_banks"},
      {"glb: {psum_banks: 3}", "glb.psum_banks"},
      {"glb: {iact_bank_bytes: 1}", "glb.iact_bank_bytes"},
      {"glb: {psum_bank_bytes: 2}", "glb.psum_bank_bytes"},
      {"glb: {iact_port_bits: 8}", "glb.iact_port_bits"},
      {"glb: {psum_port_bits: 16}", "glb.psum_port_bits"},
      {"noc: {iact_routers: 2}", "noc.iact_routers"},
      {"noc: {weight_routers: 0}", "noc.weight_routers"},
      {"noc: {weight_routers: 4}", "noc.weight_routers"},
      {"noc: {psum_routers: 2}", "noc.psum_routers"},
      {"noc: {iact_link_bits: 8}", "noc.iact_link_bits"},
      {"noc: {weight_link_bits: 11}", "noc.weight_link_bits"},
      {"noc: {psum_link_bits: 19}", "noc.psum_link_bits"},
      {"noc: {router_hop_cycles: -1}", "noc.router_hop_cycles"},
      {"noc: {router_hop_cycles: 0}", "noc.router_hop_cycles"},
      {"noc: {router_buffer_packets: 0}", "noc.router_buffer_packets"},
      {"noc: {psum_link_bits: 80}", "noc.psum_link_bits"},
      {"glb: {buffer_packets: 0}", "glb.buffer_packets"},
      {"offchip: {buffer_packets: 0}", "offchip.buffer_packets"},
      {"controller: {command_bits: -1}", "controller.command_bits"},
      {"controller: {config_bus_bits: -1}", "controller.config_bus_bits"},
      {"controller: {pass_config_cycles: -1}", "controller.pass_config_cycles"},
      {"mapper: {pe_mode: csc}", "mapper.pe_mode"},
      {"pe: {sparse: false}\nmapper: {pe_mode: sparse}", "mapper.pe_mode"},
      {"clock_hz: 0", "clock_hz"},
      {"clock_hz: -2e8", "clock_hz"},
      {"offchip: {bytes_per_cycle: -1}", "offchip.bytes_per_cycle"},
      {"offchip: {latency_cycles: -5}", "offchip.latency_cycles"},
      {"name: ''", "name"},
  };
  for (const auto& [yaml, key] : cases) {
    SCOPED_TRACE(yaml);
    expect_parse_error(yaml + "\n", {key});
  }
}

TEST(ArchConfig, DenseModeNeedsNoCountBits) {
  // Dense data has no zero-run counts: 8-bit links and one raw weight per SIMD lane suffice.
  const ArchConfig a = parse_arch_config(
      "pe: {sparse: false, simd: 1, spads: {iact_data: {width_bits: 8}, weight_data: {width_bits: "
      "8}}}\nnoc: {iact_link_bits: 8, weight_link_bits: 8}\n",
      "t");
  EXPECT_FALSE(a.sparse);
  expect_parse_error("pe: {sparse: false, simd: 2, spads: {weight_data: {width_bits: 8}}}\n",
                     {"pe.spads.weight_data.width_bits"});
}

TEST(ArchConfig, ValidateInCode) {
  ArchConfig a;
  a.pe_cols = 2;  // psum routers/banks still 4
  expect_error([&] { validate_arch_config(a, "code"); }, {"code: ", "one psum"});
  ArchConfig b;
  b.clock_hz = std::nan("");
  expect_error([&] { validate_arch_config(b, "code"); }, {"clock_hz"});
}

}  // namespace
}  // namespace eyeriss

namespace eyeriss {
namespace {

// `run --set key.path=value`: applied to the file's YAML before it is read.
TEST(ArchOverrides, ChangeOnlyTheNamedKeys) {
  const std::string file = repo_root() + "configs/eyeriss_v2.yaml";
  const ArchConfig a = load_arch_config(
      file, {"noc.iact_link_bits=48", "cluster_array.rows=4", "pe.spads.psum.entries=64",
             "offchip.bytes_per_cycle=128", "pe.sparse=false"});
  ArchConfig expected;
  expected.iact_link_bits = 48;
  expected.cluster_rows = 4;
  expected.psum.entries = 64;
  expected.offchip_bytes_per_cycle = 128;
  expected.sparse = false;
  expect_same(a, expected);
  EXPECT_EQ(a.overrides,
            (std::vector<std::string>{"noc.iact_link_bits=48", "cluster_array.rows=4",
                                      "pe.spads.psum.entries=64", "offchip.bytes_per_cycle=128",
                                      "pe.sparse=false"}));
}

TEST(ArchOverrides, CreateMissingSectionsAndLastOneWins) {
  // A file with only a name: every section comes from the overrides or the defaults.
  const ArchConfig a =
      parse_arch_config("name: tiny\n", "t.yaml",
                        {"pe_cluster.cols=2", "glb.psum_banks=2", "noc.psum_routers=2",
                         "pe_cluster.cols=3", "glb.psum_banks=3", "noc.psum_routers=3"});
  EXPECT_EQ(a.name, "tiny");
  EXPECT_EQ(a.pe_cols, 3);
  EXPECT_EQ(a.glb_psum_banks, 3);
  EXPECT_EQ(a.psum_routers, 3);
  EXPECT_EQ(a.cluster_rows, ArchConfig{}.cluster_rows);
}

TEST(ArchOverrides, BadOnesNameTheFileTheOverrideAndTheKey) {
  auto bad = [](const std::vector<std::string>& ov, const std::vector<std::string>& parts) {
    std::vector<std::string> all = {"cfg.yaml with --set "};
    all.insert(all.end(), parts.begin(), parts.end());
    expect_error([&] { parse_arch_config("name: x\nnoc: {iact_link_bits: 24}\n", "cfg.yaml", ov); },
                 all);
  };
  bad({"noc.foo=1"}, {"with --set noc.foo=1", "unknown key 'noc.foo'", "iact_link_bits"});
  bad({"noc.iact_link_bits=0"}, {"noc.iact_link_bits must be >= 12", "(got 0)"});
  bad({"noc.iact_link_bits=wide"}, {"'noc.iact_link_bits'", "an integer", "'wide'"});
  bad({"noc.iact_link_bits='48'"}, {"'noc.iact_link_bits'", "an integer"});
  bad({"noc=3"}, {"'noc' must be a map"});
  bad({"clock_hz=1e30"}, {"clock_hz"});
  auto bad_set = [](const std::string& ov, const std::string& part) {
    expect_error([&] { parse_arch_config("name: x\n", "cfg.yaml", {ov}); },
                 {"--set '" + ov + "': ", part});
  };
  bad_set("noc.iact_link_bits", "expected KEY.PATH=VALUE");
  bad_set(".a=1", "expected a dotted key");
  bad_set("noc..iact_link_bits=1", "expected a dotted key");
  bad_set("noc.iact_link_bits=[1", "not valid YAML");
  bad_set("name.x=1", "'name' holds a value, not a map");
}

}  // namespace
}  // namespace eyeriss

namespace eyeriss {
namespace {

TEST(SplitList, TrimsItemsAndDropsEmptyOnes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(split_list(" conv1 , dw3 "), (V{"conv1", "dw3"}));
  EXPECT_EQ(split_list(",a,, \t,b\t,"), (V{"a", "b"}));
  EXPECT_EQ(split_list("a b"), (V{"a b"}));  // an item keeps its inner spaces
  EXPECT_EQ(split_list(""), V{});
  EXPECT_EQ(split_list(" , "), V{});
  // Instance names (rtl.pe, --rtl-pe) hold no spaces at all.
  EXPECT_EQ(split_rtl_list(" top.cg_r0 _c0 ,all"), (V{"top.cg_r0_c0", "all"}));
}

}  // namespace
}  // namespace eyeriss
