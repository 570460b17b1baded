// The chip's clock as SystemC time, with the two phases of every cycle the causal model uses:
//  - the edge (t = c * period): transfers complete, requests (BEGIN_REQ) are posted;
//  - the decision phase (t = c * period + period / 2): every arbiter and receiver decides on the
//    requests posted at or before edge c and on state that changed at or before it.
// Decisions only schedule effects at later edges, so no decision can see another decision of
// the same cycle: the outcome does not depend on the order SystemC evaluates processes in.
#pragma once
#include <systemc>

#include "models/common/cycle.h"

namespace eyeriss {

class ClockDomain {
 public:
  static void set_period(const sc_core::sc_time& p) {
    period_() = p;
    period_value_() = p.value();
  }
  static const sc_core::sc_time& period() { return period_(); }
  static uint64_t period_value() { return period_value_(); }
  // The cycle now falls in.
  static Cycle now() {
    return deciding_() ? decision_cycle_() : sc_core::sc_time_stamp().value() / period_value_();
  }
  // Set by the decision calendar while it runs a cycle's decision phase (saves asking the
  // kernel for the time on every call).
  static void enter_decision(Cycle c) {
    decision_cycle_() = c;
    deciding_() = true;
  }
  static void leave_decision() { deciding_() = false; }
  // The earliest edge a request may be posted at from here: this cycle's edge while in the
  // edge phase, the next one once the decision phase has begun.
  static Cycle next_edge() {
    if (deciding_()) return decision_cycle_() + 1;
    const uint64_t t = sc_core::sc_time_stamp().value(), p = period_value_();
    return (t + p - 1) / p;
  }
  // Delay from now to edge c (c must not lie in the past).
  static sc_core::sc_time until_edge(Cycle c) {
    return sc_core::sc_time::from_value(c * period_value_() - sc_core::sc_time_stamp().value());
  }
  // Delay from now to cycle c's decision phase.
  static sc_core::sc_time until_decision(Cycle c) {
    return sc_core::sc_time::from_value(c * period_value_() + period_value_() / 2 -
                                        sc_core::sc_time_stamp().value());
  }
  static bool in_edge_phase() {
    return !deciding_() && sc_core::sc_time_stamp().value() % period_value_() == 0;
  }

 private:
  static sc_core::sc_time& period_() {
    static sc_core::sc_time p(5, sc_core::SC_NS);
    return p;
  }
  static bool& deciding_() {
    static bool d = false;
    return d;
  }
  static Cycle& decision_cycle_() {
    static Cycle c = 0;
    return c;
  }
  static uint64_t& period_value_() {
    static uint64_t v = sc_core::sc_time(5, sc_core::SC_NS).value();
    return v;
  }
};

}  // namespace eyeriss
