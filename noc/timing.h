// Time in the model: resources keep their own timelines in clock cycles; b_transport delays
// carry absolute cycle stamps relative to sc_time_stamp() (loosely-timed, temporally decoupled).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <systemc>

#include "pe/pe_compute.h"

namespace eyeriss {

class ClockDomain {
 public:
  static void set_period(const sc_core::sc_time& p) {
    period_() = p;
    period_value_() = p.value();
  }
  static const sc_core::sc_time& period() { return period_(); }
  // Absolute cycle of (now + delay).
  static Cycle cycle_of(const sc_core::sc_time& delay) {
    return (sc_core::sc_time_stamp().value() + delay.value()) / period_value_();
  }
  // The delay (relative to now) that reaches absolute cycle c.
  static sc_core::sc_time delay_to(Cycle c) {
    const uint64_t abs = c * period_value_(), now = sc_core::sc_time_stamp().value();
    return sc_core::sc_time::from_value(abs > now ? abs - now : 0);
  }

 private:
  static sc_core::sc_time& period_() {
    static sc_core::sc_time p(5, sc_core::SC_NS);
    return p;
  }
  static uint64_t& period_value_() {
    static uint64_t v = sc_core::sc_time(5, sc_core::SC_NS).value();
    return v;
  }
};

// A link, bank port or bus. A transfer holds the resource for ceil(bits / width) cycles and
// takes the earliest free interval at or after the cycle its data is ready. Gap filling makes
// the result independent of the order in which the (temporally decoupled) initiators call.
class Timeline {
 public:
  int width_bits = 1;
  uint64_t transfers = 0, bits = 0, busy = 0;

  Cycle cycles_for(uint64_t b) const { return (b + width_bits - 1) / width_bits; }
  // Earliest start >= ready of a free interval of `duration` cycles (no reservation).
  Cycle probe(Cycle ready, Cycle duration) const {
    if (duration == 0) return ready;
    Cycle t = ready;
    auto it = busy_.upper_bound(t);
    if (it != busy_.begin()) {
      auto p = std::prev(it);
      if (p->second > t) t = p->second;
    }
    for (; it != busy_.end() && it->first < t + duration; ++it) t = std::max(t, it->second);
    return t;
  }
  // Reserves the earliest fitting interval; returns its start cycle.
  Cycle reserve(Cycle ready, Cycle duration, uint64_t b) {
    ++transfers;
    bits += b;
    busy += duration;
    const Cycle t = probe(ready, duration);
    if (duration == 0) return t;
    Cycle s = t, e = t + duration;
    auto it = busy_.lower_bound(s);
    if (it != busy_.begin() && std::prev(it)->second == s) {  // merge with the one before
      --it;
      s = it->first;
      it = busy_.erase(it);
    }
    if (it != busy_.end() && it->first == e) {  // merge with the one after
      e = it->second;
      busy_.erase(it);
    }
    busy_.emplace(s, e);
    return t;
  }
  // Forgets intervals ending before `c`: only safe when nothing can be scheduled that early
  // again (the controller calls it at each layer's start).
  void prune(Cycle c) {
    while (!busy_.empty() && busy_.begin()->second < c) busy_.erase(busy_.begin());
  }

 private:
  std::map<Cycle, Cycle> busy_;  // start -> end, disjoint, merged when touching
};

// A wide interface shared by many small transfers (the off-chip port): a calendar of bit
// budgets per window of cycles. A transfer ready at cycle t takes the free bits of t's window
// and the following ones; many small packets share a cycle, unlike a link that moves one
// packet's flits per cycle. Order-independent like Timeline's gap filling.
class BandwidthCalendar {
 public:
  explicit BandwidthCalendar(double bits_per_cycle = 1) : bits_per_cycle_(bits_per_cycle) {}
  // Returns the cycle the transfer's last bit has moved.
  Cycle reserve(Cycle ready, uint64_t bits) {
    const double cap = bits_per_cycle_ * kWindow;
    uint64_t w = ready / kWindow;
    double left = static_cast<double>(bits);
    // Within the ready window only the part from `ready` on is usable.
    double used = std::max(used_[w], (ready - w * kWindow) * bits_per_cycle_);
    while (true) {
      const double take = std::min(cap - used, left);
      used += take;
      left -= take;
      used_[w] = used;
      if (left <= 0) break;
      used = used_[++w];
    }
    return w * kWindow + static_cast<Cycle>(std::ceil(used / bits_per_cycle_));
  }

 private:
  static constexpr Cycle kWindow = 16;
  double bits_per_cycle_;
  std::map<uint64_t, double> used_;  // bits used per window
};

}  // namespace eyeriss
