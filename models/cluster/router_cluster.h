// Router cluster: the iact, weight and psum routers of one cluster group.
#pragma once
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/newest_first.h"
#include "noc/mesh_router.h"
#include "noc/psum_router.h"

namespace eyeriss {

class RouterCluster : public sc_core::sc_module {
 public:
  std::vector<std::unique_ptr<MeshRouter>> iact;    // local side: all PEs of the cluster
  std::vector<std::unique_ptr<MeshRouter>> weight;  // local side: one PE row each
  std::vector<std::unique_ptr<PsumRouter>> psum;    // one per PE column

  RouterCluster(sc_core::sc_module_name name, const ArchConfig& a, MeshPosition pos)
      : sc_module(name) {
    for (int i = 0; i < a.iact_routers; ++i)
      iact.push_back(std::make_unique<MeshRouter>(("iact" + std::to_string(i)).c_str(), pos,
                                                  RouterParams::iact(a)));
    for (int i = 0; i < a.weight_routers; ++i)
      weight.push_back(std::make_unique<MeshRouter>(("weight" + std::to_string(i)).c_str(), pos,
                                                    RouterParams::weight(a)));
    for (int j = 0; j < a.psum_routers; ++j)
      psum.push_back(std::make_unique<PsumRouter>(("psum" + std::to_string(j)).c_str(),
                                                  PsumRouterParams::from(a)));
  }
  ~RouterCluster() override {
    destroy_newest_first(psum);
    destroy_newest_first(weight);
    destroy_newest_first(iact);
  }
};

}  // namespace eyeriss
