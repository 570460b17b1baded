// The verilated PE's pins as SystemC signals, bound to the model once: the RTL PE in the loop
// (pe/rtl_pe.cpp) and the pin-level tests (testbench/tests/rtl) share them.
#pragma once
#include <string>
#include <systemc>

#include "Veyeriss_pe.h"
#include "noc/pin_link.h"

namespace eyeriss {

struct RtlPePins {
  sc_core::sc_signal<bool> clk, rst_n, cfg_valid, cfg_ready, cfg_dense, cfg_signed, rcfg_valid,
      rcfg_ready, rcfg_bypass, rcfg_psum_in, pos_done, mac_issue, busy;
  sc_core::sc_signal<uint32_t> cfg_mc, cfg_cc, cfg_s, cfg_u, cfg_ws, cfg_cut_rows, cfg_wpc,
      cfg_segments, cfg_rows, rcfg_mc, rcfg_rows, pos_cycles, cycle;
  LinkPins<uint32_t> iact{"iact"}, w{"w"};
  LinkPins<uint64_t> pin{"pin"}, pout{"pout"};

  void bind(Veyeriss_pe& r) {
    r.clk(clk);
    r.rst_n(rst_n);
    r.cfg_valid(cfg_valid);
    r.cfg_ready(cfg_ready);
    r.cfg_dense(cfg_dense);
    r.cfg_signed(cfg_signed);
    r.cfg_mc(cfg_mc);
    r.cfg_cc(cfg_cc);
    r.cfg_s(cfg_s);
    r.cfg_u(cfg_u);
    r.cfg_ws(cfg_ws);
    r.cfg_cut_rows(cfg_cut_rows);
    r.cfg_wpc(cfg_wpc);
    r.cfg_segments(cfg_segments);
    r.cfg_rows(cfg_rows);
    r.rcfg_valid(rcfg_valid);
    r.rcfg_ready(rcfg_ready);
    r.rcfg_bypass(rcfg_bypass);
    r.rcfg_psum_in(rcfg_psum_in);
    r.rcfg_mc(rcfg_mc);
    r.rcfg_rows(rcfg_rows);
    r.iact_data(iact.data);
    r.iact_enable(iact.enable);
    r.iact_last(iact.last);
    r.iact_len(iact.len);
    r.iact_ready(iact.ready);
    r.w_data(w.data);
    r.w_enable(w.enable);
    r.w_last(w.last);
    r.w_len(w.len);
    r.w_ready(w.ready);
    r.pin_data(pin.data);
    r.pin_enable(pin.enable);
    r.pin_last(pin.last);
    r.pin_ready(pin.ready);
    r.pout_data(pout.data);
    r.pout_enable(pout.enable);
    r.pout_last(pout.last);
    r.pout_ready(pout.ready);
    r.pos_done(pos_done);
    r.pos_cycles(pos_cycles);
    r.cycle(cycle);
    r.mac_issue(mac_issue);
    r.busy(busy);
  }

  // Every pin under `n` (the instance name) in a VCD file.
  void trace(sc_core::sc_trace_file* f, const std::string& n) const {
    for (const auto& [s, name] :
         {std::pair<const sc_core::sc_signal<bool>*, const char*>{&clk, "clk"},
          {&rst_n, "rst_n"},
          {&cfg_valid, "cfg_valid"},
          {&cfg_ready, "cfg_ready"},
          {&rcfg_valid, "rcfg_valid"},
          {&rcfg_ready, "rcfg_ready"},
          {&rcfg_bypass, "rcfg_bypass"},
          {&pos_done, "pos_done"},
          {&mac_issue, "mac_issue"},
          {&busy, "busy"}})
      sc_core::sc_trace(f, *s, n + "." + name);
    for (const auto& [s, name] :
         {std::pair<const sc_core::sc_signal<uint32_t>*, const char*>{&cfg_mc, "cfg_mc"},
          {&cfg_rows, "cfg_rows"},
          {&rcfg_mc, "rcfg_mc"},
          {&rcfg_rows, "rcfg_rows"},
          {&pos_cycles, "pos_cycles"},
          {&cycle, "cycle"}})
      sc_core::sc_trace(f, *s, n + "." + name);
    iact.trace(f, n + ".iact");
    w.trace(f, n + ".w");
    pin.trace(f, n + ".pin");
    pout.trace(f, n + ".pout");
  }
};

}  // namespace eyeriss
