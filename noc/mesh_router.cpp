#include "noc/mesh_router.h"

#include <stdexcept>

#include "noc/block_config.h"

namespace eyeriss {

RouterParams RouterParams::iact(const ArchConfig& a) {
  return {DataType::Iact, true, a.iact_link_bits, a.router_hop_cycles, a.router_buffer_packets};
}

RouterParams RouterParams::weight(const ArchConfig& a) {
  return {DataType::Weight, false, a.weight_link_bits, a.router_hop_cycles,
          a.router_buffer_packets};
}

MeshRouter::MeshRouter(sc_core::sc_module_name name, MeshPosition pos, const RouterParams& p)
    : sc_module(name),
      in_local("in_local"),
      cfg_in("cfg_in"),
      to_pe("to_pe"),
      from_n("from_n"),
      from_s("from_s"),
      from_w("from_w"),
      from_e("from_e"),
      to_n("to_n"),
      to_s("to_s"),
      to_w("to_w"),
      to_e("to_e"),
      pos_(pos),
      p_(p) {
  in_local.register_nb_transport_fw(this, &MeshRouter::local_fw);
  cfg_in.register_b_transport(this, &MeshRouter::cfg_transport);
  from_n.register_nb_transport_fw(this, &MeshRouter::mesh_fw<Port::N>);
  from_s.register_nb_transport_fw(this, &MeshRouter::mesh_fw<Port::S>);
  from_w.register_nb_transport_fw(this, &MeshRouter::mesh_fw<Port::W>);
  from_e.register_nb_transport_fw(this, &MeshRouter::mesh_fw<Port::E>);
  to_pe.register_nb_transport_bw(this, &MeshRouter::link_bw_id);
  for (OutSocket* s : {&to_n, &to_s, &to_w, &to_e})
    s->register_nb_transport_bw(this, &MeshRouter::link_bw);
  dp_.init(this, &MeshRouter::decide, "decide");
  for (int i = 0; i < kPorts; ++i)
    out_[i].init(std::string(this->name()) + "." +
                     (i == 0 ? "to_pe" : std::string("to_") + to_string(Port(i))),
                 p.link_bits, this, p.type);
}

void MeshRouter::end_of_elaboration() {
  for (unsigned i = 0; i < to_pe.size(); ++i) out_[0].add_target(to_pe[i]);
  out_[0].set_ids(&pe_ids_);
  for (Port p : {Port::N, Port::S, Port::W, Port::E})
    if (has_neighbour(p)) out_[static_cast<int>(p)].add_target((*mesh_out(p))[0]);
}

MeshRouter::OutSocket* MeshRouter::mesh_out(Port p) {
  switch (p) {
    case Port::N:
      return &to_n;
    case Port::S:
      return &to_s;
    case Port::W:
      return &to_w;
    default:
      return &to_e;
  }
}

tlm::tlm_bw_transport_if<>* MeshRouter::back(Port in) {
  switch (in) {
    case Port::Local:
      return in_local.operator->();
    case Port::N:
      return from_n[0];
    case Port::S:
      return from_s[0];
    case Port::W:
      return from_w[0];
    default:
      return from_e[0];
  }
}

bool MeshRouter::has_neighbour(Port p) const {
  switch (p) {
    case Port::N:
      return p_.vertical_links && pos_.row > 0;
    case Port::S:
      return p_.vertical_links && pos_.row + 1 < pos_.rows;
    case Port::W:
      return pos_.col > 0;
    case Port::E:
      return pos_.col + 1 < pos_.cols;
    default:
      return true;
  }
}

bool MeshRouter::idle() const {
  for (int i = 0; i < kPorts; ++i)
    if (!drained(fifo_[i], [](const Entry& e) { return e.free_at; }) || in_[i].pending() ||
        !out_[i].idle())
      return false;
  return true;
}

void MeshRouter::configure(const RouterConfig& c) {
  auto fail = [&](const std::string& why) {
    SC_REPORT_ERROR("eyeriss/noc",
                    (std::string(name()) + ": configuration rejected: " + why).c_str());
  };
  if (!idle()) fail("the router still holds packets of the previous layer");
  PortSet driven = 0;
  for (int i = 0; i < kPorts; ++i) {
    const Port in = static_cast<Port>(i);
    if (c.drive[i] && !has_neighbour(in))
      fail(std::string("input ") + to_string(in) + " has no neighbour to receive from");
    if (c.drive[i] & driven) fail("an output is driven from two inputs");
    driven |= c.drive[i];
    for (int o = 1; o < kPorts; ++o)
      if ((c.drive[i] & bit(Port(o))) && !has_neighbour(Port(o)))
        fail(std::string("output ") + to_string(Port(o)) +
             (p_.vertical_links ? " has no neighbouring router cluster"
                                : " needs vertical links, which this router does not have "
                                  "(weight routers link horizontally only)"));
  }
  if (c.mode() == RouterMode::Invalid)
    fail(
        "no router mode allows these settings (a packet travelling vertically cannot turn "
        "horizontal, and none leaves by its input)");
  cfg_ = c;
  for (auto& f : fifo_) f.clear();
}

void MeshRouter::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  if (const BlockConfig* c = gp.get_extension<BlockConfig>()) pe_ids_.begin_layer(c->layer);
  configure(program_of<RouterConfig>(gp, start));
}

tlm::tlm_sync_enum MeshRouter::fw(Port in, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                  sc_core::sc_time& d) {
  return in_[static_cast<int>(in)].forward(gp, ph, d, back(in), dp_);
}

void MeshRouter::decide(Cycle t) {
  full_ = false;
  for (int i = 0; i < kPorts; ++i) {
    auto& fifo = fifo_[i];
    while (!fifo.empty() && fifo.front().free_at <= t) fifo.pop_front();
    if (!in_[i].offered(t)) continue;
    if (!cfg_.drive[i]) {
      SC_REPORT_ERROR("eyeriss/noc",
                      (std::string(name()) + ": a packet (" + in_[i].packet().tag.str(p_.type) +
                       ") arrived on input " + to_string(Port(i)) +
                       ", which the layer's configuration leaves unused")
                          .c_str());
      continue;
    }
    if (static_cast<int>(fifo.size()) >= p_.buffer_packets) {
      // Woken when the oldest leaves: now if that is known, else by on_sent when it becomes so.
      if (fifo.front().free_at != kNever)
        dp_.wake(fifo.front().free_at);
      else
        full_ = true;
      continue;
    }
    Received r = in_[i].accept(t);
    Entry e;
    e.seq = seq_++;
    for (int o = 0; o < kPorts; ++o)
      if (cfg_.drive[i] & bit(Port(o))) ++e.pending;
    fifo.push_back(e);
    const uint64_t cookie = uint64_t(i) << 56 | e.seq;
    for (int o = 0; o < kPorts; ++o)
      if (cfg_.drive[i] & bit(Port(o)))
        out_[o].send(r.data, r.tag, t + p_.hop_cycles, r.end + p_.hop_cycles, cookie);
  }
}

void MeshRouter::on_sent(LinkOut&, uint64_t cookie, Cycle, Cycle end, bool) {
  const int i = static_cast<int>(cookie >> 56);
  const uint64_t seq = cookie & ((uint64_t(1) << 56) - 1);
  for (Entry& e : fifo_[i])
    if (e.seq == seq) {
      e.last_end = std::max(e.last_end, end);
      if (--e.pending == 0) {
        e.free_at = e.last_end;
        // Only a full buffer waits for the slot; otherwise the entry leaves at the next decision.
        if (full_) dp_.wake(e.free_at);
      }
      return;
    }
  SC_REPORT_FATAL("eyeriss/noc",
                  (std::string(name()) + ": sent a packet it does not hold").c_str());
}

}  // namespace eyeriss
