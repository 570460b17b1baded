// The architecture description: everything the paper fixes is a parameter here. Defaults are
// the published Eyeriss v2 (eyeriss-v2-facts.md). Loaded from YAML by load_arch_config().
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace eyeriss {

struct SpadConfig {
  int entries = 0;
  int width_bits = 0;
};

struct ArchConfig {
  std::string name = "eyeriss_v2";
  std::string source = "built-in defaults";  // the file it was loaded from, for messages
  std::vector<std::string> overrides;        // the `--set key.path=value` applied to it
  // Cluster array (clusters) and PE cluster shape (PEs per cluster).
  int cluster_rows = 8;
  int cluster_cols = 2;
  int pe_rows = 3;
  int pe_cols = 4;

  // PE.
  bool sparse = true;  // false: dense mode (raw data, address SPads gated, no zero skipping)
  int simd = 2;        // MACs per PE per cycle: weights per weight-data word
  int pipeline_stages = 7;
  int count_bits = 4;  // CSC zero-run count width
  int iact_bits = 8;
  int weight_bits = 8;
  int psum_bits = 20;
  SpadConfig iact_addr{9, 4};
  SpadConfig iact_data{16, 12};
  SpadConfig weight_addr{16, 7};
  SpadConfig weight_data{96, 24};
  SpadConfig psum{32, 20};
  int psum_spad_ports = 2;  // read and write ports each

  // GLB cluster.
  int glb_iact_banks = 3;
  int glb_iact_bank_bytes = 1536;
  int glb_psum_banks = 4;
  int glb_psum_bank_bytes = 1920;
  int glb_iact_port_bits = 24;  // assumption: one link word per cycle (docs/assumptions.md)
  int glb_psum_port_bits = 40;

  // Router cluster.
  int iact_routers = 3;
  int weight_routers = 3;
  int psum_routers = 4;
  int iact_link_bits = 24;
  int weight_link_bits = 24;
  int psum_link_bits = 40;
  int router_hop_cycles = 1;      // assumption: one register stage per router
  int router_buffer_packets = 2;  // assumption: packets each router input holds
  int glb_buffer_packets = 2;     // assumption: packets a GLB bank holds on their way out

  // Clock and off-chip.
  double clock_hz = 200e6;
  double offchip_bytes_per_cycle = 0;  // 0 = unlimited
  int offchip_latency_cycles = 0;      // assumption
  int offchip_buffer_packets = 2;      // assumption: packets fetched ahead per off-chip channel

  // Top-level controller: loading a layer's command and each PE's next pass cost cycles.
  int command_bits = 0;        // the per-layer command; 0 = 2134 bits scaled by PEs / 192
  int config_bus_bits = 32;    // assumption: bits of command loaded per cycle; 0 = no time
  int pass_config_cycles = 1;  // assumption: a PE's controller switching to its next pass

  // Mapper policy: the PE modes a sparse PE may run layers in ("auto": the mapper chooses per
  // layer; "sparse" or "dense": that mode for every layer; a workload can still pin a layer).
  std::string mapper_pe_mode = "auto";

  int clusters() const { return cluster_rows * cluster_cols; }
  // RTL co-simulation (docs/rtl.md): PEs that run as verilated RTL ("all", a cluster group
  // "top.cg_r0_c1", or a PE "top.cg_r0_c1.pe_cluster.pe_r2_c3"); the rest stay transaction-level.
  std::vector<std::string> rtl_pe;
  bool rtl_strict_cycles = false;  // a cycle divergence fails the run (else it is reported)
  std::string rtl_vcd;             // the RTL PEs' pins to this VCD file (--vcd only)
  bool rtl_selected(const std::string& pe_instance) const;

  int pes_per_cluster() const { return pe_rows * pe_cols; }
  int64_t psum_bank_entries() const { return int64_t(glb_psum_bank_bytes) * 8 / psum_bits; }
  int64_t iact_bank_bits() const { return int64_t(glb_iact_bank_bytes) * 8; }
  int max_count() const { return (1 << count_bits) - 1; }
  // The per-layer command: 2134 bits on the published chip (192 PEs), scaled with the PEs.
  int64_t layer_command_bits() const {
    return command_bits > 0 ? command_bits
                            : (int64_t(2134) * clusters() * pes_per_cluster() + 191) / 192;
  }
  int64_t layer_config_cycles() const {
    return config_bus_bits > 0 ? (layer_command_bits() + config_bus_bits - 1) / config_bus_bits : 0;
  }
};

// Parses and validates an architecture YAML file. Missing keys keep the published defaults;
// unknown keys, wrong types and impossible values throw InputError naming the file and key.
// `overrides` are "key.path=value" assignments (`run --set`), applied to the file's YAML before
// it is read, so they meet the same checks; messages then name the file and the overrides.
ArchConfig load_arch_config(const std::string& path,
                            const std::vector<std::string>& overrides = {});
// Same, from YAML text; `origin` names the source in messages.
ArchConfig parse_arch_config(const std::string& yaml_text, const std::string& origin,
                             const std::vector<std::string>& overrides = {});
// "a, b,c" -> {"a", "b", "c"} (the rtl.pe key and --rtl-pe).
std::vector<std::string> split_rtl_list(const std::string& list);
// Checks an ArchConfig built in code; throws InputError naming `origin` and the field.
void validate_arch_config(const ArchConfig& a, const std::string& origin);

}  // namespace eyeriss
