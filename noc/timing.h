// Time in the model: resources keep their own timelines in clock cycles; b_transport delays
// carry absolute cycle stamps relative to sc_time_stamp() (loosely-timed, temporally decoupled).
#pragma once
#include <systemc>

#include <algorithm>
#include <cstdint>

#include "pe/pe_compute.h"

namespace eyeriss {

class ClockDomain {
 public:
  static void set_period(const sc_core::sc_time& p) { period_() = p; }
  static const sc_core::sc_time& period() { return period_(); }
  // Absolute cycle of (now + delay).
  static Cycle cycle_of(const sc_core::sc_time& delay) {
    return static_cast<Cycle>((sc_core::sc_time_stamp() + delay).value() / period_().value());
  }
  // The delay (relative to now) that reaches absolute cycle c.
  static sc_core::sc_time delay_to(Cycle c) {
    const sc_core::sc_time abs = period_() * static_cast<double>(c);
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    return abs > now ? abs - now : sc_core::SC_ZERO_TIME;
  }

 private:
  static sc_core::sc_time& period_() {
    static sc_core::sc_time p(5, sc_core::SC_NS);
    return p;
  }
};

// A link, bank port or bus: busy until `free`; a transfer starts at max(ready, free) and holds
// the resource for ceil(bits / width) cycles.
struct Timeline {
  int width_bits = 1;
  Cycle free = 0;
  uint64_t transfers = 0, bits = 0, busy = 0;

  Cycle cycles_for(uint64_t b) const { return (b + width_bits - 1) / width_bits; }
  // Reserves the resource; returns the start cycle.
  Cycle reserve(Cycle ready, Cycle duration, uint64_t b) {
    const Cycle start = std::max(ready, free);
    free = start + duration;
    ++transfers;
    bits += b;
    busy += duration;
    return start;
  }
};

}  // namespace eyeriss
