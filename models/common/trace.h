// Transaction trace in the Chrome / Perfetto JSON format: complete events ("ph": "X") for NoC
// transfers, bank port accesses and PE busy intervals of the layers chosen with --trace. Tracks
// come from instance names: "top.cg_r3_c1" becomes the process, the rest the thread, so a
// trace viewer shows one group per cluster group. Off unless enabled (no cost then).
#pragma once
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace eyeriss {

class Trace {
 public:
  static Trace& get() {  // inline: asked on every hot path whether tracing is on
    static Trace t;
    return t;
  }
  bool on() const { return on_; }
  void enable(bool on) { on_ = on; }
  void set_cycle_ns(double ns) { cycle_ns_ = ns; }
  // A busy interval [start, end) in cycles on the track `who` (an instance name).
  void add(const std::string& who, const char* what, const char* cat, uint64_t start, uint64_t end);
  std::size_t events() const { return events_.size(); }
  void write(std::ostream& os) const;
  void clear() { events_.clear(); }

 private:
  struct Event {
    int pid, tid;
    const char* name;
    const char* cat;
    uint64_t start, end;
  };
  int process(const std::string& p);
  int thread(const std::string& t);
  bool on_ = false;
  double cycle_ns_ = 5;
  std::vector<Event> events_;
  std::map<std::string, int> pids_, tids_;
};

}  // namespace eyeriss
