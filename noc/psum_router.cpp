#include "noc/psum_router.h"

namespace eyeriss {

PsumRouter::PsumRouter(sc_core::sc_module_name name, int link_bits, int hop_cycles)
    : sc_module(name), from_glb("from_glb"), from_pe("from_pe"), cfg_in("cfg_in"),
      to_pe("to_pe"), to_glb("to_glb"), to_offchip("to_offchip"), hop_cycles_(hop_cycles) {
  to_pe_link_.width_bits = link_bits;
  from_glb.register_b_transport(this, &PsumRouter::glb_transport);
  from_pe.register_b_transport(this, &PsumRouter::pe_transport);
  cfg_in.register_b_transport(this, &PsumRouter::cfg_transport);
}

void PsumRouter::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  mode_ = static_cast<Mode>(packet_of(gp).router_mode);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void PsumRouter::glb_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const Cycle arrival = ClockDomain::cycle_of(delay) + hop_cycles_;
  const Cycle xfer = to_pe_link_.cycles_for(p.bits);
  const Cycle start = to_pe_link_.reserve(arrival, xfer, p.bits);
  p.xfer = xfer;
  sc_core::sc_time d = ClockDomain::delay_to(start + xfer);
  to_pe->b_transport(gp, d);  // travels up the PE column and back through from_pe
  delay = d;
}

void PsumRouter::pe_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  ++up_packets_;
  delay = ClockDomain::delay_to(ClockDomain::cycle_of(delay) + hop_cycles_);
  if (mode_ == ToOffchip)
    to_offchip->b_transport(gp, delay);
  else
    to_glb->b_transport(gp, delay);
}

}  // namespace eyeriss
