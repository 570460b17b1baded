// One iact SRAM bank of a GLB cluster, with the GLB-cluster port its iact router reads through.
// Iact segments from off-chip are either stored here (for reuse by later passes) or passed
// straight on; the controller orders reads of stored segments. Capacity is enforced in bits.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <map>
#include <systemc>
#include <tlm>
#include <tuple>

#include "noc/noc_packet.h"
#include "noc/timing.h"

namespace eyeriss {

class IactBank : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<IactBank> port;  // off-chip data and controller commands
  tlm_utils::simple_target_socket<IactBank> cmd;   // controller orders
  tlm_utils::simple_initiator_socket<IactBank> to_router;

  IactBank(sc_core::sc_module_name name, int64_t capacity_bits, int port_bits);

  int64_t used_bits() const { return used_bits_; }
  int64_t capacity_bits() const { return capacity_bits_; }
  const Timeline& port_timeline() const { return port_tl_; }
  void prune(Cycle c) { port_tl_.prune(c); }
  uint64_t reads = 0, writes = 0, read_bits = 0, write_bits = 0, passthrough = 0;

 private:
  using Key = std::tuple<int, int, int, int, int, int>;  // n, g, ci, h, f0, seg
  static Key key_of(const NocPacket& p);
  void transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void forward(NocPacket& p, Cycle ready, sc_core::sc_time& delay);

  struct Stored {
    NocPacket pkt;
    Cycle written = 0;
  };
  std::map<Key, Stored> store_;
  int64_t capacity_bits_;
  int64_t used_bits_ = 0;
  Timeline port_tl_;
};

}  // namespace eyeriss
