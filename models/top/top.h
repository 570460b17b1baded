// The chip: cluster groups in a cluster_rows x cluster_cols array, the off-chip interface and
// the top-level controller. Instance names follow the chip: top.cg_r3_c1.router.iact1,
// top.cg_r3_c1.pe_cluster.pe_r2_c0.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/cluster/cluster_group.h"
#include "models/common/arch_config.h"
#include "models/common/newest_first.h"
#include "models/controller/controller.h"
#include "models/dram/offchip.h"

namespace eyeriss {

// Action counts of the whole chip, snapshotted before and after each layer: per-PE stats and
// named counters ("glb.iact.reads", "noc.iact.mesh_bits", ...) that the energy model re-costs.
struct ChipCounters {
  std::vector<PeStats> pe;  // [cluster * P + pe]
  std::map<std::string, uint64_t> c;
  // Outgoing mesh-link bits per router cluster, summed over the routers of each type:
  // iact [N, S, W, E], weight [W, E], psum [south].
  std::vector<std::vector<uint64_t>> link_iact, link_weight, link_psum;
};

class Top : private RegistryAnchor, public sc_core::sc_module {
 public:
  OffChip offchip;
  Controller controller;
  std::vector<std::unique_ptr<ClusterGroup>> groups;  // [row * cluster_cols + col]

  Top(sc_core::sc_module_name name, const ArchConfig& arch);
  ChipCounters counters() const;
  ~Top() override {
    release_anchors();
    destroy_newest_first(groups);
  }
  ClusterGroup& group(int row, int col) { return *groups[row * arch_.cluster_cols + col]; }
  // Blocks that still hold work, and links offering packets nobody takes (deadlock reports).
  std::vector<std::string> busy_blocks() const;

 private:
  ArchConfig arch_;
  void wire_mesh();
};

}  // namespace eyeriss
