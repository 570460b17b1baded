#include "pe/rtl_pe.h"

#include <algorithm>
#include <deque>
#include <sstream>

#include "models/common/quant.h"
#include "noc/block_config.h"
#include "noc/pin_link.h"
#include "pe/rtl_check.h"
#include "pe/rtl_pe_pins.h"

namespace eyeriss {

namespace {

sc_core::sc_trace_file* g_vcd = nullptr;

struct RowCheck {
  std::size_t pass = 0;
  int f = 0;
  bool bypass = false, psum_in = false;
  int mc = 0;
  bool summed = false;       // the position's own sums are known (its end was reported)
  std::vector<int64_t> acc;  // the shadow's sums
  PacketRef expect;          // the row as it must leave
};

class RtlPe : public PeBlock {
 public:
  RtlPe(sc_core::sc_module_name name, const PeParams& p);
  bool idle() const override;
  std::string state() const override;
  const PeStats& stats() const override { return shadow_.stats(); }
  const LinkOut& out_link() const override { return out_; }

 private:
  SC_HAS_PROCESS(RtlPe);
  // TLM side.
  tlm::tlm_sync_enum iact_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                             sc_core::sc_time& d) override;
  tlm::tlm_sync_enum weight_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                               sc_core::sc_time& d) override;
  tlm::tlm_sync_enum psum_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                             sc_core::sc_time& d) override;
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) override;
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;
  void end_of_elaboration() override;
  void woken(Cycle) {}  // requests are polled every cycle while the PE works
  // Nothing can change without new input: the clock stops (an idle RTL PE costs nothing) until
  // a request, the layer's program or its start edge wakes it.
  bool quiet() const;
  Cycle next_wake() const;  // the earliest edge a request or the layer's start is due
  void wake_at(Cycle edge) {
    work_.notify(ClockDomain::until_edge(std::max(edge, ClockDomain::next_edge())));
  }

  // Pin side, once per cycle: the edge (registered outputs), the decision phase (drive the
  // inputs), then the handshakes once the RTL settled.
  void clock_thread();
  void on_edge(Cycle c);
  void drive(Cycle c);
  void settle(Cycle c);
  void capture_pout();

  bool addressed(DataType type, const PacketTag& t) const;
  // The pass the RTL's MAC side runs, while it runs (its weights and iacts go to the pins).
  const PePass* mac_pass() const { return mac_active_ ? &(*prog_)[mac_] : nullptr; }
  bool for_mac(const PacketTag& t) const {
    const PePass* p = mac_pass();
    return p && t.step == p->step;
  }
  std::size_t next_active(std::size_t from) const;
  std::size_t next_with_rows(std::size_t from) const;
  void apply_config(const PePass& p);
  void apply_row_config(const PePass& p);
  void diverged_data(const struct RowCheck& r, std::size_t word, uint64_t rtl, uint64_t model);
  std::string where(std::size_t pass, int f) const;

  PeParams p_;
  PeCore shadow_;  // the C++ PE model on the same inputs
  DecisionPhase dp_;
  std::vector<LinkIn> iact_links_;
  LinkIn weight_link_, psum_link_;
  LinkOut out_;

  // The verilated PE and its pins.
  Veyeriss_pe rtl_;
  RtlPePins pins_;
  PinSender<uint32_t> iact_tx_, w_tx_;
  PinSender<uint64_t> pin_tx_;
  PinReceiver<uint64_t> pout_rx_;
  LinkIn* iact_from_ = nullptr;              // the bus whose segment is on the iact pins
  PacketRef w_hold_, iact_hold_, pin_hold_;  // packets whose words are on the pins
  sc_core::sc_event work_;

  // The layer's passes. MAC side: mac_ loaded last, mac_next_ the next active pass to load.
  // Row side: row_next_ the next pass with psum rows to hand to the RTL's pass queue.
  const std::vector<PePass>* prog_ = nullptr;
  bool signed_iacts_ = false;
  Cycle start_ = 0;
  std::size_t mac_ = 0, mac_next_ = 0, row_next_ = 0;
  // The MAC side runs mac_: from its configuration until the RTL is ready for the next one
  // (transactor state, not the pin: requests arrive at edges, before the RTL re-evaluates).
  bool mac_active_ = false;
  bool moved_ = false;
  Cycle driven_ = kNever;  // the last cycle whose decision phase drove the pins  // anything moved
                           // on the pins in the last cycle, or a new offer came
  bool weights_in_ = false;
  int segs_in_ = 0;
  // Every row the RTL will send, in order: made by a position (its sums from the shadow) or
  // by a bypass pass; its expected psums once known.
  std::deque<RowCheck> rows_;
  uint64_t rows_front_seq_ = 0, rows_end_seq_ = 0;  // sequence numbers of rows_ [front, end)
  std::vector<uint64_t> first_row_;                 // per pass: sequence number of its row 0
  uint64_t in_seq_ = 0;                             // the next row that takes psums from below
  int pos_seen_ = 0;                                // positions of the MAC pass reported
  bool row_on_link_ = false;
  bool pulling_ = false;  // the receiver took the row: its words are moving
  std::size_t out_word_ = 0;
  std::vector<int32_t> in_psums_, out_psums_;
};

RtlPe::RtlPe(sc_core::sc_module_name name, const PeParams& p)
    : PeBlock(name),
      p_(p),
      shadow_(p),
      rtl_("rtl"),
      iact_tx_(pins_.iact),
      w_tx_(pins_.w),
      pin_tx_(pins_.pin),
      pout_rx_(pins_.pout) {
  dp_.init(this, &RtlPe::woken, "woken");
  out_.init(std::string(this->name()) + ".psum_out", p.psum_link_bits, this, DataType::Psum);
  pins_.bind(rtl_);
  if (g_vcd) pins_.trace(g_vcd, this->name());
  SC_THREAD(clock_thread);
}

void RtlPe::end_of_elaboration() {
  iact_links_.resize(iact_in.size());
  out_.add_target(psum_out.operator->());
}

std::size_t RtlPe::next_active(std::size_t from) const {
  while (from < prog_->size() && !(*prog_)[from].cfg.active) ++from;
  return from;
}

std::size_t RtlPe::next_with_rows(std::size_t from) const {
  while (from < prog_->size()) {
    const PePass& p = (*prog_)[from];
    if (p.cfg.active || (p.psum_in && p.rows > 0)) break;
    ++from;
  }
  return from;
}

bool RtlPe::idle() const {
  return !prog_ || (mac_next_ >= prog_->size() && row_next_ >= prog_->size() && rows_.empty() &&
                    out_.drained());
}

Cycle RtlPe::next_wake() const {
  if (idle()) return kNever;
  // Passes to load once the RTL can take them, from the layer's start on; requests not yet
  // shown to the RTL (those it was shown and refused wait for new input).
  const Cycle soon = std::max(start_, driven_ == kNever ? 0 : driven_ + 1);
  Cycle w = kNever;
  if ((mac_next_ < prog_->size() && pins_.cfg_ready.read()) ||
      (row_next_ < prog_->size() && pins_.rcfg_ready.read()))
    w = soon;
  auto at = [&](const LinkIn& in) {
    if (in.pending()) {
      const Cycle a = in.packet().at;
      if (a > driven_ || driven_ == kNever) w = std::min(w, a);
    }
  };
  at(weight_link_);
  at(psum_link_);
  for (const LinkIn& in : iact_links_) at(in);
  return w;
}

bool RtlPe::quiet() const {
  if (idle()) return true;
  // (A row offered and not yet taken waits for the receiver: on_sent wakes us.)
  if (pins_.busy.read() || (pins_.pout.enable.read() && !row_on_link_) || pulling_ ||
      iact_tx_.busy() || w_tx_.busy() || pin_tx_.busy() || moved_)
    return false;
  const Cycle w = next_wake();
  return w == kNever || w > ClockDomain::next_edge();
}

std::string RtlPe::state() const {
  std::ostringstream o;
  o << name() << " (RTL): MAC pass " << mac_ << (pins_.cfg_ready.read() ? " done" : " running")
    << ", next " << mac_next_ << "/" << (prog_ ? prog_->size() : 0) << ", weights "
    << (weights_in_ ? "in" : "not in") << ", segments " << segs_in_ << ", positions " << pos_seen_
    << "; rows to send " << rows_.size() << ", next row pass " << row_next_;
  return o.str();
}

std::string RtlPe::where(std::size_t pass, int f) const {
  return std::string(name()) + " pass " + std::to_string(pass) + " position " + std::to_string(f);
}

void RtlPe::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& prog = accept_program(gp, start, signed_iacts_);
  prog_ = &prog;
  start_ = start;
  mac_ = prog.size();
  mac_active_ = false;
  mac_next_ = next_active(0);
  row_next_ = next_with_rows(0);
  rows_.clear();
  rows_front_seq_ = rows_end_seq_ = in_seq_ = 0;
  first_row_.assign(prog.size(), 0);
  if (!idle()) wake_at(start);
}

bool RtlPe::addressed(DataType type, const PacketTag& t) const {
  const std::size_t from = mac_pass() ? mac_ : mac_next_;
  return matches(pass_for_step(prog_, from, t.step), type, t);
}

tlm::tlm_sync_enum RtlPe::iact_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                  sc_core::sc_time& d) {
  if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
  if (!addressed(DataType::Iact, packet_of(gp).tag)) return not_addressed(gp);
  wake_at(packet_of(gp).at);
  return iact_links_[id].request(gp, d, iact_in[id], dp_);
}

tlm::tlm_sync_enum RtlPe::weight_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                    sc_core::sc_time& d) {
  if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
  if (!addressed(DataType::Weight, packet_of(gp).tag)) return not_addressed(gp);
  wake_at(packet_of(gp).at);
  return weight_link_.request(gp, d, weight_in.operator->(), dp_);
}

tlm::tlm_sync_enum RtlPe::psum_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                  sc_core::sc_time& d) {
  if (ph == tlm::BEGIN_REQ) wake_at(packet_of(gp).at);
  return psum_link_.forward(gp, ph, d, psum_in.operator->(), dp_);
}

// The receiver took the row: the transactor pulls its words from the RTL during the transfer.
void RtlPe::on_sent(LinkOut&, uint64_t, Cycle start, Cycle end, bool) {
  pout_rx_.pull(start, end);
  out_word_ = 0;
  pulling_ = true;
  // The receiver accepted in this decision phase, maybe after this PE drove its pins (an RTL
  // receiver accepts late in the phase, and this PE may have been asleep): pull from now on.
  pout_rx_.drive(start);
  work_.notify(sc_core::SC_ZERO_TIME);
}

void RtlPe::clock_thread() {
  pins_.rst_n.write(false);
  wait(sc_core::SC_ZERO_TIME);
  wait(sc_core::SC_ZERO_TIME);
  pins_.rst_n.write(true);
  for (;;) {
    while (quiet()) {
      // One event holds one pending notification: re-arm it for the earliest known edge.
      const Cycle w = next_wake();
      if (w != kNever) wake_at(w);
      wait(work_);
    }
    const Cycle c = ClockDomain::next_edge();
    wait(ClockDomain::until_edge(c));
    capture_pout();
    pins_.clk.write(true);
    wait(sc_core::SC_ZERO_TIME);  // the RTL evaluates the edge
    wait(sc_core::SC_ZERO_TIME);  // its outputs are visible
    on_edge(c);
    wait(ClockDomain::until_decision(c));
    wait(sc_core::SC_ZERO_TIME);  // after every block's decision of cycle c
    pins_.clk.write(false);
    drive(c);
    wait(sc_core::SC_ZERO_TIME);  // the RTL's combinational logic sees the inputs
    wait(sc_core::SC_ZERO_TIME);  // its ready outputs are visible
    settle(c);
  }
}

// A row's expected psums: its own sums (when it has any) plus those from below, wrapped.
static PacketRef psum_packet(const std::vector<int32_t>& v, const PeParams& p) {
  PacketRef d = PacketRef::make();
  d->type = DataType::Psum;
  d->format = PacketData::Format::Psums;
  d->entries = static_cast<int>(v.size());
  d->words.reset(p.psum_link_bits);
  pack_psums(v.data(), v.size(), p.psum_bits, d->words);
  return d;
}

void RtlPe::on_edge(Cycle c) {
  if (mac_active_ && pins_.cfg_ready.read()) mac_active_ = false;  // its last position is done
  if (pins_.pos_done.read()) {  // a position of the MAC pass ended at this edge: the shadow's turn
    const int f = pos_seen_++;
    RowCheck& row = rows_[first_row_[mac_] + f - rows_front_seq_];
    const PositionWork w = shadow_.compute_next(row.acc);
    row.summed = true;
    const Cycle rtl = pins_.pos_cycles.read();
    RtlCheck& chk = RtlCheck::get();
    ++chk.positions;
    if (rtl != w.cycles() && chk.cycle_divergences++ == 0)
      chk.first_cycle_divergence = where(mac_, f) + ": RTL " + std::to_string(rtl) +
                                   " cycles, C++ PE model " + std::to_string(w.cycles());
    PeStats& st = shadow_.stats();
    st.first_start = std::min(st.first_start, c - rtl);
    st.last_done = std::max(st.last_done, c);
    if (!row.psum_in) {
      out_psums_.resize(row.mc);
      for (int m = 0; m < row.mc; ++m) out_psums_[m] = wrap_psum(row.acc[m], p_.psum_bits);
      row.expect = psum_packet(out_psums_, p_);
    }
  }
  // The RTL offers its oldest row: the TLM packet goes out at this edge, its payload the
  // shadow's row, checked word for word against the RTL's pins as they move.
  if (pins_.pout.enable.read() && !row_on_link_) {
    if (rows_.empty() || !rows_.front().expect)
      SC_REPORT_FATAL("eyeriss/rtl", (std::string(name()) + ": the RTL offers a psum row the C++ "
                                                            "PE model has not finished")
                                         .c_str());
    const RowCheck& r = rows_.front();
    const PePass& pass = (*prog_)[r.pass];
    row_on_link_ = true;
    out_.send(r.expect, PacketTag::psum(pass.step, pass.row, r.f), c, c, rows_front_seq_);
  }
}

void RtlPe::apply_config(const PePass& p) {
  const PePassConfig& k = p.cfg;
  pins_.cfg_dense.write(!(p_.sparse && k.sparse));
  pins_.cfg_signed.write(signed_iacts_);
  pins_.cfg_mc.write(k.mc);
  pins_.cfg_cc.write(k.cc);
  pins_.cfg_s.write(k.S);
  pins_.cfg_u.write(k.U);
  const int ws = k.window_segs();
  pins_.cfg_ws.write(ws);
  pins_.cfg_cut_rows.write((k.S - (ws - 1) * k.U) * k.cc);
  pins_.cfg_wpc.write((k.mc + p_.simd - 1) / p_.simd);
  pins_.cfg_segments.write(k.segments());
  pins_.cfg_rows.write(k.positions);
}

void RtlPe::apply_row_config(const PePass& p) {
  pins_.rcfg_bypass.write(!p.cfg.active);
  pins_.rcfg_psum_in.write(p.psum_in && p.rows > 0);
  pins_.rcfg_mc.write(p.cfg.active ? p.cfg.mc : p.row.mc);
  pins_.rcfg_rows.write(p.cfg.active ? p.cfg.positions : p.rows);
}

void RtlPe::drive(Cycle c) {
  driven_ = c;
  // Configuration, from the layer's start on: the next active pass once the MAC side is free;
  // every pass with rows into the row side's queue while it has room.
  const bool load = c >= start_ && mac_next_ < prog_->size() && pins_.cfg_ready.read();
  if (load) apply_config((*prog_)[mac_next_]);
  pins_.cfg_valid.write(load);
  const bool row_load = c >= start_ && row_next_ < prog_->size() && pins_.rcfg_ready.read();
  if (row_load) apply_row_config((*prog_)[row_next_]);
  pins_.rcfg_valid.write(row_load);
  // Weights: the block of the MAC pass.
  if (!w_tx_.busy() && !weights_in_ && weight_link_.offered(c) &&
      for_mac(weight_link_.packet().tag)) {
    const PacketData& d = *weight_link_.packet().data;
    if (d.words.words() > 1 || weight_link_.packet().tail <= c + 1)
      w_tx_.offer(d.words, d.format == PacketData::Format::Csc ? d.words_in_spad : d.entries);
  }
  w_tx_.drive(c);
  // Iacts: the next segment of the MAC pass's stream, from whichever bus carries it.
  if (!iact_tx_.busy())
    for (LinkIn& in : iact_links_) {
      if (!in.offered(c) || !for_mac(in.packet().tag)) continue;
      // Segments go in order; a later one (on another bus) waits for the one due.
      if (in.packet().tag.seg != segs_in_) continue;
      const PacketData& d = *in.packet().data;
      if (d.words.words() > 1 || in.packet().tail <= c + 1) {
        iact_tx_.offer(d.words, d.entries);
        iact_from_ = &in;
      }
      break;
    }
  iact_tx_.drive(c);
  // Psum rows from below, in order: the next row that takes them must already be known.
  if (!pin_tx_.busy() && psum_link_.offered(c) && in_seq_ < rows_end_seq_) {
    const RowCheck& r = rows_[in_seq_ - rows_front_seq_];
    const PacketData& d = *psum_link_.packet().data;
    if (psum_link_.packet().tag.step == (*prog_)[r.pass].step &&
        (d.words.words() > 1 || psum_link_.packet().tail <= c + 1))
      pin_tx_.offer(d.words, d.entries);
  }
  pin_tx_.drive(c);
  pout_rx_.drive(c);
}

void RtlPe::settle(Cycle c) {
  moved_ = w_tx_.moved() || iact_tx_.moved() || pin_tx_.moved() || pins_.pos_done.read() ||
           (pins_.cfg_valid.read() && pins_.cfg_ready.read()) ||
           (pins_.rcfg_valid.read() && pins_.rcfg_ready.read());
  if (pins_.cfg_valid.read() &&
      pins_.cfg_ready.read()) {  // the MAC side takes the pass at the next edge
    mac_ = mac_next_;
    mac_active_ = true;
    mac_next_ = next_active(mac_next_ + 1);
    PePassConfig cfg = (*prog_)[mac_].cfg;
    cfg.where = name();
    shadow_.configure(cfg);
    weights_in_ = false;
    segs_in_ = 0;
    pos_seen_ = 0;
  }
  if (pins_.rcfg_valid.read() && pins_.rcfg_ready.read()) {  // the row side queues the pass
    const std::size_t k = row_next_;
    row_next_ = next_with_rows(row_next_ + 1);
    const PePass& p = (*prog_)[k];
    first_row_[k] = rows_end_seq_;
    const int n = p.cfg.active ? p.cfg.positions : p.rows;
    if (p.cfg.active && p.rows != 0 && p.rows != p.cfg.positions)
      SC_REPORT_FATAL("eyeriss/rtl", (where(k, 0) + ": rows differ from positions").c_str());
    for (int f = 0; f < n; ++f) {
      RowCheck r;
      r.pass = k;
      r.f = f;
      r.bypass = !p.cfg.active;
      r.psum_in = r.bypass || (p.psum_in && p.rows > 0);
      r.mc = p.cfg.active ? p.cfg.mc : p.row.mc;
      rows_.push_back(std::move(r));
    }
    rows_end_seq_ += n;
    while (in_seq_ < rows_end_seq_ && !rows_[in_seq_ - rows_front_seq_].psum_in) ++in_seq_;
  }
  // A packet's first word moving is the TLM acceptance (BEGIN_RESP); the shadow gets the same
  // data. A packet the RTL did not take is offered again next cycle.
  auto handshake = [&](auto& tx, LinkIn& in, PacketRef& hold, auto on_accept) {
    if (!tx.busy()) return;
    if (!tx.moved()) {
      if (!tx.started()) tx.cancel();
      return;
    }
    if (!tx.started()) {
      const Cycle words = in.packet().data->words.words();
      const Received r = in.accept(c);
      if (r.end < c + words)
        SC_REPORT_FATAL("eyeriss/rtl", (std::string(name()) + ": a transfer shorter than its "
                                                              "words")
                                           .c_str());
      tx.accepted(r.end);
      hold = r.data;  // the words stay ours until the last one moved
      on_accept(r);
    }
    if (tx.advance()) hold = PacketRef();
  };
  handshake(w_tx_, weight_link_, w_hold_, [&](const Received& r) {
    weights_in_ = true;
    write_weights(shadow_, *r.data);
  });
  if (iact_from_) {
    handshake(iact_tx_, *iact_from_, iact_hold_, [&](const Received& r) {
      write_iact_segment(shadow_, *r.data, signed_iacts_);
      ++segs_in_;
    });
    if (!iact_tx_.busy()) iact_from_ = nullptr;
  }
  handshake(pin_tx_, psum_link_, pin_hold_, [&](const Received& r) {
    RowCheck& row = rows_[in_seq_ - rows_front_seq_];
    do ++in_seq_;
    while (in_seq_ < rows_end_seq_ && !rows_[in_seq_ - rows_front_seq_].psum_in);
    if (row.bypass) {  // the row as it came
      row.expect = r.data;
      return;
    }
    if (!row.summed)
      SC_REPORT_FATAL("eyeriss/rtl", (where(row.pass, row.f) + ": the RTL takes psums for a "
                                                               "position not yet done")
                                         .c_str());
    unpack_psums(r.data->words, r.data->entries, p_.psum_bits, in_psums_);
    shadow_.count_psum_add(row.mc);
    out_psums_.resize(row.mc);
    for (int m = 0; m < row.mc; ++m)
      out_psums_[m] = wrap_psum(row.acc[m] + in_psums_[m], p_.psum_bits);
    row.expect = psum_packet(out_psums_, p_);
  });
}

// Just before edge c+1: a word of the row on the link moves now if the RTL shows it (enable)
// and the transactor pulls it (ready); every word is compared with the shadow's. (Sampled here,
// not in the decision phase: an RTL receiver accepts the row late in the decision phase.)
void RtlPe::capture_pout() {
  if (!pout_rx_.moved()) return;
  moved_ = true;
  const RowCheck& row = rows_.front();
  const LinkWords& w = row.expect->words;
  const uint64_t want = out_word_ < w.words() ? w.data()[out_word_] : ~uint64_t(0);
  const uint64_t got = pout_rx_.word() & ((uint64_t(1) << p_.psum_link_bits) - 1);
  if (got != want) diverged_data(row, out_word_, got, want);
  ++out_word_;
  if (!pout_rx_.last()) return;
  if (out_word_ != w.words()) diverged_data(row, out_word_, got, want);
  ++RtlCheck::get().rows;
  row_on_link_ = false;
  pulling_ = false;
  if (row.bypass)
    shadow_.stats().psum_out_bits += uint64_t(row.mc) * p_.psum_bits;
  else
    shadow_.count_psum_send(row.mc);
  rows_.pop_front();
  ++rows_front_seq_;
}

void RtlPe::diverged_data(const RowCheck& r, std::size_t word, uint64_t rtl, uint64_t model) {
  RtlCheck& chk = RtlCheck::get();
  if (!chk.first_data_divergence.empty()) return;
  std::ostringstream o;
  o << where(r.pass, r.f) << " psum word " << word << ": RTL 0x" << std::hex << rtl
    << ", C++ PE model 0x" << model;
  chk.first_data_divergence = o.str();
}

}  // namespace

bool rtl_pe_available() { return true; }

std::unique_ptr<PeBlock> make_rtl_pe(const char* name, const PeParams& p) {
  ++RtlCheck::get().pes;
  return std::make_unique<RtlPe>(name, p);
}

void rtl_pe_trace_close() {
  if (g_vcd) sc_core::sc_close_vcd_trace_file(g_vcd);
  g_vcd = nullptr;
}

void rtl_pe_trace_to(const std::string& vcd_path) {
  if (vcd_path.empty() || g_vcd) return;
  std::string base = vcd_path;
  if (base.size() > 4 && base.substr(base.size() - 4) == ".vcd") base.resize(base.size() - 4);
  g_vcd = sc_core::sc_create_vcd_trace_file(base.c_str());
}

}  // namespace eyeriss
