// The top-level controller: runs one layer program after another by sending orders to the
// off-chip interface and the GLB banks and per-pass configuration to PEs and psum routers.
// It never touches data itself; data moves memory -> router -> PE -> router -> memory.
// It is an ideal sequencer: every order is issued at the layer's start and waits only on the
// resources it uses (links, bank ports, SPad space), in program order per resource.
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <deque>
#include <functional>
#include <map>
#include <tuple>

#include "models/common/arch_config.h"
#include "models/dram/offchip.h"
#include "models/mapper/mapping.h"
#include "noc/noc_packet.h"

namespace eyeriss {

struct LayerJob {
  const LayerProgram* prog = nullptr;
  LayerData* data = nullptr;
  Cycle start = 0, end = 0;  // filled by the controller
  uint64_t iact_streams_stored = 0, iact_streams_reused = 0, iact_streams_passed = 0;
};

class Controller : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Controller> to_offchip;
  tlm_utils::multi_passthrough_initiator_socket<Controller> to_iact_bank;  // [cl*banks + b]
  tlm_utils::multi_passthrough_initiator_socket<Controller> to_psum_bank;  // [cl*cols + j]
  tlm_utils::multi_passthrough_initiator_socket<Controller> cfg;  // [cl*(P+cols) + ...]

  SC_HAS_PROCESS(Controller);
  Controller(sc_core::sc_module_name name, const ArchConfig& arch, OffChip& offchip);

  // Called from the controller's thread: returns the next job or nullptr when done; then
  // `done` is called with each finished job.
  std::function<LayerJob*()> next_job;
  std::function<void(LayerJob&)> job_done;

 private:
  void run();
  void run_layer(LayerJob& job);
  Cycle send_to(tlm_utils::multi_passthrough_initiator_socket<Controller>& s, int idx,
                NocPacket& p, Cycle at);

  // The controller's directory of iact streams kept in each GLB iact bank (FIFO eviction).
  struct StoredStream {
    IactStreamKey key;
    int cc = 0;
    int64_t bits = 0;
  };
  struct BankDir {
    std::deque<StoredStream> fifo;
    int64_t used = 0;
  };
  std::vector<BankDir> dirs_;  // [cluster * banks + b]

  ArchConfig arch_;
  OffChip& offchip_;
  tlm_utils::tlm_quantumkeeper qk_;
};

}  // namespace eyeriss
