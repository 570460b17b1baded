#include "noc/psum_router.h"

#include <string>

#include "noc/block_config.h"

namespace eyeriss {

PsumRouter::PsumRouter(sc_core::sc_module_name name, const PsumRouterParams& p)
    : sc_module(name),
      from_glb("from_glb"),
      from_pe("from_pe"),
      cfg_in("cfg_in"),
      from_north("from_north"),
      to_pe("to_pe"),
      to_glb("to_glb"),
      to_offchip("to_offchip"),
      to_south("to_south"),
      p_(p) {
  from_glb.register_nb_transport_fw(this, &PsumRouter::glb_fw);
  from_pe.register_nb_transport_fw(this, &PsumRouter::pe_fw);
  from_north.register_nb_transport_fw(this, &PsumRouter::north_fw);
  cfg_in.register_b_transport(this, &PsumRouter::cfg_transport);
  for (auto* s : {&to_pe, &to_glb, &to_offchip})
    s->register_nb_transport_bw(this, &PsumRouter::link_bw);
  to_south.register_nb_transport_bw(this, &PsumRouter::link_bw);
  dp_.init(this, &PsumRouter::decide, "decide");
  const std::string n = this->name();
  to_pe_.init(n + ".to_pe", p.link_bits, this, DataType::Psum);
  to_south_.init(n + ".to_south", p.link_bits, this, DataType::Psum);
  to_glb_.init(n + ".to_glb", p.link_bits, this, DataType::Psum);
  to_offchip_.init(n + ".to_offchip", p.link_bits, this, DataType::Psum);
}

void PsumRouter::end_of_elaboration() {
  to_pe_.add_target(to_pe.operator->());
  to_glb_.add_target(to_glb.operator->());
  to_offchip_.add_target(to_offchip.operator->());
  if (has_south_) to_south_.add_target(to_south[0]);
}

bool PsumRouter::idle() const {
  const bool done = !prog_ || (into_.pass >= prog_->size() && out_.pass >= prog_->size());
  return done && drained(into_.held, [](const auto& h) { return h.second; }) &&
         drained(out_.held, [](const auto& h) { return h.second; }) && !in_glb_.pending() &&
         !in_north_.pending() && !in_pe_.pending() && to_pe_.idle() && to_south_.idle() &&
         to_glb_.idle() && to_offchip_.idle();
}

std::string PsumRouter::state() const {
  const std::size_t n = prog_ ? prog_->size() : 0;
  return std::string(name()) + ": into pass " + std::to_string(into_.pass) + "/" +
         std::to_string(n) + " row " + std::to_string(into_.rows) + ", out pass " +
         std::to_string(out_.pass) + "/" + std::to_string(n) + " row " + std::to_string(out_.rows) +
         ", held " + std::to_string(into_.held.size()) + "+" + std::to_string(out_.held.size()) +
         (in_glb_.pending() ? ", glb offers" : "") + (in_north_.pending() ? ", north offers" : "") +
         (in_pe_.pending() ? ", top PE offers" : "");
}

void PsumRouter::configure(const std::vector<PsumRouterPass>& passes, Cycle start) {
  for (const PsumRouterPass& p : passes) {
    if ((p.rows_in > 0 && p.source == PsumSource::None) ||
        (p.rows_out > 0 && p.sink == PsumSink::None))
      SC_REPORT_ERROR(
          "eyeriss/noc",
          (std::string(name()) + ": a pass moves psum rows but names no source or sink").c_str());
    if (p.rows_in > 0 && p.source == PsumSource::North && !has_north_)
      SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) +
                                      ": configured to take psums from the north, but there is "
                                      "no router cluster to the north")
                                         .c_str());
    if (p.rows_out > 0 && p.sink == PsumSink::South && !has_south_)
      SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) +
                                      ": configured to send psums south, but there is no router "
                                      "cluster to the south")
                                         .c_str());
  }
  prog_ = &passes;
  into_ = Path{};
  out_ = Path{};
  if (!passes.empty()) dp_.wake(start);
}

void PsumRouter::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& passes = program_of<std::vector<PsumRouterPass>>(gp, start);
  if (!idle())
    SC_REPORT_FATAL("eyeriss/noc", (state() + ": configured for a new layer while busy").c_str());
  configure(passes, start);
}

void PsumRouter::decide(Cycle t) {
  if (!prog_) return;
  while (move(t, into_, true) || move(t, out_, false)) {
  }
}

bool PsumRouter::move(Cycle t, Path& path, bool into) {
  while (!path.held.empty() && path.held.front().second <= t) path.held.pop_front();
  while (path.pass < prog_->size() &&
         (into ? (*prog_)[path.pass].rows_in : (*prog_)[path.pass].rows_out) == 0)
    ++path.pass;
  if (path.pass >= prog_->size()) return false;
  if (static_cast<int>(path.held.size()) >= p_.buffer_packets) return false;
  const PsumRouterPass& ps = (*prog_)[path.pass];
  LinkIn& in = into ? (ps.source == PsumSource::North ? in_north_ : in_glb_) : in_pe_;
  if (!in.offered(t)) return false;
  LinkOut& out = into                           ? to_pe_
                 : ps.sink == PsumSink::South   ? to_south_
                 : ps.sink == PsumSink::Offchip ? to_offchip_
                                                : to_glb_;
  const Received r = in.accept(t);
  const uint64_t seq = seq_++;
  path.held.push_back({seq, kNever});
  if (!into) ++up_;
  out.send(r.data, r.tag, t + p_.hop_cycles, r.end + p_.hop_cycles,
           (into ? uint64_t(1) << 63 : 0) | seq);
  if (++path.rows == (into ? ps.rows_in : ps.rows_out)) {
    path.rows = 0;
    ++path.pass;
  }
  return true;
}

void PsumRouter::on_sent(LinkOut&, uint64_t cookie, Cycle, Cycle end, bool) {
  Path& path = cookie >> 63 ? into_ : out_;
  const uint64_t seq = cookie & ~(uint64_t(1) << 63);
  for (auto& h : path.held)
    if (h.first == seq) {
      h.second = end;
      dp_.wake(end);
      return;
    }
  SC_REPORT_FATAL("eyeriss/noc", (std::string(name()) + ": sent a row it does not hold").c_str());
}

}  // namespace eyeriss
