// A link's pins (data / enable / last / len, and ready back) as SystemC signals, and the two
// halves of a transactor between them and the TLM link protocol (noc/link.h), generic over the
// data word type (Verilator's SystemC ports: uint32_t up to 32 bits, uint64_t up to 64), so an
// RTL router can get the same transactor as the RTL PE (docs/rtl.md).
//
// Clocking (docs/rtl.md, "Pins and phases"): the RTL samples its inputs at edge c*P; the
// transactor drives them in cycle c's decision phase, reads `ready` once the RTL's
// combinational logic has settled (two delta cycles), and a word whose enable and ready are
// both high moves at the next edge. A TLM transfer [start, end) is the words at cycles
// start .. start+n-2 and the last word at end-1 (a cut-through tail may hold the last word).
#pragma once
#include <cstdint>
#include <string>
#include <systemc>

#include "models/common/cycle.h"
#include "noc/link_format.h"

namespace eyeriss {

template <typename Word>
struct LinkPins {
  sc_core::sc_signal<Word> data;
  sc_core::sc_signal<bool> enable, last;
  // Written by the transactor's process and, for an output, by the process of the receiver
  // that accepts (an RTL receiver accepts in its own process).
  sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> ready;
  sc_core::sc_signal<uint32_t> len;  // sideband with the first word (packet length)
  explicit LinkPins(const std::string& p)
      : data((p + "_data").c_str()),
        enable((p + "_enable").c_str()),
        last((p + "_last").c_str()),
        ready((p + "_ready").c_str()),
        len((p + "_len").c_str()) {}
  void trace(sc_core::sc_trace_file* f, const std::string& p) const {
    sc_core::sc_trace(f, data, p + "_data");
    sc_core::sc_trace(f, enable, p + "_enable");
    sc_core::sc_trace(f, last, p + "_last");
    sc_core::sc_trace(f, ready, p + "_ready");
    sc_core::sc_trace(f, len, p + "_len");
  }
};

// TLM -> pins: presents an accepted (or about to be accepted) packet's words to an RTL input.
template <typename Word>
class PinSender {
 public:
  explicit PinSender(LinkPins<Word>& p) : pins_(p) {}
  bool busy() const { return words_ != nullptr; }
  bool started() const { return words_ && end_ != kNever; }  // accepted, words moving
  // Offers `w` from this cycle; the transfer, once it starts, ends at `end` (set by accepted()).
  void offer(const LinkWords& w, uint32_t len) {
    words_ = &w;
    next_ = 0;
    len_ = len;
    end_ = kNever;
  }
  void accepted(Cycle end) { end_ = end; }
  // Decision phase of cycle c: the word due now, or nothing (a gap before a held last word).
  void drive(Cycle c) {
    bool on = false;
    if (words_) {
      const std::size_t n = words_->words();
      const bool last = next_ + 1 == n;
      // Before acceptance only the first word is shown; the last word waits for the tail.
      on = end_ == kNever ? next_ == 0 : (!last || c + 1 >= end_);
      if (on) {
        pins_.data.write(static_cast<Word>(words_->data()[next_]));
        pins_.last.write(last);
        pins_.len.write(len_);
      }
    }
    pins_.enable.write(on);
  }
  // After the RTL settled: did the word driven now move? (Then the next one is due.)
  bool moved() const { return words_ && pins_.enable.read() && pins_.ready.read(); }
  // Advances past a moved word; true when that was the packet's last.
  bool advance() {
    if (++next_ < words_->words()) return false;
    words_ = nullptr;
    return true;
  }
  void cancel() { words_ = nullptr; }

 private:
  LinkPins<Word>& pins_;
  const LinkWords* words_ = nullptr;
  std::size_t next_ = 0;
  uint32_t len_ = 0;
  Cycle end_ = kNever;
};

// Pins -> TLM: pulls an RTL output's words while a TLM transfer [start, end) runs.
template <typename Word>
class PinReceiver {
 public:
  explicit PinReceiver(LinkPins<Word>& p) : pins_(p) {}
  void pull(Cycle start, Cycle end) {
    start_ = start;
    end_ = end;
  }
  bool pulling(Cycle c) const { return c >= start_ && c < end_; }
  // Decision phase: ready while the transfer runs.
  void drive(Cycle c) { pins_.ready.write(pulling(c)); }
  // After the RTL settled: the word that moves at the next edge, if any.
  bool moved() const { return pins_.ready.read() && pins_.enable.read(); }
  Word word() const { return pins_.data.read(); }
  bool last() const { return pins_.last.read(); }

 private:
  LinkPins<Word>& pins_;
  Cycle start_ = 0, end_ = 0;
};

}  // namespace eyeriss
