// SystemC can elaborate one design per process, so every simulation in these tests runs in a
// forked child; the child sends the results back through a pipe as JSON.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <systemc>

#include "models/common/error.h"
#include "testbench/simulator.h"
#include "testbench/workload.h"

namespace eyeriss::test {

struct Isolated {
  bool ok = false;         // the run finished (no exception)
  std::string error_kind;  // "input", "model" or ""
  std::string error;
  nlohmann::json result;  // layers: name, bit_exact, mismatch, cycles, ...
  bool all_exact() const {
    if (!ok) return false;
    for (const auto& l : result["layers"])
      if (!l["bit_exact"].get<bool>()) return false;
    return !result["layers"].empty();
  }
  std::string summary() const {
    if (!ok) return error_kind + " error: " + error;
    std::string s;
    for (const auto& l : result["layers"])
      s += l["name"].get<std::string>() +
           (l["bit_exact"].get<bool>() ? " PASS" : " FAIL: " + l["mismatch"].get<std::string>()) +
           "\n";
    return s;
  }
};

template <typename Fn>
Isolated run_isolated(Fn&& fn) {
  int fds[2];
  if (pipe(fds) != 0) return {false, "harness", "pipe failed", {}};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    nlohmann::json j;
    try {
      std::ostringstream log;
      RunResult r = fn(log);
      j["ok"] = true;
      for (const LayerReport& l : r.layers)
        j["layers"].push_back({{"name", l.name},
                               {"bit_exact", l.bit_exact},
                               {"mismatch", l.mismatch},
                               {"cycles", l.cycles},
                               {"nonzero_macs", l.nonzero_macs},
                               {"golden_nonzero_macs", l.golden_nonzero_macs},
                               {"macs_performed", l.macs_performed},
                               {"macs", l.macs},
                               {"active_pes", l.active_pes},
                               {"busy_max", l.busy_max},
                               {"mapping", l.mapping},
                               {"iact_pattern", l.iact_pattern},
                               {"weight_pattern", l.weight_pattern},
                               {"counters", l.counters},
                               {"pe_busy", l.pe_busy}});
      j["total_cycles"] = r.total_cycles;
    } catch (const InputError& e) {
      j = {{"ok", false}, {"kind", "input"}, {"error", e.what()}};
    } catch (const ModelError& e) {
      j = {{"ok", false}, {"kind", "model"}, {"error", e.what()}};
    } catch (const std::exception& e) {
      j = {{"ok", false}, {"kind", "model"}, {"error", e.what()}};
    }
    const std::string s = j.dump();
    std::size_t off = 0;
    while (off < s.size()) {
      const ssize_t w = write(fds[1], s.data() + off, s.size() - off);
      if (w <= 0) break;
      off += w;
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string buf;
  char tmp[65536];
  ssize_t n;
  while ((n = read(fds[0], tmp, sizeof tmp)) > 0) buf.append(tmp, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Isolated r;
  if (buf.empty()) {
    r.error_kind = "crash";
    r.error = "child died (status " + std::to_string(status) + ")";
    return r;
  }
  nlohmann::json j = nlohmann::json::parse(buf);
  r.ok = j["ok"].get<bool>();
  if (!r.ok) {
    r.error_kind = j["kind"].get<std::string>();
    r.error = j["error"].get<std::string>();
  } else {
    r.result = j;
  }
  return r;
}

// Runs a workload given as YAML text on `arch` in an isolated child; SystemC errors throw.
inline Isolated run_yaml(const ArchConfig& arch, const std::string& yaml,
                         const TestHooks& hooks = {}) {
  return run_isolated([&](std::ostream&) {
    sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
    sc_core::sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
    const Workload wl = parse_workload(yaml, "test.yaml", ".");
    return run_simulation(arch, wl, {}, "", false, "", {}, "", hooks);
  });
}

}  // namespace eyeriss::test
