// The top-level controller: runs one layer after another. For each layer it loads the layer's
// command into every block through its configuration sockets (the static router settings and
// each block's part of the program the mapper built), which costs the command's bits over the
// configuration bus, then waits until the off-chip port reports the last output written. It
// never touches data or tensors and decides nothing: the mapper made the program, the blocks
// run it with their own handshakes.
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>

#include <functional>
#include <memory>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/cycle.h"
#include "models/dram/offchip.h"
#include "models/glb/iact_bank.h"
#include "models/mapper/mapping.h"
#include "noc/link_socket.h"

namespace eyeriss {

struct LayerJob {
  const LayerProgram* prog = nullptr;
  LayerData* data = nullptr;
  Cycle start = 0, end = 0;  // filled by the controller
};

// What the controller's cfg socket with a given index configures (Top binds them in order).
struct CfgTarget {
  enum class Kind : uint8_t {
    IactRouter,
    WeightRouter,
    Pe,
    PsumRouter,
    IactBank,
    PsumBank,
    OffChip
  };
  Kind kind;
  int index;  // within its kind, cluster-major
};

class Controller : public sc_core::sc_module {
 public:
  using CfgSocket = tlm_utils::multi_passthrough_initiator_socket<Controller>;
  // The configuration bus, as `cfg_ports` sockets (Top uses one per cluster group and one for
  // the off-chip port) each bound to some blocks' cfg_in: SystemC checks every new binding of a
  // port against all its earlier ones, which on one socket for a 16,384-PE chip's ~36,000
  // blocks took a tenth of its build time.
  std::vector<std::unique_ptr<CfgSocket>> cfg;
  LinkTargetSocket<Controller> done_in;  // from the off-chip port

  SC_HAS_PROCESS(Controller);
  // `config_cycles`: loading a layer's command (ArchConfig::layer_config_cycles).
  Controller(sc_core::sc_module_name name, Cycle config_cycles, int cfg_ports = 1);

  // Binds a block's configuration socket to cfg port `port`; the block is configured with the
  // part of each layer's program `t` names, in the order of these calls.
  template <class Socket>
  void add_target(int port, Socket& block_cfg, CfgTarget t) {
    cfg.at(port)->bind(block_cfg);
    targets_.push_back({t, port, bound_[port]++});
  }
  // Test hook: issue each layer's configuration transactions in a shuffled order (seed != 0).
  void shuffle_issue(uint64_t seed) { shuffle_seed_ = seed; }

  // Called from the controller's thread: the next job or nullptr when done; then `job_done`
  // with each finished job.
  std::function<LayerJob*()> next_job;
  std::function<void(LayerJob&)> job_done;

 private:
  void run();
  void run_layer(LayerJob& job);
  const void* part_of(const LayerProgram& prog, const CfgTarget& t) const;
  void done_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d);

  struct Target {
    CfgTarget what;
    int port, binding;
  };
  Cycle config_cycles_;
  std::vector<Target> targets_;
  std::vector<int> bound_;  // bindings per cfg port
  uint64_t shuffle_seed_ = 0;
  int layer_ = 0;
  sc_core::sc_event done_ev_;
  std::vector<IactBankProgram> bank_progs_;
};

}  // namespace eyeriss
