// The top-level controller: runs one layer program after another by sending orders to the
// off-chip interface and the GLB banks and per-pass configuration to PEs and psum routers.
// It never touches data itself; data moves memory -> router -> PE -> router -> memory.
// It is an ideal sequencer: every order is issued at the layer's start and waits only on the
// resources it uses (links, bank ports, SPad space), in program order per resource.
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <deque>
#include <functional>
#include <map>
#include <systemc>
#include <tlm>
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
  // The NoC as configured for the layer: per data type the routers' mode and the chip-level
  // pattern the sharing of data between clusters forms.
  std::string iact_mode, weight_mode, iact_pattern, weight_pattern;
};

class Controller : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Controller> to_offchip;
  tlm_utils::multi_passthrough_initiator_socket<Controller> to_iact_bank;  // [cl*banks + b]
  tlm_utils::multi_passthrough_initiator_socket<Controller> to_psum_bank;  // [cl*cols + j]
  tlm_utils::multi_passthrough_initiator_socket<Controller> cfg;           // [cl*(P+cols) + ...]

  SC_HAS_PROCESS(Controller);
  Controller(sc_core::sc_module_name name, const ArchConfig& arch, OffChip& offchip);

  // Called from the controller's thread: returns the next job or nullptr when done; then
  // `done` is called with each finished job.
  std::function<LayerJob*()> next_job;
  std::function<void(LayerJob&)> job_done;
  // Called at each layer's start cycle: resources may forget their history before it.
  std::function<void(Cycle)> layer_start;

 private:
  // One step: the passes all clusters run together, and the data they share.
  struct StreamPlan {
    IactStreamKey key;
    int cc = 0, fc = 0, home = 0, bank = 0;
    std::vector<ClusterDest> dests;
  };
  struct BlockPlan {
    int src = 0, row = 0;  // source cluster (its GLB port brings the block from off-chip), PE row
    int g = 0, m_base = 0, mc = 0, c_base = 0, cc = 0, r = 0;
    std::vector<ClusterDest> dests;
  };
  struct StepPlan {
    std::size_t first = 0, end = 0;  // passes [first, end) of the program
    std::vector<BlockPlan> blocks;
    std::vector<StreamPlan> streams;
  };

  void run();
  void run_layer(LayerJob& job);
  StepPlan plan_step(const LayerProgram& prog, std::size_t first, std::size_t end) const;
  void choose_sharing(std::vector<StepPlan>& steps, const LayerProgram& prog) const;
  void configure_noc(const std::vector<StepPlan>& steps, LayerJob& job, Cycle t0);
  void run_step(const LayerProgram& prog, const StepPlan& step, LayerJob& job, Cycle t0,
                Cycle& end);
  bool glb_holds(const StreamPlan& s, LayerJob& job, bool& store, Cycle t0);
  // Indices into `cfg`: per cluster the iact routers, weight routers, PEs, psum routers.
  int cfg_stride() const;
  int cfg_iact_router(int cl, int i) const { return cl * cfg_stride() + i; }
  int cfg_weight_router(int cl, int i) const { return cl * cfg_stride() + arch_.iact_routers + i; }
  int cfg_pe(int cl, int idx) const {
    return cl * cfg_stride() + arch_.iact_routers + arch_.weight_routers + idx;
  }
  int cfg_psum_router(int cl, int j) const { return cfg_pe(cl, arch_.pes_per_cluster()) + j; }
  Cycle send_to(tlm_utils::multi_passthrough_initiator_socket<Controller>& s, int idx, NocPacket& p,
                Cycle at);
  Cycle send_offchip(NocPacket& p, Cycle at);

  // The controller's directory of iact streams kept in each GLB iact bank (FIFO eviction).
  struct StoredStream {
    IactStreamKey key;
    int cc = 0;
    int64_t bits = 0;
    int step = 0;  // the step that stored it
  };
  struct BankDir {
    std::deque<StoredStream> fifo;
    int64_t used = 0;
  };
  std::vector<BankDir> dirs_;  // [cluster * banks + b]

  ArchConfig arch_;
  OffChip& offchip_;
  int current_step_ = 0;
  tlm_utils::tlm_quantumkeeper qk_;
};

}  // namespace eyeriss
