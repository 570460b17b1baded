// eyeriss-sim: the command-line front end.
//   eyeriss-sim run --arch A.yaml --workload W.yaml [--layers a,b] [--out DIR]
// Exit codes: 0 all layers bit-exact, 1 a mismatch, 2 bad input, 3 internal model error.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <systemc>
#include <thread>

#include "models/common/error.h"
#include "models/common/split_list.h"
#include "models/energy/energy_model.h"
#include "testbench/simulator.h"

#ifndef EYERISS_VERSION
#define EYERISS_VERSION "unknown"
#endif

namespace {

// argv as one line a shell would read back: arguments with spaces or quotes single-quoted.
std::string command_line(int argc, char* argv[]) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_-+=./,:@%") == std::string::npos;
    std::string q = a;
    if (!plain) {
      q = "'";
      for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
      q += "'";
    }
    out += (i ? " " : "") + q;
  }
  return out;
}

// The default energy table, found relative to this binary: share/eyeriss-v2/configs/ beside
// bin/ once installed, or in the build folder (CMake links it to the source configs).
std::string default_energy_table(const char* argv0) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  const fs::path dir = exe.parent_path();
  for (const fs::path& p : {dir / ".." / "share" / "eyeriss-v2" / "configs" / "energy_65nm.yaml",
                            dir / "share" / "eyeriss-v2" / "configs" / "energy_65nm.yaml"})
    if (fs::is_regular_file(p, ec)) return fs::weakly_canonical(p, ec).string();
  return "";
}

// SystemC reports: run messages (SC_INFO of type "eyeriss", testbench/run_log.h) as plain lines
// on stderr; everything else as SystemC prints it.
void report_handler(const sc_core::sc_report& r, const sc_core::sc_actions& actions) {
  if (r.get_severity() == sc_core::SC_INFO && std::strcmp(r.get_msg_type(), "eyeriss") == 0) {
    if (actions & sc_core::SC_DISPLAY) std::cerr << r.get_msg() << std::endl;
    return;
  }
  sc_core::sc_report_handler::default_handler(r, actions);
}

}  // namespace

// The SystemC banner is noise in a tool's output; the kernel reads this before sc_main runs.
static const int kNoBanner = setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);

int sc_main(int argc, char* argv[]) {
  (void)kNoBanner;
  CLI::App app{"Eyeriss v2 SystemC/TLM-2.0 model"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("eyeriss-sim ") + EYERISS_VERSION);
  eyeriss::RunOptions opt;
  std::string layers;
  bool quiet = false;
  CLI::App* run = app.add_subcommand("run", "simulate a workload and check it bit-exact");
  run->add_option("--arch", opt.arch_path, "architecture YAML")->required();
  run->add_option("--workload", opt.workload_path, "workload YAML")->required();
  run->add_option("--layers", layers, "comma-separated layer names (default: all)");
  run->add_option("--out", opt.out_dir,
                  "folder for <layer>.psum.npy, <layer>.oact.npy, stats.json");
  run->add_flag("-q,--quiet", quiet, "no progress lines");
  int verbose = 0;
  run->add_flag("-v,--verbose", verbose, "more detail: each layer's mapping");
  run->add_option("--set", opt.arch_overrides,
                  "override one architecture key, e.g. --set noc.iact_link_bits=48 (repeatable; "
                  "checked like the file)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  bool no_tensors = false;
  run->add_flag("--no-tensors", no_tensors,
                "with --out: write stats.json and layers.csv only, no .npy tensors");
  const std::string default_table = default_energy_table(argv[0]);
  opt.energy_table = default_table;
  run->add_option("--energy-table", opt.energy_table,
                  "energy per action YAML (default: energy_65nm.yaml of the installed or built "
                  "configs; \"\" for no energy figures)");
  std::string stats_in, table_in = default_table, energy_out;
  CLI::App* energy =
      app.add_subcommand("energy", "re-cost a saved run's action counts with an energy table");
  energy->add_option("--stats", stats_in, "a run's stats.json")->required();
  energy->add_option("--table", table_in, "energy per action YAML");
  energy->add_option("--out", energy_out, "write the re-costed stats.json here (default: stdout)");
  run->add_option("--trace", opt.trace_layers,
                  "comma-separated layers to trace (Chrome/Perfetto JSON: NoC transfers, GLB "
                  "port accesses, PE busy intervals)");
  run->add_option("--trace-file", opt.trace_file, "trace output (default: DIR/trace.json)");
  bool explain = false;
  run->add_flag("--eyexam", opt.eyexam, "print the seven Eyexam bounds per layer");
  run->add_flag("--explain", explain, "with --eyexam: what sets each bound");
  run->add_flag("--mapping-report", opt.mapping_report,
                "print each layer's mapping: loop nest per level and NoC patterns");
  run->add_option("--jobs,-j", opt.jobs,
                  "simulate layers in this many worker processes at once (0: one per core); "
                  "outputs are identical to --jobs 1")
      ->check(CLI::Range(0, 4096));
  uint64_t watchdog = 0;
  run->add_option("--watchdog-cycles", watchdog,
                  "stop a run (exit 3, with the stuck links and blocks) when no link transfer "
                  "completes for this many simulated cycles (default 10,000,000)")
      ->check(CLI::PositiveNumber);
  std::string max_memory;
  run->add_option("--max-memory", max_memory,
                  "refuse a run estimated to need more memory than this (bytes, or with a K, M "
                  "or G suffix; default 80 % of the machine's memory)");
  run->add_option("--rtl-pe", opt.rtl_pe,
                  "PEs that run as verilated RTL, comma-separated: all, a cluster group "
                  "(top.cg_r0_c0) or a PE (top.cg_r0_c0.pe_cluster.pe_r1_c2); docs/rtl.md");
  run->add_flag("--strict-cycles", opt.strict_cycles,
                "with --rtl-pe: a position whose RTL cycles differ from the C++ PE model fails "
                "the run (else it is reported in stats.json)");
  run->add_option("--vcd", opt.vcd, "with --rtl-pe: the RTL PEs' pins as a VCD file");
  // Test hooks (not for normal use): shuffle the controller's issue order; corrupt a psum.
  run->add_option("--shuffle-issue", opt.hooks.shuffle_issue,
                  "test hook: issue each layer's configuration in a shuffled order (seed)")
      ->group("");
  std::string fault;
  run->add_option("--inject-fault", fault,
                  "test hook: 'psum' corrupts one final psum per layer; 'starve' drops an iact "
                  "stream from the program (a deadlock); 'undersize' builds the PEs with a "
                  "1-entry psum SPad after mapping for the real one (refused, not hung)")
      ->check(CLI::IsMember({"psum", "starve", "undersize"}))
      ->group("");
  std::string ins_arch = "", ins_wl;
  CLI::App* inspect =
      app.add_subcommand("inspect", "golden network only: densities, effective MACs");
  inspect->add_option("--arch", ins_arch, "architecture YAML (psum width)");
  inspect->add_option("--workload", ins_wl, "workload YAML")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  opt.progress = !quiet;
  // Run messages go through SystemC's report handler at these verbosity levels.
  sc_core::sc_report_handler::set_handler(report_handler);
  sc_core::sc_report_handler::set_verbosity_level(quiet          ? sc_core::SC_NONE
                                                  : verbose >= 2 ? sc_core::SC_DEBUG
                                                  : verbose == 1 ? sc_core::SC_HIGH
                                                                 : sc_core::SC_MEDIUM);
  // An empty --energy-table means no energy figures; only a missing default is an error.
  if ((run->parsed() && default_table.empty() && run->count("--energy-table") == 0) ||
      (energy->parsed() && table_in.empty())) {
    std::cerr << "error: the default energy table (share/eyeriss-v2/configs/energy_65nm.yaml "
                 "beside the binary) was not found; give one with --energy-table / --table\n";
    return 2;
  }
  opt.meta.version = EYERISS_VERSION;
  opt.meta.command_line = command_line(argc, argv);
  opt.meta.tensors = !no_tensors;
  // Flags that would silently do nothing are refused.
  auto needs = [&](bool used, const char* flag, bool with, const char* other) {
    if (used && !with) {
      std::cerr << "error: " << flag << " needs " << other << "\n";
      return true;
    }
    return false;
  };
  if (run->parsed() &&
      (needs(explain, "--explain", opt.eyexam, "--eyexam") ||
       needs(!opt.trace_file.empty(), "--trace-file", !opt.trace_layers.empty(), "--trace") ||
       needs(no_tensors, "--no-tensors", !opt.out_dir.empty(), "--out DIR")))
    return 2;
  if (watchdog) eyeriss::set_watchdog_cycles(watchdog);
  if (!max_memory.empty()) {
    char* end = nullptr;
    double v = std::strtod(max_memory.c_str(), &end);
    const std::string unit = end;
    const double scale = unit.empty()  ? 1
                         : unit == "K" ? 1e3
                         : unit == "M" ? 1e6
                         : unit == "G" ? 1e9
                                       : 0;
    if (!(v > 0) || scale == 0 || !std::isfinite(v)) {
      std::cerr << "error: --max-memory '" << max_memory
                << "': expected a positive size in bytes, optionally with K, M or G\n";
      return 2;
    }
    eyeriss::set_memory_limit(v * scale);
  }
  opt.hooks.psum_fault = fault == "psum";
  opt.hooks.starve = fault == "starve";
  opt.hooks.undersize = fault == "undersize";
  if (opt.jobs == 0) opt.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  opt.layers = eyeriss::split_list(layers);
  if (!layers.empty() && opt.layers.empty()) {
    std::cerr << "error: --layers '" << layers << "': expected comma-separated layer names\n";
    return 2;
  }
  // Our own errors are exceptions; make SystemC's reports exceptions too (printed once, below,
  // with the process and time they happened in).
  sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
  sc_core::sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
  // The watchdog's sc_stop() is reported by the run itself ("no progress ..."), not as SystemC's
  // "Simulation stopped by user".
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  try {
    if (energy->parsed()) {
      const nlohmann::json j = eyeriss::recost_stats(
          eyeriss::load_stats_json(stats_in), eyeriss::load_energy_table(table_in), stats_in);
      if (energy_out.empty()) {
        std::cout << j.dump(2) << "\n";
      } else {
        if (std::filesystem::is_directory(energy_out))
          throw eyeriss::InputError("--out '" + energy_out +
                                    "': is a folder, expected a file name for the stats.json");
        const std::string tmp = energy_out + ".tmp";
        std::ofstream f(tmp);
        f << j.dump(2) << "\n";
        f.close();
        // Complete or absent: the file appears only once written whole.
        if (!f.good() || std::rename(tmp.c_str(), energy_out.c_str()) != 0) {
          std::remove(tmp.c_str());
          throw eyeriss::InputError("--out '" + energy_out + "': cannot write");
        }
      }
      std::cerr << "energy: " << j["energy_pj"].get<double>() * 1e-6 << " uJ with DRAM, "
                << j["energy_onchip_pj"].get<double>() * 1e-6 << " uJ on chip";
      if (j.contains("inferences_per_joule"))
        std::cerr << ", " << j["inferences_per_joule"].get<double>() << " inferences/J with DRAM";
      if (j.contains("inferences_per_joule_onchip"))
        std::cerr << ", " << j["inferences_per_joule_onchip"].get<double>() << " on chip";
      std::cerr << "\n";
      return 0;
    }
    if (inspect->parsed()) {
      const eyeriss::ArchConfig a =
          ins_arch.empty() ? eyeriss::ArchConfig{} : eyeriss::load_arch_config(ins_arch);
      eyeriss::inspect_workload(a, eyeriss::load_workload(ins_wl), std::cout);
      return 0;
    }
    const eyeriss::RunResult r = eyeriss::run_simulation(opt);
    if (opt.mapping_report) eyeriss::print_mapping_report(r, std::cout);
    eyeriss::print_table(r, std::cout);
    if (opt.eyexam) eyeriss::print_eyexam(r, std::cout, explain);
    if (!r.all_exact()) {
      std::cerr << "error: output mismatch against the golden reference\n";
      return 1;
    }
    return 0;
  } catch (const eyeriss::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const eyeriss::ModelError& e) {
    std::cerr << "internal error (model): " << e.what() << "\n";
    return 3;
  } catch (const sc_core::sc_report& e) {
    std::cerr << "internal error (model): " << eyeriss::sc_report_text(e) << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  }
}
