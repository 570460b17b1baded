#include "models/common/trace.h"

#include <nlohmann/json.hpp>

namespace eyeriss {

int Trace::process(const std::string& p) {
  auto [it, fresh] = pids_.try_emplace(p, static_cast<int>(pids_.size()) + 1);
  return it->second;
}

int Trace::thread(const std::string& t) {
  auto [it, fresh] = tids_.try_emplace(t, static_cast<int>(tids_.size()) + 1);
  return it->second;
}

void Trace::add(const std::string& who, const char* what, const char* cat, uint64_t start,
                uint64_t end) {
  if (!on_) return;
  // "top.cg_r3_c1.router.iact1" -> process "top.cg_r3_c1", thread the full name.
  const std::size_t a = who.find('.');
  const std::size_t b = a == std::string::npos ? a : who.find('.', a + 1);
  const std::string proc = b == std::string::npos ? who : who.substr(0, b);
  events_.push_back({process(proc), thread(who), what, cat, start, end});
}

void Trace::write(std::ostream& os) const {
  nlohmann::json ev = nlohmann::json::array();
  for (const auto& [name, pid] : pids_)
    ev.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", pid}, {"args", {{"name", name}}}});
  // Thread names: each thread belongs to the process of its first event.
  std::map<int, int> tid_pid;
  for (const Event& e : events_) tid_pid.emplace(e.tid, e.pid);
  for (const auto& [name, tid] : tids_)
    ev.push_back({{"ph", "M"},
                  {"name", "thread_name"},
                  {"pid", tid_pid[tid]},
                  {"tid", tid},
                  {"args", {{"name", name}}}});
  const double us = cycle_ns_ / 1000.0;  // trace timestamps are microseconds
  for (const Event& e : events_)
    ev.push_back({{"ph", "X"},
                  {"name", e.name},
                  {"cat", e.cat},
                  {"pid", e.pid},
                  {"tid", e.tid},
                  {"ts", e.start * us},
                  {"dur", (e.end - e.start) * us},
                  {"args", {{"start_cycle", e.start}, {"end_cycle", e.end}}}});
  os << nlohmann::json{{"traceEvents", ev}, {"displayTimeUnit", "ns"}}.dump() << "\n";
}

}  // namespace eyeriss
