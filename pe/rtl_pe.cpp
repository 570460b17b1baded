#include "pe/rtl_pe.h"

#include <algorithm>
#include <sstream>

#include "Veyeriss_pe.h"
#include "models/common/quant.h"
#include "noc/block_config.h"
#include "noc/pin_link.h"
#include "pe/rtl_check.h"

namespace eyeriss {

namespace {

sc_core::sc_trace_file* g_vcd = nullptr;

class RtlPe : public PeBlock {
 public:
  RtlPe(sc_core::sc_module_name name, const PeParams& p, int row, int col);
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
  void wake_at(Cycle edge) { work_.notify(ClockDomain::until_edge(std::max(edge, ClockDomain::next_edge()))); }

  // Pin side, once per cycle: the edge (registered outputs), the decision phase (drive the
  // inputs), then the handshakes once the RTL settled.
  void clock_thread();
  void on_edge(Cycle c);
  void drive(Cycle c);
  void settle(Cycle c);
  void capture_pout();

  bool addressed(DataType type, const PacketTag& t) const;
  const PePass* current() const { return cur_ < prog_->size() ? &(*prog_)[cur_] : nullptr; }
  bool step_is_current(const PacketTag& t) const {
    const PePass* p = current();
    return p && rtl_running_ && t.step == p->step;
  }
  std::size_t next_pass(std::size_t from) const;
  void apply_config(const PePass& p);
  void diverged_data(int f, std::size_t word, uint64_t rtl, uint64_t model);
  std::string where(int f) const;

  PeParams p_;
  PeCore shadow_;  // the C++ PE model on the same inputs
  int row_, col_;
  DecisionPhase dp_;
  std::vector<LinkIn> iact_links_;
  LinkIn weight_link_, psum_link_;
  LinkOut out_;

  // The verilated PE and its pins.
  Veyeriss_pe rtl_;
  sc_core::sc_signal<bool> clk_, rst_n_, cfg_valid_, cfg_ready_, cfg_active_, cfg_dense_,
      cfg_psum_in_, cfg_signed_, pos_done_;
  sc_core::sc_signal<uint32_t> cfg_mc_, cfg_cc_, cfg_s_, cfg_u_, cfg_ws_, cfg_cut_rows_, cfg_wpc_,
      cfg_segments_, cfg_rows_, pos_cycles_, cycle_;
  sc_core::sc_signal<bool> mac_issue_, busy_;
  LinkPins<uint32_t> iact_pins_, w_pins_;
  LinkPins<uint64_t> pin_pins_, pout_pins_;
  PinSender<uint32_t> iact_tx_, w_tx_;
  PinSender<uint64_t> pin_tx_;
  PinReceiver<uint64_t> pout_rx_;
  LinkIn* iact_from_ = nullptr;  // the bus whose segment is on the iact pins
  PacketRef w_hold_, iact_hold_, pin_hold_;  // packets whose words are on the pins
  sc_core::sc_event work_;

  // The layer's passes; cur_ is the pass the RTL runs (or ran last), next_ the next to load.
  const std::vector<PePass>* prog_ = nullptr;
  bool signed_iacts_ = false;
  Cycle start_ = 0;
  std::size_t cur_ = 0, next_ = 0;
  bool rtl_running_ = false;
  bool moved_ = false;
  Cycle driven_ = kNever;  // the last cycle whose decision phase drove the pins  // anything moved on the pins in the last cycle, or a new offer came
  bool weights_in_ = false;
  int segs_in_ = 0;
  // Rows of the current pass: the shadow's sums per position, the expected rows.
  std::vector<std::vector<int64_t>> acc_;
  std::vector<PacketRef> expect_;
  int pos_seen_ = 0, rows_in_ = 0, rows_offered_ = 0;
  bool row_on_link_ = false;
  std::size_t out_word_ = 0;
  std::vector<int32_t> in_psums_, out_psums_;
  std::vector<int16_t> raw_;
};

RtlPe::RtlPe(sc_core::sc_module_name name, const PeParams& p, int row, int col)
    : PeBlock(name),
      p_(p),
      shadow_(p),
      row_(row),
      col_(col),
      rtl_("rtl"),
      iact_pins_("iact"),
      w_pins_("w"),
      pin_pins_("pin"),
      pout_pins_("pout"),
      iact_tx_(iact_pins_),
      w_tx_(w_pins_),
      pin_tx_(pin_pins_),
      pout_rx_(pout_pins_) {
  dp_.init(this, &RtlPe::woken, "woken");
  out_.init(std::string(this->name()) + ".psum_out", p.psum_link_bits, this, DataType::Psum);
  rtl_.clk(clk_);
  rtl_.rst_n(rst_n_);
  rtl_.cfg_valid(cfg_valid_);
  rtl_.cfg_ready(cfg_ready_);
  rtl_.cfg_active(cfg_active_);
  rtl_.cfg_dense(cfg_dense_);
  rtl_.cfg_psum_in(cfg_psum_in_);
  rtl_.cfg_signed(cfg_signed_);
  rtl_.cfg_mc(cfg_mc_);
  rtl_.cfg_cc(cfg_cc_);
  rtl_.cfg_s(cfg_s_);
  rtl_.cfg_u(cfg_u_);
  rtl_.cfg_ws(cfg_ws_);
  rtl_.cfg_cut_rows(cfg_cut_rows_);
  rtl_.cfg_wpc(cfg_wpc_);
  rtl_.cfg_segments(cfg_segments_);
  rtl_.cfg_rows(cfg_rows_);
  rtl_.iact_data(iact_pins_.data);
  rtl_.iact_enable(iact_pins_.enable);
  rtl_.iact_last(iact_pins_.last);
  rtl_.iact_len(iact_pins_.len);
  rtl_.iact_ready(iact_pins_.ready);
  rtl_.w_data(w_pins_.data);
  rtl_.w_enable(w_pins_.enable);
  rtl_.w_last(w_pins_.last);
  rtl_.w_len(w_pins_.len);
  rtl_.w_ready(w_pins_.ready);
  rtl_.pin_data(pin_pins_.data);
  rtl_.pin_enable(pin_pins_.enable);
  rtl_.pin_last(pin_pins_.last);
  rtl_.pin_ready(pin_pins_.ready);
  rtl_.pout_data(pout_pins_.data);
  rtl_.pout_enable(pout_pins_.enable);
  rtl_.pout_last(pout_pins_.last);
  rtl_.pout_ready(pout_pins_.ready);
  rtl_.pos_done(pos_done_);
  rtl_.pos_cycles(pos_cycles_);
  rtl_.cycle(cycle_);
  rtl_.mac_issue(mac_issue_);
  rtl_.busy(busy_);
  if (g_vcd) {
    const std::string n = this->name();
    sc_core::sc_trace(g_vcd, clk_, n + ".clk");
    sc_core::sc_trace(g_vcd, rst_n_, n + ".rst_n");
    sc_core::sc_trace(g_vcd, cfg_valid_, n + ".cfg_valid");
    sc_core::sc_trace(g_vcd, cfg_ready_, n + ".cfg_ready");
    sc_core::sc_trace(g_vcd, cfg_active_, n + ".cfg_active");
    sc_core::sc_trace(g_vcd, cfg_mc_, n + ".cfg_mc");
    sc_core::sc_trace(g_vcd, cfg_rows_, n + ".cfg_rows");
    iact_pins_.trace(g_vcd, n + ".iact");
    w_pins_.trace(g_vcd, n + ".w");
    pin_pins_.trace(g_vcd, n + ".pin");
    pout_pins_.trace(g_vcd, n + ".pout");
    sc_core::sc_trace(g_vcd, pos_done_, n + ".pos_done");
    sc_core::sc_trace(g_vcd, pos_cycles_, n + ".pos_cycles");
    sc_core::sc_trace(g_vcd, cycle_, n + ".cycle");
    sc_core::sc_trace(g_vcd, mac_issue_, n + ".mac_issue");
    sc_core::sc_trace(g_vcd, busy_, n + ".busy");
  }
  SC_THREAD(clock_thread);
}

void RtlPe::end_of_elaboration() {
  iact_links_.resize(iact_in.size());
  out_.add_target(psum_out.operator->());
}

std::size_t RtlPe::next_pass(std::size_t from) const {
  while (from < prog_->size()) {
    const PePass& p = (*prog_)[from];
    if (p.cfg.active || (p.psum_in && p.rows > 0)) break;
    ++from;
  }
  return from;
}

bool RtlPe::idle() const {
  return !prog_ || (next_ >= prog_->size() && !rtl_running_ && out_.drained());
}

Cycle RtlPe::next_wake() const {
  if (idle()) return kNever;
  // A pass to load from the layer's start on; requests not yet shown to the RTL (those it was
  // shown and refused wait for new input).
  Cycle w = !rtl_running_ && next_ < prog_->size() ? std::max(start_, driven_ + 1) : kNever;
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
  if (busy_.read() || row_on_link_ || iact_tx_.busy() || w_tx_.busy() || pin_tx_.busy() ||
      moved_)
    return false;
  const Cycle w = next_wake();
  return w == kNever || w > ClockDomain::next_edge();
}

std::string RtlPe::state() const {
  std::ostringstream o;
  o << name() << " (RTL): pass " << cur_ << "/" << (prog_ ? prog_->size() : 0)
    << (rtl_running_ ? " running" : " idle") << ", weights " << (weights_in_ ? "in" : "not in")
    << ", segments " << segs_in_ << ", positions " << pos_seen_ << ", rows in " << rows_in_
    << ", rows offered " << rows_offered_;
  return o.str();
}

std::string RtlPe::where(int f) const {
  return std::string(name()) + " pass " + std::to_string(cur_) + " position " + std::to_string(f);
}

void RtlPe::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& prog = program_of<std::vector<PePass>>(gp, start);
  if (!idle())
    SC_REPORT_FATAL("eyeriss/pe", (state() + ": configured for a new layer while busy").c_str());
  signed_iacts_ = gp.get_extension<BlockConfig>()->signed_iacts;
  prog_ = &prog;
  start_ = start;
  next_ = next_pass(0);
  cur_ = next_;
  rtl_running_ = false;
  enter_ids(prog, gp.get_extension<BlockConfig>()->layer);
  if (next_ < prog.size()) wake_at(start);
}

bool RtlPe::addressed(DataType type, const PacketTag& t) const {
  return matches(pass_for_step(prog_, cur_, t.step), type, t);
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
  // An RTL receiver accepts after this PE drove its pins for the cycle: pull from now on.
  if (driven_ == start) pout_rx_.drive(start);
}

void RtlPe::clock_thread() {
  rst_n_.write(false);
  wait(sc_core::SC_ZERO_TIME);
  wait(sc_core::SC_ZERO_TIME);
  rst_n_.write(true);
  for (;;) {
    while (quiet()) {
      // One event holds one pending notification: re-arm it for the earliest known edge.
      const Cycle w = next_wake();
      if (w != kNever) wake_at(w);
      wait(work_);
    }
    const Cycle c = ClockDomain::next_edge();
    wait(ClockDomain::until_edge(c));
    if (driven_ + 1 == c) capture_pout();
    clk_.write(true);
    wait(sc_core::SC_ZERO_TIME);  // the RTL evaluates the edge
    wait(sc_core::SC_ZERO_TIME);  // its outputs are visible
    on_edge(c);
    wait(ClockDomain::until_decision(c));
    wait(sc_core::SC_ZERO_TIME);  // after every block's decision of cycle c
    clk_.write(false);
    drive(c);
    wait(sc_core::SC_ZERO_TIME);  // the RTL's combinational logic sees the inputs
    wait(sc_core::SC_ZERO_TIME);  // its ready outputs are visible
    settle(c);
  }
}

void RtlPe::on_edge(Cycle c) {
  if (!rtl_running_) return;
  const PePass& pass = *current();
  if (pos_done_.read()) {  // a position ended at this edge: compare with the shadow
    const int f = pos_seen_++;
    std::vector<int64_t>& acc = acc_[f];
    const PositionWork w = shadow_.compute_next(acc);
    const Cycle rtl = pos_cycles_.read();
    RtlCheck& chk = RtlCheck::get();
    ++chk.positions;
    if (rtl != w.cycles()) {
      if (chk.cycle_divergences++ == 0)
        chk.first_cycle_divergence = where(f) + ": RTL " + std::to_string(rtl) +
                                     " cycles, C++ PE model " + std::to_string(w.cycles());
    }
    PeStats& st = shadow_.stats();
    st.first_start = std::min(st.first_start, c - rtl);
    st.last_done = std::max(st.last_done, c);
    if (!pass.psum_in || pass.rows == 0) {  // the row is final: its own sums
      out_psums_.resize(pass.cfg.mc);
      for (int m = 0; m < pass.cfg.mc; ++m) out_psums_[m] = wrap_psum(acc[m], p_.psum_bits);
      PacketRef d = PacketRef::make();
      d->type = DataType::Psum;
      d->format = PacketData::Format::Psums;
      d->entries = pass.cfg.mc;
      d->words.reset(p_.psum_link_bits);
      pack_psums(out_psums_.data(), out_psums_.size(), p_.psum_bits, d->words);
      expect_[f] = d;
    }
  }
  // The RTL offers its next row: the TLM packet goes out at this edge, its payload the
  // shadow's row, checked word for word against the RTL's pins as they move.
  if (pout_pins_.enable.read() && !row_on_link_) {
    const int f = rows_offered_;
    if (f >= static_cast<int>(expect_.size()) || !expect_[f]) {
      diverged_data(f, 0, pout_pins_.data.read(), 0);
      SC_REPORT_FATAL("eyeriss/rtl", (where(f) + ": the RTL offers a row the C++ PE model has "
                                                 "not finished")
                                         .c_str());
    }
    row_on_link_ = true;
    ++rows_offered_;
    out_.send(expect_[f], PacketTag::psum(pass.step, pass.row, f), c, c, f);
  }
}

void RtlPe::apply_config(const PePass& p) {
  const PePassConfig& k = p.cfg;
  const int mc = k.active ? k.mc : p.row.mc;
  cfg_active_.write(k.active);
  cfg_dense_.write(!p_.sparse);
  cfg_psum_in_.write(p.psum_in && p.rows > 0);
  cfg_signed_.write(signed_iacts_);
  cfg_mc_.write(mc);
  cfg_cc_.write(k.active ? k.cc : 0);
  cfg_s_.write(k.active ? k.S : 0);
  cfg_u_.write(k.active ? k.U : 0);
  const int ws = k.active ? k.window_segs() : 0;
  cfg_ws_.write(ws);
  cfg_cut_rows_.write(k.active ? (k.S - (ws - 1) * k.U) * k.cc : 0);
  cfg_wpc_.write((mc + p_.simd - 1) / p_.simd);
  cfg_segments_.write(k.active ? k.segments() : 0);
  cfg_rows_.write(k.active ? k.positions : p.rows);
}

void RtlPe::drive(Cycle c) {
  driven_ = c;
  // Configuration: the next pass once the RTL is idle (the first at the layer's start).
  const bool load = !rtl_running_ && next_ < prog_->size() && c >= start_ && cfg_ready_.read();
  if (load) apply_config((*prog_)[next_]);
  cfg_valid_.write(load);
  const PePass* pass = current();
  // Weights: the block of the current pass.
  if (!w_tx_.busy() && rtl_running_ && pass->cfg.active && !weights_in_ &&
      weight_link_.offered(c) && step_is_current(weight_link_.packet().tag)) {
    const PacketData& d = *weight_link_.packet().data;
    if (d.words.words() > 1 || weight_link_.packet().tail <= c + 1)
      w_tx_.offer(d.words, d.format == PacketData::Format::Csc ? d.words_in_spad : d.entries);
  }
  w_tx_.drive(c);
  // Iacts: the next segment of the current pass's stream, from whichever bus carries it.
  if (!iact_tx_.busy() && rtl_running_ && pass->cfg.active)
    for (LinkIn& in : iact_links_) {
      if (!in.offered(c) || !step_is_current(in.packet().tag)) continue;
      if (in.packet().tag.seg != segs_in_)
        SC_REPORT_FATAL("eyeriss/pe", (std::string(name()) + ": iact segment " +
                                       std::to_string(in.packet().tag.seg) + " arrived, expected " +
                                       std::to_string(segs_in_))
                                          .c_str());
      const PacketData& d = *in.packet().data;
      if (d.words.words() > 1 || in.packet().tail <= c + 1) {
        iact_tx_.offer(d.words, d.entries);
        iact_from_ = &in;
      }
      break;
    }
  iact_tx_.drive(c);
  // Psum rows from below, in order, for the current pass.
  if (!pin_tx_.busy() && rtl_running_ && psum_link_.offered(c) &&
      step_is_current(psum_link_.packet().tag)) {
    const PacketData& d = *psum_link_.packet().data;
    if (d.words.words() > 1 || psum_link_.packet().tail <= c + 1)
      pin_tx_.offer(d.words, d.entries);
  }
  pin_tx_.drive(c);
  pout_rx_.drive(c);
}

void RtlPe::settle(Cycle c) {
  moved_ = w_tx_.moved() || iact_tx_.moved() || pin_tx_.moved() || pos_done_.read() ||
           (cfg_valid_.read() && cfg_ready_.read());
  if (cfg_valid_.read() && cfg_ready_.read()) {  // the RTL takes the pass at the coming edge
    cur_ = next_;
    next_ = next_pass(next_ + 1);
    rtl_running_ = true;
    const PePass& p = (*prog_)[cur_];
    PePassConfig cfg = p.cfg;
    cfg.where = name();
    if (cfg.active) shadow_.configure(cfg);
    weights_in_ = false;
    segs_in_ = 0;
    const int rows = cfg.active ? cfg.positions : p.rows;
    acc_.assign(rows, {});
    expect_.assign(rows, PacketRef());
    pos_seen_ = rows_in_ = rows_offered_ = 0;
  }
  const PePass* pass = current();
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
      tx.accepted(r.start, r.end);
      hold = r.data;  // the words stay ours until the last one moved
      on_accept(r);
    }
    if (tx.advance()) hold = PacketRef();
  };
  handshake(w_tx_, weight_link_, w_hold_, [&](const Received& r) {
    weights_in_ = true;
    const PacketData& d = *r.data;
    if (d.format == PacketData::Format::Csc) {
      unpack_weight_csc(d.words, d.cols, p_.format, shadow_.weight_buffer(d.cols));
      shadow_.commit_weights(d.words_in_spad);
    } else {
      unpack_raw(d.words, d.entries, p_.format.value_bits, true, raw_);
      shadow_.write_weights_raw(raw_);
    }
  });
  if (iact_from_) {
    handshake(iact_tx_, *iact_from_, iact_hold_, [&](const Received& r) {
        const PacketData& d = *r.data;
        std::vector<LinkEntry>& seg = shadow_.segment_buffer();
        if (d.format == PacketData::Format::Csc) {
          unpack_iact_csc(d.words, d.entries, p_.format, signed_iacts_, seg);
        } else {
          unpack_raw(d.words, d.entries, p_.format.value_bits, signed_iacts_, raw_);
          for (std::size_t i = 0; i < raw_.size(); ++i)
            seg.push_back({static_cast<int16_t>(i), raw_[i]});
        }
        shadow_.commit_segment();
        ++segs_in_;
    });
    if (!iact_tx_.busy()) iact_from_ = nullptr;
  }
  handshake(pin_tx_, psum_link_, pin_hold_, [&](const Received& r) {
    const int f = rows_in_++;
    if (!pass->cfg.active) {  // bypass: the row as it came
      expect_[f] = r.data;
      return;
    }
    unpack_psums(r.data->words, r.data->entries, p_.psum_bits, in_psums_);
    shadow_.count_psum_add(pass->cfg.mc);
    out_psums_.resize(pass->cfg.mc);
    for (int m = 0; m < pass->cfg.mc; ++m)
      out_psums_[m] = wrap_psum(acc_[f][m] + in_psums_[m], p_.psum_bits);
    PacketRef d = PacketRef::make();
    d->type = DataType::Psum;
    d->format = PacketData::Format::Psums;
    d->entries = pass->cfg.mc;
    d->words.reset(p_.psum_link_bits);
    pack_psums(out_psums_.data(), out_psums_.size(), p_.psum_bits, d->words);
    expect_[f] = d;
  });
}

// Just before edge c+1: a word of the row on the link moves now if the RTL shows it (enable)
// and the transactor pulls it (ready); every word is compared with the shadow's. (Sampled here,
// not in the decision phase: an RTL receiver accepts the row late in the decision phase.)
void RtlPe::capture_pout() {
  const PePass* pass = current();
  if (pout_rx_.moved()) {
    moved_ = true;
    const int f = rows_offered_ - 1;
    const LinkWords& w = expect_[f]->words;
    const uint64_t want = out_word_ < w.words() ? w.data()[out_word_] : ~uint64_t(0);
    const uint64_t got = pout_rx_.word() & ((uint64_t(1) << p_.psum_link_bits) - 1);
    if (got != want) diverged_data(f, out_word_, got, want);
    ++out_word_;
    if (pout_rx_.last()) {
      if (out_word_ != w.words()) diverged_data(f, out_word_, got, want);
      ++RtlCheck::get().rows;
      row_on_link_ = false;
      const int mc = expect_[f]->entries;
      if (pass->cfg.active)
        shadow_.count_psum_send(mc);
      else
        shadow_.stats().psum_out_bits += uint64_t(mc) * p_.psum_bits;
      if (f + 1 == static_cast<int>(expect_.size())) rtl_running_ = false;  // pass done
    }
  }
}

void RtlPe::diverged_data(int f, std::size_t word, uint64_t rtl, uint64_t model) {
  RtlCheck& chk = RtlCheck::get();
  if (!chk.first_data_divergence.empty()) return;
  std::ostringstream o;
  o << where(f) << " psum word " << word << ": RTL 0x" << std::hex << rtl << ", C++ PE model 0x"
    << model;
  chk.first_data_divergence = o.str();
}

}  // namespace

bool rtl_pe_available() { return true; }

std::unique_ptr<PeBlock> make_rtl_pe(const char* name, const PeParams& p, int row, int col) {
  ++RtlCheck::get().pes;
  return std::make_unique<RtlPe>(name, p, row, col);
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
