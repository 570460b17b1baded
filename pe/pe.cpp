#include "pe/pe.h"

#include <algorithm>

#include "noc/timing.h"

namespace eyeriss {

Pe::Pe(sc_core::sc_module_name name, const ArchConfig& arch, int row, int col)
    : sc_module(name),
      iact_in("iact_in"),
      weight_in("weight_in"),
      psum_in("psum_in"),
      cfg_in("cfg_in"),
      psum_out("psum_out"),
      arch_(arch),
      core_(arch),
      row_(row),
      col_(col) {
  iact_in.register_b_transport(this, &Pe::iact_transport);
  weight_in.register_b_transport(this, &Pe::weight_transport);
  psum_in.register_b_transport(this, &Pe::psum_transport);
  cfg_in.register_b_transport(this, &Pe::cfg_transport);
}

void Pe::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  NocPacket& p = packet_of(gp);
  PePassConfig cfg = p.pe_cfg;
  cfg.where = name();
  core_.configure(cfg);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Weights and iacts: the PE takes the packet once its SPads have room and answers with the
// cycle the write ends (the ready/enable handshake of the link).
void Pe::weight_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  if (p.query) {
    p.ready = std::max(p.ready, core_.weights_ready_time());
    return;
  }
  const Cycle at = ClockDomain::cycle_of(delay);
  delay = ClockDomain::delay_to(p.csc ? core_.load_weights(p.csc_data, at, p.xfer)
                                      : core_.load_weights_raw(p.raw, at, p.xfer));
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Pe::iact_transport(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  if (p.query) {
    const int n = p.csc ? p.csc_data.entries() : static_cast<int>(p.raw.size());
    p.ready = std::max(p.ready, core_.iact_ready_time(n));
    return;
  }
  const Cycle at = ClockDomain::cycle_of(delay);
  delay = ClockDomain::delay_to(p.csc ? core_.load_iact_segment(p.csc_data, at, p.xfer)
                                      : core_.load_iact_segment_raw(p.raw, at, p.xfer));
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Adds this PE's psums for the next position to the incoming ones and sends the sum up the
// column (the nested call is the psum link to the next PE or to the psum router).
void Pe::psum_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const Cycle arrival = ClockDomain::cycle_of(delay);
  std::vector<int32_t> out;
  const Cycle sent = core_.process_position(p.has_psums ? &p.psums : nullptr, arrival, out);
  NocPacket up = p;
  up.has_psums = core_.config().active || p.has_psums;
  up.psums = std::move(out);
  up.bits = uint64_t(up.psums.size()) * arch_.psum_bits;
  up.xfer = 0;  // the PE already accounted for its output link
  PacketTransaction t(up);
  sc_core::sc_time d = ClockDomain::delay_to(sent);
  psum_out->b_transport(t.gp(), d);
  delay = d;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace eyeriss
