// Psum router (one per PE column of a cluster). Inputs: its GLB psum bank, the psum router of
// the cluster to the north, the top PE of its column. Outputs: the bottom PE of its column, the
// psum router of the cluster to the south, its GLB psum bank, and (for final outputs) off-chip.
// Psums accumulate vertically only: up a PE column, then north to south between clusters.
// Which input feeds the column and where the column's sum goes is set per pass.
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "noc/noc_packet.h"
#include "noc/timing.h"

namespace eyeriss {

class PsumRouter : public sc_core::sc_module {
 public:
  enum class Source : uint8_t { Glb = 0, North = 1 };
  enum class Sink : uint8_t { Glb = 0, Offchip = 1, South = 2 };
  static int encode(Source in, Sink out) { return int(in) | int(out) << 4; }

  using InSocket =
      tlm_utils::multi_passthrough_target_socket_optional<PsumRouter, 32,
                                                          tlm::tlm_base_protocol_types, 1>;
  using OutSocket =
      tlm_utils::multi_passthrough_initiator_socket_optional<PsumRouter, 32,
                                                             tlm::tlm_base_protocol_types, 1>;

  tlm_utils::simple_target_socket<PsumRouter> from_glb;
  tlm_utils::simple_target_socket<PsumRouter> from_pe;  // top PE of the column
  tlm_utils::simple_target_socket<PsumRouter> cfg_in;
  InSocket from_north;
  tlm_utils::simple_initiator_socket<PsumRouter> to_pe;  // bottom PE of the column
  tlm_utils::simple_initiator_socket<PsumRouter> to_glb;
  tlm_utils::simple_initiator_socket<PsumRouter> to_offchip;
  OutSocket to_south;

  PsumRouter(sc_core::sc_module_name name, int link_bits, int hop_cycles);

  Source source() const { return source_; }
  Sink sink() const { return sink_; }
  void configure(Source in, Sink out);
  // Set by the mesh wiring: a psum router of the cluster to the north feeds from_north. (An
  // unbound multi-target socket still reports size() 1, so the socket cannot tell.)
  void set_has_north(bool v) { has_north_ = v; }
  const Timeline& pe_link() const { return to_pe_link_; }
  void prune(Cycle c) {
    to_pe_link_.prune(c);
    south_link_.prune(c);
  }
  const Timeline& south_link() const { return south_link_; }
  uint64_t packets_up() const { return up_packets_; }

 private:
  void glb_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void north_transport(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void into_column(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void pe_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

  Timeline to_pe_link_, south_link_;
  int hop_cycles_;
  Source source_ = Source::Glb;
  Sink sink_ = Sink::Glb;
  uint64_t up_packets_ = 0;
  bool has_north_ = false;
};

}  // namespace eyeriss
