#include "models/common/trace.h"

#include <algorithm>
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

namespace {

// "top.cg_r3_c1.router.iact1" -> "top.cg_r3_c1"; "top.offchip.x" -> "top.offchip".
std::string process_of(const std::string& who) {
  const std::size_t a = who.find('.');
  const std::size_t b = a == std::string::npos ? a : who.find('.', a + 1);
  return b == std::string::npos ? who : who.substr(0, b);
}

}  // namespace

void Trace::push(const std::string& who, const char* what, const char* cat, uint64_t start,
                 uint64_t end, int detail) {
  events_.push_back({process(process_of(who)), thread(who), what, cat, start, end, detail});
}

void Trace::add(const std::string& who, const char* what, const char* cat, uint64_t start,
                uint64_t end) {
  if (on_) push(who, what, cat, start, end, -1);
}

void Trace::add_transfer(const std::string& who, const char* what, uint64_t start, uint64_t end,
                         uint64_t bits, std::string packet, std::string receivers) {
  if (!on_) return;
  details_.push_back({"", bits, std::move(packet), std::move(receivers)});
  push(who, what, "noc", start, end, static_cast<int>(details_.size()) - 1);
}

void Trace::layer(const std::string& name, uint64_t start, uint64_t end) {
  if (!on_) return;
  details_.push_back({name, 0, "", ""});
  events_.push_back({process("top"), thread("top.layers"), nullptr, "layer", start, end,
                     static_cast<int>(details_.size()) - 1});
}

void Trace::rate(const std::string& track, uint64_t start, uint64_t end, double amount) {
  if (!on_ || end <= start) return;
  process("top");  // the counters' process
  std::vector<double>& bins = rates_[track];
  first_bin_ = std::min(first_bin_, start / kCounterWindow);
  const double per_cycle = amount / double(end - start);
  for (uint64_t c = start; c < end;) {
    const uint64_t bin = c / kCounterWindow;
    const uint64_t stop = std::min(end, (bin + 1) * kCounterWindow);
    if (bins.size() <= bin) bins.resize(bin + 1, 0.0);
    bins[bin] += per_cycle * double(stop - c);
    c = stop;
  }
}

void Trace::level(const std::string& who, const std::string& track, uint64_t cycle, double value) {
  if (on_) levels_.push_back({process(process_of(who)), track, cycle, value});
}

void Trace::clear() {
  events_.clear();
  details_.clear();
  rates_.clear();
  levels_.clear();
  first_bin_ = UINT64_MAX;
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
  for (const Event& e : events_) {
    nlohmann::json args = {{"start_cycle", e.start}, {"end_cycle", e.end}};
    const char* name = e.name;
    if (e.detail >= 0) {
      const Detail& d = details_[e.detail];
      if (!d.name.empty()) name = d.name.c_str();
      if (!d.packet.empty()) {
        args["bits"] = d.bits;
        args["packet"] = d.packet;
        args["receivers"] = d.receivers;
      }
    }
    ev.push_back({{"ph", "X"},
                  {"name", name},
                  {"cat", e.cat},
                  {"pid", e.pid},
                  {"tid", e.tid},
                  {"ts", e.start * us},
                  {"dur", (e.end - e.start) * us},
                  {"args", args}});
  }
  // Rate counters on the top process: the mean per cycle of each bin, zeros included.
  if (!rates_.empty()) {
    const int top = pids_.at("top");
    for (const auto& [track, bins] : rates_)
      for (std::size_t b = first_bin_; b < bins.size(); ++b)
        ev.push_back({{"ph", "C"},
                      {"name", track},
                      {"pid", top},
                      {"ts", double(b * kCounterWindow) * us},
                      {"args", {{"value", bins[b] / double(kCounterWindow)}}}});
  }
  for (const Level& l : levels_)
    ev.push_back({{"ph", "C"},
                  {"name", l.track},
                  {"pid", l.pid},
                  {"ts", double(l.cycle) * us},
                  {"args", {{"value", l.value}}}});
  os << nlohmann::json{{"traceEvents", ev}, {"displayTimeUnit", "ns"}}.dump() << "\n";
}

}  // namespace eyeriss
