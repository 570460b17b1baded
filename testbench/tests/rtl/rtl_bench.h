// A pin-level testbench for the verilated PE (pe/rtl/eyeriss_pe.sv): configure one pass, put
// packets on its input links at chosen cycles, pull its psum rows with a chosen ready, and
// record what it did each cycle. Packets are built with the model's link formats
// (noc/link_format.h), so the bench speaks exactly what the chip's links carry.
#pragma once
#include <gtest/gtest.h>

#include <deque>
#include <systemc>
#include <vector>

#include "models/common/csc.h"
#include "noc/link_format.h"
#include "noc/pin_link.h"
#include "pe/rtl_pe_pins.h"

namespace eyeriss::rtltest {

struct Pass {
  bool active = true, dense = false, psum_in = false, is_signed = false;
  int mc = 1, cc = 1, S = 1, U = 1, positions = 1;
  int ws() const { return U <= S ? (S + U - 1) / U : 1; }
  int seg_cols() const { return U <= S ? U : S; }
  int segments() const { return positions - 1 + ws(); }
};

inline LinkFormat fmt() { return LinkFormat{}; }

// A CSC iact segment from its values (rows u*cc + c).
inline LinkWords iact_segment(const std::vector<int16_t>& v, int& entries) {
  const CscMatrix m = csc_encode(v, static_cast<int>(v.size()), 1);
  LinkWords w;
  w.reset(24);
  pack_iact_csc(m, fmt(), w);
  entries = m.entries();
  return w;
}
// A CSC weight block, column-major mc x cols.
inline LinkWords weight_block(const std::vector<int16_t>& v, int mc, int cols, int& words) {
  const CscMatrix m = csc_encode(v, mc, cols);
  LinkWords w;
  w.reset(24);
  words = pack_weight_csc(m, fmt(), w);
  return w;
}
inline LinkWords psum_row(const std::vector<int32_t>& v) {
  LinkWords w;
  w.reset(40);
  pack_psums(v.data(), v.size(), 20, w);
  return w;
}
inline std::vector<int32_t> unpack_row(const std::vector<uint64_t>& words, int mc) {
  LinkWords w;
  w.reset(40);
  for (uint64_t x : words) w.put(x, 40);
  std::vector<int32_t> out;
  unpack_psums(w, mc, 20, out);
  return out;
}

class Bench : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Bench);
  explicit Bench(sc_core::sc_module_name n)
      : sc_module(n), rtl("rtl"), iact_tx(p.iact), w_tx(p.w), pin_tx(p.pin), pout_rx(p.pout) {
    p.bind(rtl);
    SC_THREAD(run);
  }

  // Inputs.
  void configure(const Pass& p) { pass = p; }
  void send_iact(Cycle at, const std::vector<int16_t>& v) {
    Item it;
    it.at = at;
    it.words = iact_segment(v, it.len);
    iacts.push_back(std::move(it));
  }
  void send_iact_raw(Cycle at, const std::vector<int16_t>& v) {
    Item it;
    it.at = at;
    it.words.reset(24);
    pack_raw(v.data(), v.size(), 8, it.words);
    it.len = static_cast<int>(v.size());
    iacts.push_back(std::move(it));
  }
  void send_weights(Cycle at, const std::vector<int16_t>& v, int mc, int cols) {
    Item it;
    it.at = at;
    it.words = weight_block(v, mc, cols, it.len);
    weights.push_back(std::move(it));
  }
  void send_weights_raw(Cycle at, const std::vector<int16_t>& v) {
    Item it;
    it.at = at;
    it.words.reset(24);
    pack_raw(v.data(), v.size(), 8, it.words);
    it.len = static_cast<int>(v.size());
    weights.push_back(std::move(it));
  }
  void send_psums(Cycle at, const std::vector<int32_t>& v) {
    Item it;
    it.at = at;
    it.words = psum_row(v);
    it.len = static_cast<int>(v.size());
    psums_in.push_back(std::move(it));
  }
  Cycle pout_ready_from = 0;  // the receiver above takes nothing before this cycle

  // What happened.
  struct Position {
    Cycle done;
    Cycle cycles;
  };
  std::vector<Position> positions;
  std::vector<Cycle> issue_cycles;                   // cycles stage 4 issued a weight word
  std::vector<std::vector<int32_t>> rows_out;        // psum rows sent up
  std::vector<Cycle> row_first_word, row_last_word;  // cycles their words moved
  std::vector<Cycle> accepted;                       // iact segments: the cycle each was taken
  Cycle finished = 0;                                // the cycle the last row had left

  // Runs until the pass is over (or `limit` cycles).
  void run_until_done(Cycle limit = 2000) {
    limit_ = limit;
    sc_core::sc_start();
  }

 private:
  struct Item {
    Cycle at = 0;
    LinkWords words;
    int len = 0;
  };
  template <typename Tx>
  void offer(std::deque<Item>& q, Tx& tx, Cycle c) {
    if (!tx.busy() && !q.empty() && q.front().at <= c) tx.offer(q.front().words, q.front().len);
    tx.drive(c);
  }
  template <typename Tx>
  bool settle(std::deque<Item>& q, Tx& tx, Cycle c) {
    if (!tx.busy()) return false;
    if (!tx.moved()) {
      if (!tx.started()) tx.cancel();
      return false;
    }
    bool first = !tx.started();
    if (first) tx.accepted(c + q.front().words.words());
    if (tx.advance()) q.pop_front();
    return first;
  }
  void run() {
    p.rst_n.write(false);
    wait(sc_core::SC_ZERO_TIME);
    wait(sc_core::SC_ZERO_TIME);
    p.rst_n.write(true);
    const sc_core::sc_time P(10, sc_core::SC_NS);
    bool configured = false, row_configured = false;
    std::vector<uint64_t> row;
    for (Cycle c = 0; c < limit_; ++c) {
      p.clk.write(true);
      wait(sc_core::SC_ZERO_TIME);
      wait(sc_core::SC_ZERO_TIME);
      if (p.pos_done.read()) positions.push_back({c, p.pos_cycles.read()});
      if (static_cast<int>(rows_out.size()) == pass.positions) {
        finished = c;
        break;
      }
      wait(P / 2);
      p.clk.write(false);
      p.cfg_valid.write(!configured && pass.active);
      p.rcfg_valid.write(!row_configured);
      p.rcfg_bypass.write(!pass.active);
      p.rcfg_psum_in.write(pass.psum_in);
      p.rcfg_mc.write(pass.mc);
      p.rcfg_rows.write(pass.positions);
      p.cfg_dense.write(pass.dense);
      p.cfg_signed.write(pass.is_signed);
      p.cfg_mc.write(pass.mc);
      p.cfg_cc.write(pass.cc);
      p.cfg_s.write(pass.S);
      p.cfg_u.write(pass.U);
      p.cfg_ws.write(pass.ws());
      p.cfg_cut_rows.write((pass.S - (pass.ws() - 1) * pass.U) * pass.cc);
      p.cfg_wpc.write((pass.mc + 1) / 2);
      p.cfg_segments.write(pass.segments());
      p.cfg_rows.write(pass.positions);
      if (configured || !pass.active) {
        offer(weights, w_tx, c);
        offer(iacts, iact_tx, c);
        offer(psums_in, pin_tx, c);
      }
      p.pout.ready.write(c >= pout_ready_from);
      wait(sc_core::SC_ZERO_TIME);
      wait(sc_core::SC_ZERO_TIME);
      if (p.mac_issue.read()) issue_cycles.push_back(c);
      if (!configured && pass.active && p.cfg_ready.read()) configured = true;
      if (!row_configured && p.rcfg_ready.read()) row_configured = true;
      settle(weights, w_tx, c);
      if (settle(iacts, iact_tx, c)) accepted.push_back(c);
      settle(psums_in, pin_tx, c);
      if (p.pout.ready.read() && p.pout.enable.read()) {
        if (row.empty()) row_first_word.push_back(c);
        row.push_back(p.pout.data.read());
        if (p.pout.last.read()) {
          rows_out.push_back(unpack_row(row, pass.mc));
          row_last_word.push_back(c);
          row.clear();
        }
      }
      wait(P / 2);
    }
    sc_core::sc_stop();
  }

  Veyeriss_pe rtl;
  RtlPePins p;
  PinSender<uint32_t> iact_tx, w_tx;
  PinSender<uint64_t> pin_tx;
  PinReceiver<uint64_t> pout_rx;
  Pass pass;
  std::deque<Item> iacts, weights, psums_in;
  Cycle limit_ = 2000;
};

}  // namespace eyeriss::rtltest
