// Transaction trace in the Chrome / Perfetto JSON format (docs/outputs.md, "trace.json"):
//  - complete events ("ph": "X") for NoC transfers (with the packet: bits, what it carries, the
//    receivers that took it), GLB port accesses and PE busy intervals, one track per instance:
//    "top.cg_r3_c1" is the process, the full name the thread, so a viewer groups by cluster;
//    a block does one thing at a time on its track, so slices never overlap (tested);
//  - one slice per traced layer on the track "top / layers";
//  - counter tracks ("ph": "C") in kCounterWindow-cycle bins from the first traced one: the load of
//  each data type's links
//    as a fraction of their capacity (busy link-cycles / (links x cycles)), off-chip bytes per
//    cycle, and each GLB bank's occupancy.
// Off unless enabled (no cost then).
#pragma once
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace eyeriss {

class Trace {
 public:
  static constexpr uint64_t kCounterWindow = 64;  // cycles per bin of the rate counters

  static Trace& get() {  // inline: asked on every hot path whether tracing is on
    static Trace t;
    return t;
  }
  bool on() const { return on_; }
  void enable(bool on) { on_ = on; }
  void set_cycle_ns(double ns) { cycle_ns_ = ns; }
  // A busy interval [start, end) in cycles on the track `who` (an instance name).
  void add(const std::string& who, const char* what, const char* cat, uint64_t start, uint64_t end);
  // A transfer on link `who`: the packet's bits, what it carries and the receivers that took it.
  void add_transfer(const std::string& who, const char* what, uint64_t start, uint64_t end,
                    uint64_t bits, std::string packet, std::string receivers);
  // A traced layer from its first to its last cycle.
  void layer(const std::string& name, uint64_t start, uint64_t end);
  // Adds `amount` to the rate counter `track` (top level), spread evenly over [start, end).
  void rate(const std::string& track, uint64_t start, uint64_t end, double amount);
  // The counter `track` of instance `who` is `value` from `cycle` on.
  void level(const std::string& who, const std::string& track, uint64_t cycle, double value);
  std::size_t events() const { return events_.size(); }
  void write(std::ostream& os) const;
  void clear();

 private:
  struct Event {
    int pid, tid;
    const char* name;
    const char* cat;
    uint64_t start, end;
    int detail = -1;  // index into details_ (transfers and layers)
  };
  struct Detail {
    std::string name;  // owned name (layers)
    uint64_t bits = 0;
    std::string packet, receivers;
  };
  struct Level {
    int pid;
    std::string track;
    uint64_t cycle;
    double value;
  };
  int process(const std::string& p);
  int thread(const std::string& t);
  void push(const std::string& who, const char* what, const char* cat, uint64_t start, uint64_t end,
            int detail);
  bool on_ = false;
  double cycle_ns_ = 5;
  std::vector<Event> events_;
  std::vector<Detail> details_;
  std::map<std::string, std::vector<double>> rates_;  // per track: amount per bin
  uint64_t first_bin_ = UINT64_MAX;                   // written from here (the first traced)
  std::vector<Level> levels_;
  std::map<std::string, int> pids_, tids_;
};

}  // namespace eyeriss
