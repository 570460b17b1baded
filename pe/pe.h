// The sparse PE as an sc_module: TLM sockets for iacts, weights and psums in, psums out, and
// the per-pass configuration. The datapath and cycle model live in PeCore (pe_compute.h).
#pragma once
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "models/common/arch_config.h"
#include "noc/noc_packet.h"
#include "pe/pe_compute.h"

namespace eyeriss {

class Pe : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Pe> iact_in;  // from every iact router
  tlm_utils::simple_target_socket<Pe> weight_in;
  tlm_utils::simple_target_socket<Pe> psum_in;  // from the PE below, or the psum router
  tlm_utils::simple_target_socket<Pe> cfg_in;
  tlm_utils::simple_initiator_socket<Pe> psum_out;  // to the PE above, or the psum router

  Pe(sc_core::sc_module_name name, const ArchConfig& arch, int row, int col);

  const PeCore& core() const { return core_; }
  int row() const { return row_; }
  int col() const { return col_; }

 private:
  void iact_transport(int router, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void weight_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void psum_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

  ArchConfig arch_;
  PeCore core_;
  int row_, col_;
};

}  // namespace eyeriss
