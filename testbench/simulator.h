// The simulator driver: prepares every layer's tensors (from .npy files or generated, iacts by
// running the golden network forward with host-side pooling), maps each layer, runs the chip
// model on all of them in one SystemC elaboration, and checks every output bit-exact against
// the golden reference.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "models/mapper/mapping.h"
#include "testbench/workload.h"

namespace sc_core {
class sc_report;
}

namespace eyeriss {

struct LayerReport {
  std::string name, type;
  std::string mapping;
  Mapping map;
  bool pinned = false;
  std::size_t passes = 0;
  int steps = 0, candidates = 0;
  double est_cycles = 0;
  uint64_t planned_offchip_read_bits = 0;  // the mapper's count (offchip_read_bits)
  std::string loop_nest;
  uint64_t cycles = 0;
  int64_t macs = 0;                 // nominal (zeros included)
  uint64_t nonzero_macs = 0;        // both operands nonzero, counted by the PEs
  int64_t golden_nonzero_macs = 0;  // the same, counted from the tensors by the testbench
  uint64_t macs_performed = 0;      // MAC lanes that held a weight entry
  uint64_t mac_slots = 0;
  int active_pes = 0, total_pes = 0;
  double utilization = 0;  // MACs performed / (cycles x PEs x SIMD)
  uint64_t busy_min = 0, busy_max = 0;
  double busy_mean = 0;
  std::map<std::string, uint64_t> counters;  // named action counts of this layer
  std::array<double, 7> eyexam{};  // Eyexam bounds, effective MACs per cycle (docs/eyexam.md)
  std::array<std::string, 7> eyexam_why;
  std::vector<uint64_t> pe_busy;  // busy cycles per PE (cluster-major)
  std::vector<std::vector<uint64_t>> link_iact, link_weight, link_psum;  // per cluster
  uint64_t iact_streams_stored = 0, iact_streams_reused = 0, iact_streams_passed = 0;
  // The least the layer must move off-chip (docs/outputs.md): each tensor once, each value raw
  // (8 bits) or, in sparse mode, one CSC entry (value and zero-run count) per nonzero, whichever
  // is smaller; oacts raw. A lower bound on the counters offchip.*_bits.
  uint64_t offchip_min_iact_bits = 0, offchip_min_weight_bits = 0, offchip_min_oact_bits = 0;
  std::string iact_mode, weight_mode, iact_pattern, weight_pattern;  // NoC as configured
  double energy_pj = 0;
  bool bit_exact = false;
  std::string mismatch;  // first differing coordinates, if any
  // RTL co-simulation (docs/rtl.md): the lockstep cross-check of the RTL PEs in this layer.
  int rtl_pes = 0;
  uint64_t rtl_positions = 0, rtl_rows = 0, rtl_cycle_divergences = 0;
  std::string rtl_first_cycle_divergence;
};

struct RunResult {
  ArchConfig arch;
  double clock_hz = 0;
  uint64_t total_cycles = 0;
  bool whole_network = false;  // every layer of the workload ran (inferences/s make sense)
  std::vector<LayerReport> layers;
  bool all_exact() const;
  double energy_pj = 0;         // whole run with DRAM, when an energy table was given
  double energy_onchip_pj = 0;  // the same without DRAM (what the chip's own power covers)
  std::string energy_table;
};

// Test-only hooks: they change how the run is driven, never what a correct chip computes.
struct TestHooks {
  uint64_t shuffle_issue = 0;  // != 0: the controller issues configurations in shuffled order
  bool psum_fault = false;     // corrupt one final psum per layer (the checker must fail)
  bool starve = false;         // drop one iact stream from the program: the PEs waiting for it
                               // never finish (the run must end as a reported deadlock)
  bool undersize = false;      // build the chip with a 1-entry psum SPad after mapping for the
                               // real one (the PEs must refuse the pass, not hang)
};

// Where a run's outputs came from, written into stats.json ("run") and every layers.csv row, so
// a table gathered from many runs stays self-describing; and what the run writes.
struct RunMeta {
  std::string version;       // eyeriss-sim --version
  std::string command_line;  // as invoked (argv joined, quoted where needed)
  bool tensors = true;       // false (--no-tensors): stats.json and layers.csv only
};

struct RunOptions {
  std::string arch_path, workload_path;
  std::vector<std::string> arch_overrides;  // --set key.path=value, in order
  std::vector<std::string> layers;          // empty: all
  std::string out_dir;                      // empty: no files
  bool progress = true;
  bool mapping_report = false;
  std::string energy_table;  // energy-per-action YAML; empty: no energy figures
  std::string trace_layers;  // comma-separated layers to trace (Chrome/Perfetto JSON)
  std::string trace_file;    // where the trace goes (default: DIR/trace.json)
  bool eyexam = false;
  std::string rtl_pe;          // --rtl-pe: PEs that run as RTL (adds to the architecture's rtl.pe)
  bool strict_cycles = false;  // --strict-cycles: an RTL cycle divergence fails the run
  std::string vcd;             // --vcd: the RTL PEs' pins as a VCD file
  int jobs = 1;                // --jobs: worker processes simulating layers in parallel
  TestHooks hooks;
  RunMeta meta;
};

// Memory a run may need (estimated before any work; more is refused as bad input): by default
// 80 % of the machine's physical memory; `--max-memory` sets it.
double memory_limit_bytes();
void set_memory_limit(double bytes);
// The no-progress watchdog: simulated cycles without a completed link transfer before a run is
// stopped and reported (exit 3). Default 10,000,000; `--watchdog-cycles` sets it.
uint64_t watchdog_cycles();
void set_watchdog_cycles(uint64_t cycles);

// Runs the simulation. Throws InputError for bad input (before anything is written).
// Results (and output files, if requested) are complete when it returns.
// Progress and details are reported through run_log (SystemC's report handler).
RunResult run_simulation(const RunOptions& opt);

// The same for an in-memory architecture and workload (tests).
RunResult run_simulation(const ArchConfig& arch, const Workload& wl,
                         const std::vector<std::string>& layers, const std::string& out_dir,
                         bool progress = false, const std::string& energy_table = "",
                         const std::vector<std::string>& trace_layers = {},
                         const std::string& trace_file = "", const TestHooks& hooks = {},
                         int workers = 1, const RunMeta& meta = {});

// A SystemC report as one line: its message, then the process and time it happened in.
std::string sc_report_text(const sc_core::sc_report& e);

void print_table(const RunResult& r, std::ostream& os);
// Per layer: the mapping, its loop nest per level and the NoC patterns (--mapping-report).
void print_mapping_report(const RunResult& r, std::ostream& os);
// Per layer the seven Eyexam bounds and what sets each.
void print_eyexam(const RunResult& r, std::ostream& os, bool explain);

// Runs only the golden network and prints per-layer nominal and effective MACs, weight, iact
// and output densities and the fraction of saturated outputs (for choosing shifts/densities).
void inspect_workload(const ArchConfig& arch, const Workload& wl, std::ostream& os);

}  // namespace eyeriss
