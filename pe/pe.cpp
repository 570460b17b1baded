#include "pe/pe.h"

#include <algorithm>
#include <sstream>

#include "models/common/quant.h"
#include "models/common/trace.h"
#include "noc/block_config.h"

namespace eyeriss {

Pe::Pe(sc_core::sc_module_name name, const PeParams& p, int row, int col)
    : PeBlock(name), p_(p), core_(p), row_(row), col_(col) {
  dp_.init(this, &Pe::decide, "decide");
  out_.init(std::string(this->name()) + ".psum_out", p.psum_link_bits, this, DataType::Psum);
}

void Pe::end_of_elaboration() {
  iact_links_.resize(iact_in.size());
  out_.add_target(psum_out.operator->());
}

bool Pe::idle() const {
  return !prog_ ||
         (mac_pass_ >= prog_->size() && row_pass_ >= prog_->size() && in_pass_ >= prog_->size() &&
          drained(rows_, [](const Row& r) { return r.send_end; }) && out_.idle());
}

std::string Pe::state() const {
  std::ostringstream o;
  o << name() << ": pass " << mac_pass_ << "/" << (prog_ ? prog_->size() : 0) << ", segments "
    << seg_end_.size() << ", positions " << pos_done_.size() << ", psum rows in " << in_pass_ << ":"
    << in_f_ << ", rows held " << rows_.size();
  if (prog_ && mac_pass_ < prog_->size()) {
    const PePass& p = (*prog_)[mac_pass_];
    if (!core_.weights_written()) o << "; waits for its weights";
    if (static_cast<int>(seg_end_.size()) < p.cfg.segments()) {
      o << "; expects "
        << PacketTag::iact(p.step, p.iact, static_cast<int>(seg_end_.size())).str(DataType::Iact);
    }
  }
  return o.str();
}

void Pe::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& prog = accept_program(gp, start, signed_iacts_);
  prog_ = &prog;
  rows_.clear();
  mac_pass_ = next_active(0);
  mac_start_ = start;
  mac_configured_ = false;
  row_pass_ = 0;
  in_pass_ = next_psum_in(0);
  in_f_ = 0;
  bypass_made_ = 0;
  if (!prog.empty()) dp_.wake(start);
}

std::size_t Pe::next_active(std::size_t from) const {
  while (from < prog_->size() && !(*prog_)[from].cfg.active) ++from;
  return from;
}

std::size_t Pe::next_psum_in(std::size_t from) const {
  while (from < prog_->size() && !((*prog_)[from].psum_in && (*prog_)[from].rows > 0)) ++from;
  return from;
}

bool Pe::addressed(DataType type, const PacketTag& t) const {
  return matches(pass_for_step(prog_, mac_pass_, t.step), type, t);
}

// ID matching on the buses: a packet is addressed to this PE if it belongs to one of its
// remaining passes; it is taken when that pass is current and there is room.
tlm::tlm_sync_enum Pe::iact_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                               sc_core::sc_time& d) {
  if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
  if (!addressed(DataType::Iact, packet_of(gp).tag)) return not_addressed(gp);
  return iact_links_[id].request(gp, d, iact_in[id], dp_);
}

tlm::tlm_sync_enum Pe::weight_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                 sc_core::sc_time& d) {
  if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
  if (!addressed(DataType::Weight, packet_of(gp).tag)) return not_addressed(gp);
  return weight_link_.request(gp, d, weight_in.operator->(), dp_);
}

tlm::tlm_sync_enum Pe::psum_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                               sc_core::sc_time& d) {
  return psum_link_.forward(gp, ph, d, psum_in.operator->(), dp_);
}

void Pe::on_sent(LinkOut&, uint64_t cookie, Cycle, Cycle end, bool) {
  for (Row& r : rows_)
    if (r.seq == cookie) {
      r.send_end = end;
      if (waits_for_send_) dp_.wake(end);  // else the row leaves at the next decision
      return;
    }
  SC_REPORT_FATAL("eyeriss/pe", (std::string(name()) + ": sent a row it does not hold").c_str());
}

// The psum SPad holds at most two rows (double buffering), as many as their psums fit (the
// RTL puts one at the bottom, one at the top).
bool Pe::psum_room(int mc) const {
  if (rows_.size() >= 2) return false;
  int used = mc;
  for (const Row& r : rows_) used += r.mc;
  return used <= p_.psum.entries;
}

// Runs every action that can happen now; an action blocked on a known future edge notes it in
// next_, and the PE is woken once, at the earliest (actions blocked on something not yet known
// are woken by the event that makes it known: an offer on a link, a row leaving).
void Pe::decide(Cycle t) {
  if (!prog_) return;
  bool progress = true;
  while (progress) {
    next_ = kNever;
    waits_for_send_ = false;
    while (!rows_.empty() && rows_.front().send_end <= t) {
      spare_acc_.push_back(std::move(rows_.front().acc));  // keeps its buffer for reuse
      rows_.pop_front();
    }
    // Each action in its fixed order, called only when it could act at all (these tests are
    // the actions' preconditions, made here so a PE woken for one thing does not call all five).
    progress = !mac_configured_ && start_mac_pass(t);
    if (mac_configured_) {
      if (!core_.weights_written() && weight_link_.offered(t)) progress |= take_weights(t);
      if (iact_offered(t)) progress |= take_iacts(t);
      if (row_pass_ == mac_pass_) progress |= start_position(t);
    }
    if (in_pass_ < prog_->size() && psum_link_.offered(t)) progress |= take_psums(t);
  }
  if (next_ != kNever) dp_.wake(next_);
}

// The actions below are called by decide only when their cheap preconditions hold (see there).
bool Pe::start_mac_pass(Cycle t) {
  if (mac_pass_ >= prog_->size()) return false;
  if (t < mac_start_) return wait_until(mac_start_);
  PePassConfig cfg = (*prog_)[mac_pass_].cfg;
  cfg.where = name();
  core_.configure(cfg);
  seg_end_.clear();
  pos_done_.clear();
  weights_end_ = kNever;
  evict_seg_ = -1;
  mac_configured_ = true;
  return true;
}

bool Pe::take_weights(Cycle t) {
  if (weight_link_.packet().tag.step != (*prog_)[mac_pass_].step) return false;  // a later pass
  Received r = weight_link_.accept(t);
  write_weights(core_, *r.data);
  weights_end_ = r.end;
  return true;
}

bool Pe::take_iacts(Cycle t) {
  const PePass& pass = (*prog_)[mac_pass_];
  const int k = core_.segments_written();
  if (k >= pass.cfg.segments()) return false;
  if (!seg_end_.empty() && seg_end_.back() > t) return wait_until(seg_end_.back());  // 1 port
  // The router buses in a fixed order (only one can carry this PE's stream).
  for (LinkIn& in : iact_links_) {
    if (!in.offered(t) || in.packet().tag.step != pass.step) continue;
    if (in.packet().tag.seg != k)
      SC_REPORT_FATAL("eyeriss/pe", (std::string(name()) + ": iact segment " +
                                     std::to_string(in.packet().tag.seg) + " arrived, expected " +
                                     std::to_string(k))
                                        .c_str());
    if (evict_seg_ != k) {  // the space segment k needs, worked out once per segment
      evict_seg_ = k;
      evict_pos_ = core_.iact_evict_position(in.packet().data->entries);
    }
    const int evict = evict_pos_;
    if (evict >= 0 && evict >= static_cast<int>(pos_done_.size()))
      return false;  // the SPad is full until a position not yet started is done
    if (evict >= 0 && pos_done_[evict] > t)
      return wait_until(pos_done_[evict]);  // the bus waits meanwhile (back-pressure)
    Received r = in.accept(t);
    write_iact_segment(core_, *r.data, signed_iacts_);
    seg_end_.push_back(r.end);
    return true;
  }
  return false;
}

bool Pe::start_position(Cycle t) {
  const PePass& pass = (*prog_)[mac_pass_];
  const int f = core_.positions_done();
  if (f >= pass.cfg.positions) return false;
  const int last_seg = f + pass.cfg.window_segs() - 1;
  if (last_seg >= static_cast<int>(seg_end_.size())) return false;  // taking it wakes us
  // Known edges: its window and the weights written, the previous position done; and room in
  // the psum SPad (a row leaves at its send-out end, known once the receiver took it).
  Cycle ready = std::max(seg_end_[last_seg], weights_end_);
  if (f > 0) ready = std::max(ready, pos_done_[f - 1]);
  if (!psum_room(pass.cfg.mc)) {
    if (rows_.front().send_end == kNever) return wait_for_send();
    ready = std::max(ready, rows_.front().send_end);
  }
  if (ready > t) return ready == kNever ? false : wait_until(ready);
  Row row;
  row.pass = mac_pass_;
  row.f = f;
  row.mc = pass.cfg.mc;
  row.seq = next_seq_++;
  if (!spare_acc_.empty()) {
    row.acc = std::move(spare_acc_.back());
    spare_acc_.pop_back();
  }
  const PositionWork w = core_.compute_next(row.acc);
  const Cycle done = t + w.cycles();
  pos_done_.push_back(done);
  PeStats& st = core_.stats();
  if (w.cycles() > 0) {
    st.first_start = std::min(st.first_start, t);
    st.last_done = std::max(st.last_done, done);
    if (Trace::get().on()) Trace::get().add(name(), "MAC", "pe", t, done);
  }
  // Stages 5-7 (weight data, MAC, psum write-back) follow the last issue.
  row.mac_ready = done + std::max(p_.pipeline_stages - 4, 0);
  rows_.push_back(std::move(row));
  if (!pass.psum_in) finalize(rows_.back(), nullptr);
  if (f + 1 == pass.cfg.positions) {
    // The SPads serve the next active pass once this one's last MAC is done.
    row_pass_ = mac_pass_ + 1;
    mac_pass_ = next_active(mac_pass_ + 1);
    mac_start_ = done + p_.pass_config_cycles;
    mac_configured_ = false;
  }
  hand_rows();
  return true;
}

bool Pe::take_psums(Cycle t) {
  const PePass& pass = (*prog_)[in_pass_];
  Row* row = nullptr;
  if (pass.cfg.active) {
    for (Row& r : rows_)
      if (r.pass == in_pass_ && r.f == in_f_) row = &r;
    if (!row) return false;  // the position has not started yet
    if (row->mac_ready > t) return wait_until(row->mac_ready);
  } else {                                    // bypass: the row passes through the (idle) psum SPad
    if (row_pass_ != in_pass_) return false;  // earlier rows first (positions wake us)
    if (!psum_room(pass.row.mc))
      return rows_.front().send_end == kNever ? wait_for_send()
                                              : wait_until(rows_.front().send_end);
  }
  Received r = psum_link_.accept(t);
  if (pass.cfg.active) {
    unpack_psums(r.data->words, r.data->entries, p_.psum_bits, in_psums_);
    if (static_cast<int>(in_psums_.size()) != row->mc)
      SC_REPORT_FATAL("eyeriss/pe", (std::string(name()) + ": incoming psum row has the wrong "
                                                           "size")
                                        .c_str());
    core_.count_psum_add(row->mc);
    finalize(*row, &in_psums_);
    // The incoming psums are added as they stream in, psum_spad_ports per cycle.
    row->ready = std::max(r.end, t + (row->mc + p_.psum_spad_ports - 1) / p_.psum_spad_ports);
  } else {
    Row b;
    b.pass = in_pass_;
    b.f = in_f_;
    b.mc = pass.row.mc;
    b.bypass = true;
    b.seq = next_seq_++;
    b.data = r.data;
    b.ready = r.end;
    rows_.push_back(std::move(b));
    if (++bypass_made_ == pass.rows) {
      bypass_made_ = 0;
      row_pass_ = in_pass_ + 1;
    }
  }
  if (++in_f_ == pass.rows) {
    in_f_ = 0;
    in_pass_ = next_psum_in(in_pass_ + 1);
  }
  hand_rows();
  return true;
}

// The final row of an active position: its own sums plus the incoming ones, wrapped.
void Pe::finalize(Row& r, const std::vector<int32_t>* in) {
  out_psums_.resize(r.mc);
  for (int m = 0; m < r.mc; ++m)
    out_psums_[m] = wrap_psum(r.acc[m] + (in ? (*in)[m] : 0), p_.psum_bits);
  r.data = PacketRef::make();
  r.data->type = DataType::Psum;
  r.data->format = PacketData::Format::Psums;
  r.data->entries = r.mc;
  r.data->words.reset(p_.psum_link_bits);
  pack_psums(out_psums_.data(), out_psums_.size(), p_.psum_bits, r.data->words);
  r.ready = r.mac_ready;
}

// Rows leave in order: hand every final row up to the first one still waiting for psums.
void Pe::hand_rows() {
  for (Row& r : rows_) {
    if (r.handed) continue;
    if (!r.data) break;
    const PePass& pass = (*prog_)[r.pass];
    out_.send(r.data, PacketTag::psum(pass.step, pass.row, r.f), r.ready, r.ready, r.seq);
    r.handed = true;
    if (r.bypass)
      core_.stats().psum_out_bits += uint64_t(r.mc) * p_.psum_bits;
    else
      core_.count_psum_send(r.mc);
  }
}

}  // namespace eyeriss
