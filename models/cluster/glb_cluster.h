// GLB cluster: the iact SRAM banks and psum SRAM banks beside one PE cluster.
#pragma once
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/newest_first.h"
#include "models/glb/iact_bank.h"
#include "models/glb/psum_bank.h"

namespace eyeriss {

class GlbCluster : public sc_core::sc_module {
 public:
  std::vector<std::unique_ptr<IactBank>> iact;
  std::vector<std::unique_ptr<PsumBank>> psum;

  GlbCluster(sc_core::sc_module_name name, const ArchConfig& a) : sc_module(name) {
    const IactBankParams ip = IactBankParams::from(a);
    const PsumBankParams pp = PsumBankParams::from(a);
    for (int b = 0; b < a.glb_iact_banks; ++b)
      iact.push_back(std::make_unique<IactBank>(("iact" + std::to_string(b)).c_str(), ip));
    for (int b = 0; b < a.glb_psum_banks; ++b)
      psum.push_back(std::make_unique<PsumBank>(("psum" + std::to_string(b)).c_str(), pp));
  }
  ~GlbCluster() override {
    destroy_newest_first(psum);
    destroy_newest_first(iact);
  }
};

}  // namespace eyeriss
