#include "noc/mesh_router.h"

#include <stdexcept>

#include "models/common/trace.h"

namespace eyeriss {

MeshRouter::MeshRouter(sc_core::sc_module_name name, MeshPosition pos, bool vertical_links,
                       int link_bits, int hop_cycles, int first_pe_bit)
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
      vertical_(vertical_links),
      hop_cycles_(hop_cycles),
      first_pe_bit_(first_pe_bit) {
  for (auto& l : link_) l.width_bits = link_bits;
  in_local.register_b_transport(this, &MeshRouter::local_in);
  cfg_in.register_b_transport(this, &MeshRouter::cfg_transport);
  from_n.register_b_transport(this, &MeshRouter::n_in);
  from_s.register_b_transport(this, &MeshRouter::s_in);
  from_w.register_b_transport(this, &MeshRouter::w_in);
  from_e.register_b_transport(this, &MeshRouter::e_in);
}

void MeshRouter::set_mode(RouterMode m) {
  if (!vertical_ && (m == RouterMode::VerticalMulticast || m == RouterMode::Broadcast))
    throw std::invalid_argument(std::string(name()) + ": mode " + to_string(m) +
                                " needs vertical links, which this router does not have "
                                "(weight routers link horizontally only)");
  mode_ = m;
}

void MeshRouter::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  set_mode(static_cast<RouterMode>(packet_of(gp).router_mode));
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

// A readiness query travels the same tree without using any link; each destination PE raises
// p.ready to the cycle it can accept the packet.
void MeshRouter::query(Port in, tlm::tlm_generic_payload& gp) {
  NocPacket& p = packet_of(gp);
  const PortSet ports = route(in, p);
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  if (ports & bit(Port::Local))
    for (const ClusterDest& dst : p.dests)
      if (dst.cluster == pos_.index())
        for (unsigned b = 0; b < 32; ++b) {
          const int idx = static_cast<int>(b) - first_pe_bit_;
          if ((dst.pe_mask >> b & 1u) && idx >= 0 && idx < static_cast<int>(to_pe.size()))
            to_pe[idx]->b_transport(gp, d);
        }
  for (Port o : {Port::N, Port::S, Port::W, Port::E})
    if ((ports & bit(o)) && out(o).size() > 0) out(o)[0]->b_transport(gp, d);
}

MeshRouter::OutSocket& MeshRouter::out(Port p) {
  switch (p) {
    case Port::N:
      return to_n;
    case Port::S:
      return to_s;
    case Port::W:
      return to_w;
    default:
      return to_e;
  }
}

PortSet MeshRouter::route(Port in, const NocPacket& p) const {
  const int rs = p.src_cluster / pos_.cols;
  PortSet ports = 0;
  for (const ClusterDest& d : p.dests) {
    const int r = d.cluster / pos_.cols, c = d.cluster % pos_.cols;
    if (r == pos_.row && c == pos_.col) {
      ports |= bit(Port::Local);
    } else if (c != pos_.col) {
      // Horizontal legs run along the source row only.
      if (pos_.row == rs && in != Port::N && in != Port::S)
        ports |= c > pos_.col ? bit(Port::E) : bit(Port::W);
    } else if (r < pos_.row) {
      ports |= bit(Port::N);
    } else {
      ports |= bit(Port::S);
    }
  }
  // A packet moving vertically only continues in its direction.
  if (in == Port::S) ports &= PortSet(bit(Port::Local) | bit(Port::N));
  if (in == Port::N) ports &= PortSet(bit(Port::Local) | bit(Port::S));
  if (in == Port::W) ports &= PortSet(~bit(Port::W));
  if (in == Port::E) ports &= PortSet(~bit(Port::E));
  return ports;
}

void MeshRouter::transport(Port in, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  if (p.query) return query(in, gp);
  Cycle arrival = ClockDomain::cycle_of(delay) + hop_cycles_;
  if (in == Port::Local) {
    // The source injects a transfer only once every destination can take it (ready), so a
    // stalled destination never holds mesh links while other packets wait.
    p.query = true;
    p.ready = 0;
    query(in, gp);
    p.query = false;
    arrival = std::max(arrival, p.ready);
  }
  const PortSet ports = route(in, p);
  const PortSet allowed = allowed_outputs(mode_, in);
  if (ports & ~allowed)
    SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) + ": a packet from " + to_string(in) +
                                    " needs outputs " + std::to_string(ports) + " but mode " +
                                    to_string(mode_) + " allows " + std::to_string(allowed))
                                       .c_str());
  const Cycle xfer = link_[0].cycles_for(p.bits);
  p.xfer = xfer;
  Cycle done = arrival;
  if (ports & bit(Port::Local)) {
    uint32_t mask = 0;
    for (const ClusterDest& d : p.dests)
      if (d.cluster == pos_.index()) mask |= d.pe_mask;
    Timeline& l = link_[0];
    const Cycle start = l.probe(arrival, xfer);
    Cycle end = start + xfer;
    for (unsigned b = 0; b < 32; ++b) {
      if (!(mask >> b & 1u)) continue;
      const int idx = static_cast<int>(b) - first_pe_bit_;
      if (idx < 0 || idx >= static_cast<int>(to_pe.size()))
        SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) + ": destination PE bit " +
                                        std::to_string(b) + " is not reachable from this router")
                                           .c_str());
      sc_core::sc_time d = ClockDomain::delay_to(start);
      to_pe[idx]->b_transport(gp, d);
      end = std::max(end, ClockDomain::cycle_of(d));
      ++deliveries_;
    }
    // The link is held until the last destination has taken the packet (ready handshake).
    l.reserve(start, end - start, p.bits);
    if (Trace::get().on())
      Trace::get().add(std::string(name()) + ".local", to_string(p.type), "noc", start, end);
    done = std::max(done, end);
  }
  for (Port o : {Port::N, Port::S, Port::W, Port::E}) {
    if (!(ports & bit(o))) continue;
    OutSocket& s = out(o);
    if (s.size() == 0)
      SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) + ": no router cluster to the " +
                                      to_string(o) + " for a packet's destination")
                                         .c_str());
    Timeline& l = link_[static_cast<int>(o)];
    const Cycle start = l.probe(arrival, xfer);
    // Circuit switched: the data streams through (cut-through); the link is held until the
    // far side has taken all of it.
    sc_core::sc_time d = ClockDomain::delay_to(start);
    s[0]->b_transport(gp, d);
    const Cycle end = std::max(start + xfer, ClockDomain::cycle_of(d));
    l.reserve(start, end - start, p.bits);
    if (Trace::get().on())
      Trace::get().add(std::string(name()) + "." + to_string(o), to_string(p.type), "noc", start,
                       end);
    done = std::max(done, end);
  }
  delay = ClockDomain::delay_to(done);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace eyeriss
