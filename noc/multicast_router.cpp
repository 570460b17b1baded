#include "noc/multicast_router.h"

namespace eyeriss {

MulticastRouter::MulticastRouter(sc_core::sc_module_name name, int link_bits, int hop_cycles,
                                 int first_pe_bit)
    : sc_module(name), in_local("in_local"), to_pe("to_pe"), hop_cycles_(hop_cycles),
      first_pe_bit_(first_pe_bit) {
  link_.width_bits = link_bits;
  in_local.register_b_transport(this, &MulticastRouter::transport);
}

void MulticastRouter::transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const Cycle arrival = ClockDomain::cycle_of(delay) + hop_cycles_;
  const Cycle xfer = link_.cycles_for(p.bits);
  const Cycle start = link_.probe(arrival, xfer);
  Cycle end = start + xfer;
  p.xfer = xfer;
  const unsigned ports = to_pe.size();
  for (unsigned b = 0; b < 32; ++b) {
    if (!(p.dest_mask >> b & 1u)) continue;
    const int idx = static_cast<int>(b) - first_pe_bit_;
    if (idx < 0 || idx >= static_cast<int>(ports)) {
      SC_REPORT_ERROR("eyeriss/noc",
                      (std::string(name()) + ": destination PE bit " + std::to_string(b) +
                       " is not reachable from this router")
                          .c_str());
      continue;
    }
    sc_core::sc_time d = ClockDomain::delay_to(start);
    to_pe[idx]->b_transport(gp, d);
    end = std::max(end, ClockDomain::cycle_of(d));
    ++deliveries_;
  }
  // The link is held from the start until the last destination has taken the packet.
  link_.reserve(start, end - start, p.bits);
  delay = ClockDomain::delay_to(end);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace eyeriss
