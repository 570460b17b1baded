#include "models/top/top.h"

#include <string>

namespace eyeriss {

Top::Top(sc_core::sc_module_name name, const ArchConfig& a)
    : sc_module(name), offchip("offchip", a), controller("controller", a, offchip), arch_(a) {
  controller.to_offchip.bind(offchip.cmd);
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c)
      groups.push_back(std::make_unique<ClusterGroup>(
          ("cg_r" + std::to_string(r) + "_c" + std::to_string(c)).c_str(), a,
          MeshPosition{r, c, a.cluster_rows, a.cluster_cols}));
  // Socket index order is cluster-major everywhere (see Controller and OffChip).
  for (auto& g : groups) {
    for (auto& b : g->glb.iact) {
      offchip.to_iact_bank.bind(b->port);
      controller.to_iact_bank.bind(b->cmd);
    }
    for (auto& w : g->router.weight) offchip.to_weight_router.bind(w->in_local);
    for (auto& r : g->router.iact) controller.cfg.bind(r->cfg_in);
    for (auto& r : g->router.weight) controller.cfg.bind(r->cfg_in);
    for (auto& b : g->glb.psum) controller.to_psum_bank.bind(b->cmd);
    for (auto& pe : g->pe_cluster.pes) controller.cfg.bind(pe->cfg_in);
    for (auto& p : g->router.psum) {
      controller.cfg.bind(p->cfg_in);
      p->to_offchip.bind(offchip.out_in);
    }
  }
  wire_mesh();
}

// The hierarchical mesh between router clusters: iact routers N/S/W/E, weight routers W/E
// only, psum routers north-to-south only. Edge routers leave the missing ports unbound.
void Top::wire_mesh() {
  const ArchConfig& a = arch_;
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c) {
      RouterCluster& here = group(r, c).router;
      if (c + 1 < a.cluster_cols) {
        RouterCluster& east = group(r, c + 1).router;
        for (int i = 0; i < a.iact_routers; ++i) {
          here.iact[i]->to_e.bind(east.iact[i]->from_w);
          east.iact[i]->to_w.bind(here.iact[i]->from_e);
        }
        for (int i = 0; i < a.weight_routers; ++i) {
          here.weight[i]->to_e.bind(east.weight[i]->from_w);
          east.weight[i]->to_w.bind(here.weight[i]->from_e);
        }
      }
      if (r + 1 < a.cluster_rows) {
        RouterCluster& south = group(r + 1, c).router;
        for (int i = 0; i < a.iact_routers; ++i) {
          here.iact[i]->to_s.bind(south.iact[i]->from_n);
          south.iact[i]->to_n.bind(here.iact[i]->from_s);
        }
        for (int j = 0; j < a.psum_routers; ++j) here.psum[j]->to_south.bind(south.psum[j]->from_north);
      }
    }
}

ChipCounters Top::counters() const {
  ChipCounters k;
  k.offchip_iact_bits = offchip.iact_bits;
  k.offchip_weight_bits = offchip.weight_bits;
  k.offchip_oact_bits = offchip.oact_bits;
  for (const auto& g : groups) {
    for (const auto& pe : g->pe_cluster.pes) k.pe.push_back(pe->core().stats());
    for (const auto& b : g->glb.iact) {
      k.glb_iact_reads += b->reads;
      k.glb_iact_writes += b->writes;
      k.glb_iact_read_bits += b->read_bits;
      k.glb_iact_write_bits += b->write_bits;
      k.glb_iact_passthrough += b->passthrough;
    }
    for (const auto& b : g->glb.psum) {
      k.glb_psum_reads += b->reads;
      k.glb_psum_writes += b->writes;
      k.glb_psum_read_bits += b->read_bits;
      k.glb_psum_write_bits += b->write_bits;
    }
    for (const auto& r : g->router.iact) {
      k.iact_link_packets += r->local_link().transfers;
      k.iact_link_bits += r->local_link().bits;
      k.iact_pe_deliveries += r->pe_deliveries();
    }
    for (const auto& r : g->router.weight) {
      k.weight_link_packets += r->local_link().transfers;
      k.weight_link_bits += r->local_link().bits;
      k.weight_pe_deliveries += r->pe_deliveries();
    }
    for (const auto& r : g->router.psum) k.psum_link_packets += r->packets_up();
  }
  return k;
}

}  // namespace eyeriss
