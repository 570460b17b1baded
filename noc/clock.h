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
    period_value_ = p.value();
    // Delays of whole half periods, the only kind the model annotates, made once: building
    // an sc_time from a value asks the kernel for its time resolution on every call.
    unit_ = period_value_ % 2 == 0 ? period_value_ / 2 : period_value_;
    for (uint64_t k = 0; k < kDelays; ++k) delays_[k] = sc_core::sc_time::from_value(k * unit_);
  }
  // The default clock (200 MHz) unless set_period came first; called while blocks elaborate.
  static void ensure_period() {
    if (period_value_ == 0) set_period(sc_core::sc_time(5, sc_core::SC_NS));
  }
  // The cycle now falls in.
  static Cycle now() { return deciding_ ? decision_cycle_ : now_value() / period_value_; }
  // Set by the decision calendar while it runs a cycle's decision phase (saves asking the
  // kernel for the time on every call).
  static void enter_decision(Cycle c) {
    decision_cycle_ = c;
    deciding_ = true;
  }
  static void leave_decision() { deciding_ = false; }
  // The earliest edge a request may be posted at from here: this cycle's edge while in the
  // edge phase, the next one once the decision phase has begun.
  static Cycle next_edge() {
    if (deciding_) return decision_cycle_ + 1;
    const uint64_t t = now_value(), p = period_value_;
    return (t + p - 1) / p;
  }
  // Delay from now to edge c (c must not lie in the past).
  static sc_core::sc_time until_edge(Cycle c) { return delay(c * period_value_ - now_value()); }
  // Delay from now to cycle c's decision phase.
  static sc_core::sc_time until_decision(Cycle c) {
    return delay(c * period_value_ + period_value_ / 2 - now_value());
  }
  static bool in_edge_phase() { return !deciding_ && now_value() % period_value_ == 0; }

 private:
  static uint64_t now_value() {
    return deciding_ ? decision_cycle_ * period_value_ + period_value_ / 2
                     : sc_core::sc_time_stamp().value();
  }
  static sc_core::sc_time delay(uint64_t v) {
    if (v % unit_ == 0 && v / unit_ < kDelays) return delays_[v / unit_];
    return sc_core::sc_time::from_value(v);
  }
  static constexpr uint64_t kDelays = 256;
  static inline uint64_t period_value_ = 0;
  static inline uint64_t unit_ = 1;  // the step of delays_: half a period if that is whole
  static inline sc_core::sc_time delays_[kDelays];
  static inline bool deciding_ = false;
  static inline Cycle decision_cycle_ = 0;
};

}  // namespace eyeriss
