#include "noc/psum_router.h"

#include <string>

#include "models/common/trace.h"

namespace eyeriss {

PsumRouter::PsumRouter(sc_core::sc_module_name name, int link_bits, int hop_cycles)
    : sc_module(name),
      from_glb("from_glb"),
      from_pe("from_pe"),
      cfg_in("cfg_in"),
      from_north("from_north"),
      to_pe("to_pe"),
      to_glb("to_glb"),
      to_offchip("to_offchip"),
      to_south("to_south"),
      hop_cycles_(hop_cycles) {
  to_pe_link_.width_bits = link_bits;
  south_link_.width_bits = link_bits;
  from_glb.register_b_transport(this, &PsumRouter::glb_transport);
  from_north.register_b_transport(this, &PsumRouter::north_transport);
  from_pe.register_b_transport(this, &PsumRouter::pe_transport);
  cfg_in.register_b_transport(this, &PsumRouter::cfg_transport);
}

void PsumRouter::configure(Source in, Sink out) {
  if (in == Source::North && !has_north_)
    SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) +
                                    ": configured to take psums from the north, but there is no "
                                    "router cluster to the north")
                                       .c_str());
  if (out == Sink::South && to_south.size() == 0)
    SC_REPORT_ERROR("eyeriss/noc", (std::string(name()) +
                                    ": configured to send psums south, but there is no router "
                                    "cluster to the south")
                                       .c_str());
  source_ = in;
  sink_ = out;
}

void PsumRouter::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  const int m = packet_of(gp).router_mode;
  configure(static_cast<Source>(m & 0xf), static_cast<Sink>(m >> 4));
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void PsumRouter::into_column(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const Cycle arrival = ClockDomain::cycle_of(delay) + hop_cycles_;
  const Cycle xfer = to_pe_link_.cycles_for(p.bits);
  const Cycle start = to_pe_link_.reserve(arrival, xfer, p.bits);
  if (Trace::get().on())
    Trace::get().add(std::string(name()) + ".to_pe", "psum", "noc", start, start + xfer);
  p.xfer = xfer;
  sc_core::sc_time d = ClockDomain::delay_to(start + xfer);
  to_pe->b_transport(gp, d);  // travels up the PE column and back through from_pe
  delay = d;
}

void PsumRouter::glb_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  if (source_ != Source::Glb)
    SC_REPORT_ERROR("eyeriss/noc",
                    (std::string(name()) + ": psums from the GLB while set to take them from "
                                           "the north")
                        .c_str());
  into_column(gp, delay);
}

void PsumRouter::north_transport(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  if (source_ != Source::North)
    SC_REPORT_ERROR("eyeriss/noc",
                    (std::string(name()) + ": psums from the north while set to take them from "
                                           "its GLB bank")
                        .c_str());
  into_column(gp, delay);
}

void PsumRouter::pe_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  ++up_packets_;
  delay = ClockDomain::delay_to(ClockDomain::cycle_of(delay) + hop_cycles_);
  switch (sink_) {
    case Sink::Offchip:
      to_offchip->b_transport(gp, delay);
      return;
    case Sink::Glb:
      to_glb->b_transport(gp, delay);
      return;
    case Sink::South: {
      NocPacket& p = packet_of(gp);
      const Cycle xfer = south_link_.cycles_for(p.bits);
      const Cycle start = south_link_.reserve(ClockDomain::cycle_of(delay), xfer, p.bits);
      if (Trace::get().on())
        Trace::get().add(std::string(name()) + ".south", "psum", "noc", start, start + xfer);
      delay = ClockDomain::delay_to(start + xfer);
      to_south[0]->b_transport(gp, delay);
      return;
    }
  }
}

}  // namespace eyeriss
