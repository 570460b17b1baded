// Psum router (one per PE column): psums from its GLB psum bank go to the bottom PE of the
// column; psums from the top PE go back to the bank (partial) or off-chip (final), set per pass
// like the chip's static router configuration.
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "noc/noc_packet.h"
#include "noc/timing.h"

namespace eyeriss {

class PsumRouter : public sc_core::sc_module {
 public:
  enum Mode { ToGlb = 0, ToOffchip = 1 };

  tlm_utils::simple_target_socket<PsumRouter> from_glb;
  tlm_utils::simple_target_socket<PsumRouter> from_pe;  // top PE of the column
  tlm_utils::simple_target_socket<PsumRouter> cfg_in;
  tlm_utils::simple_initiator_socket<PsumRouter> to_pe;  // bottom PE of the column
  tlm_utils::simple_initiator_socket<PsumRouter> to_glb;
  tlm_utils::simple_initiator_socket<PsumRouter> to_offchip;

  PsumRouter(sc_core::sc_module_name name, int link_bits, int hop_cycles);

  const Timeline& pe_link() const { return to_pe_link_; }
  uint64_t packets_up() const { return up_packets_; }

 private:
  void glb_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void pe_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

  Timeline to_pe_link_;
  int hop_cycles_;
  Mode mode_ = ToGlb;
  uint64_t up_packets_ = 0;
};

}  // namespace eyeriss
