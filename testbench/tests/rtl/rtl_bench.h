// A pin-level testbench for the verilated PE (pe/rtl/eyeriss_pe.sv): configure one pass, put
// packets on its input links at chosen cycles, pull its psum rows with a chosen ready, and
// record what it did each cycle. Packets are built with the model's link formats
// (noc/link_format.h), so the bench speaks exactly what the chip's links carry.
#pragma once
#include <gtest/gtest.h>

#include <deque>
#include <systemc>
#include <vector>

#include "Veyeriss_pe.h"
#include "models/common/csc.h"
#include "noc/link_format.h"
#include "noc/pin_link.h"

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
      : sc_module(n),
        rtl("rtl"),
        iact("iact"),
        w("w"),
        pin("pin"),
        pout("pout"),
        iact_tx(iact),
        w_tx(w),
        pin_tx(pin),
        pout_rx(pout) {
    rtl.clk(clk);
    rtl.rst_n(rst_n);
    rtl.cfg_valid(cfg_valid);
    rtl.cfg_ready(cfg_ready);
    rtl.cfg_dense(cfg_dense);
    rtl.cfg_signed(cfg_signed);
    rtl.rcfg_valid(rcfg_valid);
    rtl.rcfg_ready(rcfg_ready);
    rtl.rcfg_bypass(rcfg_bypass);
    rtl.rcfg_psum_in(rcfg_psum_in);
    rtl.rcfg_mc(rcfg_mc);
    rtl.rcfg_rows(rcfg_rows);
    rtl.cfg_mc(cfg_mc);
    rtl.cfg_cc(cfg_cc);
    rtl.cfg_s(cfg_s);
    rtl.cfg_u(cfg_u);
    rtl.cfg_ws(cfg_ws);
    rtl.cfg_cut_rows(cfg_cut_rows);
    rtl.cfg_wpc(cfg_wpc);
    rtl.cfg_segments(cfg_segments);
    rtl.cfg_rows(cfg_rows);
    rtl.iact_data(iact.data);
    rtl.iact_enable(iact.enable);
    rtl.iact_last(iact.last);
    rtl.iact_len(iact.len);
    rtl.iact_ready(iact.ready);
    rtl.w_data(w.data);
    rtl.w_enable(w.enable);
    rtl.w_last(w.last);
    rtl.w_len(w.len);
    rtl.w_ready(w.ready);
    rtl.pin_data(pin.data);
    rtl.pin_enable(pin.enable);
    rtl.pin_last(pin.last);
    rtl.pin_ready(pin.ready);
    rtl.pout_data(pout.data);
    rtl.pout_enable(pout.enable);
    rtl.pout_last(pout.last);
    rtl.pout_ready(pout.ready);
    rtl.pos_done(pos_done);
    rtl.pos_cycles(pos_cycles);
    rtl.cycle(cycle);
    rtl.mac_issue(mac_issue);
    rtl.busy(busy);
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
    if (first) tx.accepted(c, c + q.front().words.words());
    if (tx.advance()) q.pop_front();
    return first;
  }
  void run() {
    rst_n.write(false);
    wait(sc_core::SC_ZERO_TIME);
    wait(sc_core::SC_ZERO_TIME);
    rst_n.write(true);
    const sc_core::sc_time P(10, sc_core::SC_NS);
    bool configured = false, row_configured = false;
    std::vector<uint64_t> row;
    for (Cycle c = 0; c < limit_; ++c) {
      clk.write(true);
      wait(sc_core::SC_ZERO_TIME);
      wait(sc_core::SC_ZERO_TIME);
      if (pos_done.read()) positions.push_back({c, pos_cycles.read()});
      if (static_cast<int>(rows_out.size()) == pass.positions) {
        finished = c;
        break;
      }
      wait(P / 2);
      clk.write(false);
      cfg_valid.write(!configured && pass.active);
      rcfg_valid.write(!row_configured);
      rcfg_bypass.write(!pass.active);
      rcfg_psum_in.write(pass.psum_in);
      rcfg_mc.write(pass.mc);
      rcfg_rows.write(pass.positions);
      cfg_dense.write(pass.dense);
      cfg_signed.write(pass.is_signed);
      cfg_mc.write(pass.mc);
      cfg_cc.write(pass.cc);
      cfg_s.write(pass.S);
      cfg_u.write(pass.U);
      cfg_ws.write(pass.ws());
      cfg_cut_rows.write((pass.S - (pass.ws() - 1) * pass.U) * pass.cc);
      cfg_wpc.write((pass.mc + 1) / 2);
      cfg_segments.write(pass.segments());
      cfg_rows.write(pass.positions);
      if (configured || !pass.active) {
        offer(weights, w_tx, c);
        offer(iacts, iact_tx, c);
        offer(psums_in, pin_tx, c);
      }
      pout.ready.write(c >= pout_ready_from);
      wait(sc_core::SC_ZERO_TIME);
      wait(sc_core::SC_ZERO_TIME);
      if (mac_issue.read()) issue_cycles.push_back(c);
      if (!configured && pass.active && cfg_ready.read()) configured = true;
      if (!row_configured && rcfg_ready.read()) row_configured = true;
      settle(weights, w_tx, c);
      if (settle(iacts, iact_tx, c)) accepted.push_back(c);
      settle(psums_in, pin_tx, c);
      if (pout.ready.read() && pout.enable.read()) {
        if (row.empty()) row_first_word.push_back(c);
        row.push_back(pout.data.read());
        if (pout.last.read()) {
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
  sc_core::sc_signal<bool> clk, rst_n, cfg_valid, cfg_ready, cfg_dense, cfg_signed, rcfg_valid,
      rcfg_ready, rcfg_bypass, rcfg_psum_in, pos_done, mac_issue, busy;
  sc_core::sc_signal<uint32_t> cfg_mc, cfg_cc, cfg_s, cfg_u, cfg_ws, cfg_cut_rows, cfg_wpc,
      cfg_segments, cfg_rows, rcfg_mc, rcfg_rows, pos_cycles, cycle;
  LinkPins<uint32_t> iact, w;
  LinkPins<uint64_t> pin, pout;
  PinSender<uint32_t> iact_tx, w_tx;
  PinSender<uint64_t> pin_tx;
  PinReceiver<uint64_t> pout_rx;
  Pass pass;
  std::deque<Item> iacts, weights, psums_in;
  Cycle limit_ = 2000;
};

}  // namespace eyeriss::rtltest
