// One psum SRAM bank of a GLB cluster (one per PE column). Holds the partial psum rows of the
// row tasks in flight between reduction passes; capacity enforced in psum entries.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <map>
#include <systemc>
#include <tlm>
#include <utility>

#include "noc/noc_packet.h"
#include "noc/timing.h"

namespace eyeriss {

class PsumBank : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<PsumBank> port;  // psum writes and controller commands
  tlm_utils::simple_target_socket<PsumBank> cmd;   // controller orders
  tlm_utils::simple_initiator_socket<PsumBank> to_router;

  PsumBank(sc_core::sc_module_name name, int64_t capacity_entries, int port_bits, int psum_bits);

  int64_t used_entries() const { return used_; }
  const Timeline& port_timeline() const { return port_tl_; }
  void prune(Cycle c) { port_tl_.prune(c); }
  uint64_t reads = 0, writes = 0, read_bits = 0, write_bits = 0;

 private:
  void transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

  struct Row {
    std::vector<int32_t> psums;
    Cycle written = 0;
  };
  std::map<std::pair<int, int>, Row> rows_;  // (task, f)
  int64_t capacity_;
  int64_t used_ = 0;
  int psum_bits_;
  Timeline port_tl_;
};

}  // namespace eyeriss
