// The chip: cluster groups in a cluster_rows x cluster_cols array, the off-chip interface and
// the top-level controller. Instance names follow the chip: top.cg_r3_c1.router.iact1,
// top.cg_r3_c1.pe_cluster.pe_r2_c0.
#pragma once
#include <systemc>

#include <memory>
#include <vector>

#include "models/cluster/cluster_group.h"
#include "models/common/arch_config.h"
#include "models/controller/controller.h"
#include "models/dram/offchip.h"

namespace eyeriss {

// Action counts of the whole chip, snapshotted before and after each layer.
struct ChipCounters {
  std::vector<PeStats> pe;  // [cluster * P + pe]
  uint64_t offchip_iact_bits = 0, offchip_weight_bits = 0, offchip_oact_bits = 0;
  uint64_t glb_iact_reads = 0, glb_iact_writes = 0, glb_iact_read_bits = 0,
           glb_iact_write_bits = 0, glb_iact_passthrough = 0;
  uint64_t glb_psum_reads = 0, glb_psum_writes = 0, glb_psum_read_bits = 0,
           glb_psum_write_bits = 0;
  uint64_t iact_link_packets = 0, iact_link_bits = 0, iact_pe_deliveries = 0;
  uint64_t weight_link_packets = 0, weight_link_bits = 0, weight_pe_deliveries = 0;
  uint64_t psum_link_packets = 0;
};

class Top : public sc_core::sc_module {
 public:
  OffChip offchip;
  Controller controller;
  std::vector<std::unique_ptr<ClusterGroup>> groups;  // [row * cluster_cols + col]

  Top(sc_core::sc_module_name name, const ArchConfig& arch);
  ChipCounters counters() const;
  ClusterGroup& group(int row, int col) { return *groups[row * arch_.cluster_cols + col]; }

 private:
  ArchConfig arch_;
  void wire_mesh();
};

}  // namespace eyeriss
