// A cluster group: GLB cluster + router cluster + PE cluster, wired as on the chip.
#pragma once
#include <systemc>

#include "models/cluster/glb_cluster.h"
#include "models/cluster/pe_cluster.h"
#include "models/cluster/router_cluster.h"

namespace eyeriss {

class ClusterGroup : public sc_core::sc_module {
 public:
  GlbCluster glb;
  RouterCluster router;
  PeCluster pe_cluster;

  ClusterGroup(sc_core::sc_module_name name, const ArchConfig& a, MeshPosition pos)
      : sc_module(name), glb("glb", a), router("router", a, pos), pe_cluster("pe_cluster", a) {
    for (int b = 0; b < a.glb_iact_banks; ++b) {
      glb.iact[b]->to_router.bind(router.iact[b]->in_local);
      // The all-to-all link: every iact router reaches every PE (PE socket index = router).
      for (std::size_t k = 0; k < pe_cluster.pes.size(); ++k) {
        router.iact[b]->to_pe.bind(pe_cluster.pes[k]->iact_in);
        pe_cluster.pes[k]->attach_bus(DataType::Iact, &router.iact[b]->pe_ids(), int(k));
      }
    }
    for (int i = 0; i < a.weight_routers; ++i)
      for (int j = 0; j < a.pe_cols; ++j) {
        router.weight[i]->to_pe.bind(pe_cluster.pe(i, j).weight_in);
        pe_cluster.pe(i, j).attach_bus(DataType::Weight, &router.weight[i]->pe_ids(), j);
      }
    for (int j = 0; j < a.psum_routers; ++j) {
      PsumRouter& r = *router.psum[j];
      glb.psum[j]->to_router.bind(r.from_glb);
      r.to_glb.bind(glb.psum[j]->from_router);
      r.to_pe.bind(pe_cluster.pe(a.pe_rows - 1, j).psum_in);
      pe_cluster.pe(0, j).psum_out.bind(r.from_pe);
    }
  }
};

}  // namespace eyeriss
