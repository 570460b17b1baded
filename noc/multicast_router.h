// A router whose local side fans out to a set of PEs over one shared link (iact routers: all
// PEs of the cluster through the all-to-all link; weight routers: one PE row). A packet goes to
// every PE in its destination mask in one transfer (multicast); the link is held until the
// slowest destination has accepted it (ready handshake).
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <string>

#include "noc/noc_packet.h"
#include "noc/timing.h"

namespace eyeriss {

class MulticastRouter : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MulticastRouter> in_local;  // GLB port / off-chip
  tlm_utils::multi_passthrough_initiator_socket<MulticastRouter> to_pe;

  // PE bit b of a destination mask is to_pe[b - first_pe_bit].
  MulticastRouter(sc_core::sc_module_name name, int link_bits, int hop_cycles, int first_pe_bit);

  const Timeline& local_link() const { return link_; }
  uint64_t pe_deliveries() const { return deliveries_; }

 private:
  void transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

  Timeline link_;
  int hop_cycles_;
  int first_pe_bit_;
  uint64_t deliveries_ = 0;
};

}  // namespace eyeriss
