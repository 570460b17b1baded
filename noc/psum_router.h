// Psum router (one per PE column of a cluster). Inputs: its GLB psum bank, the psum router of
// the cluster to the north, the top PE of its column. Outputs: the bottom PE of its column, the
// psum router of the cluster to the south, its GLB psum bank, and (final outputs) off-chip.
// Psums accumulate vertically only: up a PE column, then north to south between clusters.
// Per pass, the layer program says which input feeds the column and where the column's sums
// go, and how many rows each way; the router follows that list. Two independent paths (into
// the column, out of it), each with a buffer of `buffer_packets` rows and a register stage.
#pragma once

#include <deque>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/fifo.h"
#include "models/mapper/program.h"
#include "noc/link.h"
#include "noc/link_socket.h"

namespace eyeriss {

struct PsumRouterParams {
  int link_bits = 40;
  int hop_cycles = 1;
  int buffer_packets = 2;
  static PsumRouterParams from(const ArchConfig& a) {
    return {a.psum_link_bits, a.router_hop_cycles, a.router_buffer_packets};
  }
};

class PsumRouter : public sc_core::sc_module, public LinkOwner {
 public:
  // The column's links to the neighbouring psum routers: none at the array's edge.
  using InSocket = LinkTargetSocket<PsumRouter, sc_core::SC_ZERO_OR_MORE_BOUND>;
  using OutSocket = LinkInitiatorSocket<PsumRouter, sc_core::SC_ZERO_OR_MORE_BOUND>;

  LinkTargetSocket<PsumRouter> from_glb;
  LinkTargetSocket<PsumRouter> from_pe;  // top PE of the column
  LinkTargetSocket<PsumRouter> cfg_in;
  InSocket from_north;
  LinkInitiatorSocket<PsumRouter> to_pe;  // bottom PE of the column
  LinkInitiatorSocket<PsumRouter> to_glb;
  LinkInitiatorSocket<PsumRouter> to_offchip;
  OutSocket to_south;

  PsumRouter(sc_core::sc_module_name name, const PsumRouterParams& p);

  // Set by the mesh wiring: which neighbours exist (an unbound optional socket cannot tell).
  void set_neighbours(bool north, bool south) {
    has_north_ = north;
    has_south_ = south;
  }
  // The layer's passes for this column; rejects a source or sink with no neighbour.
  void configure(const std::vector<PsumRouterPass>& passes, Cycle start);
  const LinkStats& pe_link() const { return to_pe_.stats(); }
  const LinkStats& south_link() const { return to_south_.stats(); }
  uint64_t packets_up() const { return up_; }
  bool idle() const;
  std::string state() const;

 private:
  struct Path {
    std::size_t pass = 0;                   // cursor into the program
    int rows = 0;                           // rows of that pass moved so far
    Fifo<std::pair<uint64_t, Cycle>> held;  // (seq, free_at) of buffered rows
  };
  tlm::tlm_sync_enum glb_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& d) {
    return in_glb_.forward(gp, ph, d, from_glb.operator->(), dp_);
  }
  tlm::tlm_sync_enum north_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                              sc_core::sc_time& d) {
    return in_north_.forward(gp, ph, d, from_north[0], dp_);
  }
  tlm::tlm_sync_enum pe_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& d) {
    return in_pe_.forward(gp, ph, d, from_pe.operator->(), dp_);
  }
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d);
  void end_of_elaboration() override;
  void decide(Cycle t);
  bool move(Cycle t, Path& path, bool into);
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;

  PsumRouterParams p_;
  DecisionPhase dp_;
  LinkIn in_glb_, in_north_, in_pe_;
  LinkOut to_pe_, to_south_, to_glb_, to_offchip_;
  const std::vector<PsumRouterPass>* prog_ = nullptr;
  Path into_, out_;
  uint64_t seq_ = 0, up_ = 0;
  bool has_north_ = false, has_south_ = false;
};

}  // namespace eyeriss
