// A router of the hierarchical mesh (iact or weight router). Its local input is the GLB-cluster
// port (a GLB bank, or off-chip data for weights); its local output is the bus to its PEs (all
// of the cluster's PEs for an iact router: the all-to-all link; one PE row for a weight
// router), where each PE takes the packets whose IDs match its configuration. Mesh ports link
// it to the same router of the neighbouring router clusters: N/S (iact routers only) and W/E.
//
// Circuit switched: the per-layer configuration (RouterConfig, like the chip's command bits)
// says which outputs each input drives; a packet goes to exactly those, whatever it carries.
// Each input has a buffer of `buffer_packets` packets; a packet is forwarded `hop_cycles`
// after its first word arrived (cut-through) and leaves the buffer once every output it is
// sent on has taken it. Outputs drive one link each, in the order packets arrived.
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>

#include <array>
#include <deque>
#include <string>
#include <systemc>
#include <tlm>

#include "models/common/arch_config.h"
#include "models/common/fifo.h"
#include "models/mapper/program.h"
#include "noc/link.h"
#include "noc/link_socket.h"
#include "noc/router_mode.h"

namespace eyeriss {

struct MeshPosition {
  int row = 0, col = 0;  // this router cluster in the cluster array (row 0 = north)
  int rows = 1, cols = 1;
  int index() const { return row * cols + col; }
};

struct RouterParams {
  DataType type = DataType::Iact;
  bool vertical_links = true;
  int link_bits = 24;
  int hop_cycles = 1;
  int buffer_packets = 2;
  static RouterParams iact(const ArchConfig& a);
  static RouterParams weight(const ArchConfig& a);
};

class MeshRouter : public sc_core::sc_module, public LinkOwner {
 public:
  // Mesh ports: one neighbour each, none at the array's edge.
  using InSocket = LinkTargetSocket<MeshRouter, sc_core::SC_ZERO_OR_MORE_BOUND>;
  using OutSocket = LinkInitiatorSocket<MeshRouter, sc_core::SC_ZERO_OR_MORE_BOUND>;

  LinkTargetSocket<MeshRouter> in_local;                            // GLB-cluster port
  LinkTargetSocket<MeshRouter> cfg_in;                              // per-layer RouterConfig
  tlm_utils::multi_passthrough_initiator_socket<MeshRouter> to_pe;  // bus to the PEs
  InSocket from_n, from_s, from_w, from_e;
  OutSocket to_n, to_s, to_w, to_e;

  MeshRouter(sc_core::sc_module_name name, MeshPosition pos, const RouterParams& p);

  // Rejects settings the router cannot have (an output with no neighbour, vertical links on
  // a weight router, an output driven from two inputs). Also through cfg_in.
  void configure(const RouterConfig& c);
  const RouterConfig& config() const { return cfg_; }
  RouterMode mode() const { return cfg_.mode(); }
  const LinkStats& link(Port p) const { return out_[static_cast<int>(p)].stats(); }
  const MeshPosition& position() const { return pos_; }
  bool has_neighbour(Port p) const;
  // The ID table of the PEs on its bus (they fill it when configured).
  IdTable& pe_ids() { return pe_ids_; }
  bool idle() const;

 private:
  // A packet in an input buffer (its contents travel in the output links' queues).
  struct Entry {
    uint64_t seq = 0;
    int pending = 0;         // outputs still to take it
    Cycle last_end = 0;      // latest end of the outputs that took it
    Cycle free_at = kNever;  // leaves the buffer (known once every output took it)
  };
  tlm::tlm_sync_enum fw(Port in, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                        sc_core::sc_time& d);
  tlm::tlm_sync_enum local_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                              sc_core::sc_time& d) {
    return fw(Port::Local, gp, ph, d);
  }
  template <Port P>
  tlm::tlm_sync_enum mesh_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                             sc_core::sc_time& d) {
    return fw(P, gp, ph, d);
  }
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d);
  void end_of_elaboration() override;
  void decide(Cycle t);
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;
  OutSocket* mesh_out(Port p);
  tlm::tlm_bw_transport_if<>* back(Port in);

  MeshPosition pos_;
  RouterParams p_;
  RouterConfig cfg_;
  DecisionPhase dp_;
  std::array<LinkIn, kPorts> in_;
  std::array<Fifo<Entry>, kPorts> fifo_;
  std::array<LinkOut, kPorts> out_;  // Local = the PE bus
  uint64_t seq_ = 0;
  bool full_ = false;  // an input found its buffer full at the last decision
  IdTable pe_ids_;
};

}  // namespace eyeriss
