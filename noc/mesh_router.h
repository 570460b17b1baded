// A router of the hierarchical mesh (iact or weight router). Its local input is the GLB-cluster
// port (a GLB bank or off-chip data); its local output is the link to its PEs (all 12 for an
// iact router, one PE row for a weight router). Mesh ports link it to the same router of the
// neighbouring router clusters: N/S (iact routers only) and W/E. In an 8 x 2 array each router
// has one horizontal neighbour (4/4 ports with N, S, local); wider arrays use both W and E (the
// extra port pair). A packet goes to its destination clusters along an XY multicast tree from
// its source cluster, within what the router's per-layer mode allows.
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <string>
#include <systemc>
#include <tlm>

#include "noc/noc_packet.h"
#include "noc/router_mode.h"
#include "noc/timing.h"

namespace eyeriss {

struct MeshPosition {
  int row = 0, col = 0;  // this router cluster in the cluster array (row 0 = north)
  int rows = 1, cols = 1;
  int index() const { return row * cols + col; }
};

class MeshRouter : public sc_core::sc_module {
 public:
  using InSocket =
      tlm_utils::multi_passthrough_target_socket_optional<MeshRouter, 32,
                                                          tlm::tlm_base_protocol_types, 1>;
  using OutSocket =
      tlm_utils::multi_passthrough_initiator_socket_optional<MeshRouter, 32,
                                                             tlm::tlm_base_protocol_types, 1>;

  tlm_utils::simple_target_socket<MeshRouter> in_local;  // GLB-cluster port
  tlm_utils::simple_target_socket<MeshRouter> cfg_in;    // per-layer mode
  tlm_utils::multi_passthrough_initiator_socket<MeshRouter> to_pe;
  InSocket from_n, from_s, from_w, from_e;
  OutSocket to_n, to_s, to_w, to_e;

  // PE bit b of a destination mask is to_pe[b - first_pe_bit].
  MeshRouter(sc_core::sc_module_name name, MeshPosition pos, bool vertical_links, int link_bits,
             int hop_cycles, int first_pe_bit);

  RouterMode mode() const { return mode_; }
  void set_mode(RouterMode m);  // also through cfg_in; rejects modes this router lacks
  const Timeline& local_link() const { return link_[0]; }
  void prune(Cycle c) {
    for (auto& l : link_) l.prune(c);
  }
  const Timeline& link(Port p) const { return link_[static_cast<int>(p)]; }
  uint64_t pe_deliveries() const { return deliveries_; }
  const MeshPosition& position() const { return pos_; }

  // The outputs a packet entering on `in` uses here, given its source and destinations
  // (exposed for tests): local if this cluster is a destination, and each mesh port whose side
  // of the XY tree holds a destination.
  PortSet route(Port in, const NocPacket& p) const;

 private:
  void transport(Port in, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void local_in(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) {
    transport(Port::Local, gp, d);
  }
  void n_in(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& d) { transport(Port::N, gp, d); }
  void s_in(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& d) { transport(Port::S, gp, d); }
  void w_in(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& d) { transport(Port::W, gp, d); }
  void e_in(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& d) { transport(Port::E, gp, d); }
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void query(Port in, tlm::tlm_generic_payload& gp);
  OutSocket& out(Port p);

  MeshPosition pos_;
  bool vertical_;
  int hop_cycles_;
  int first_pe_bit_;
  RouterMode mode_ = RouterMode::Unicast;
  std::array<Timeline, kPorts> link_;  // output links: local (to PEs), N, S, W, E
  uint64_t deliveries_ = 0;
};

}  // namespace eyeriss
