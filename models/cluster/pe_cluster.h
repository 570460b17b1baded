// PE cluster: pe_rows x pe_cols PEs. Psums flow up each column (bottom PE first).
#pragma once
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/newest_first.h"
#include "pe/pe.h"
#include "pe/rtl_pe.h"

namespace eyeriss {

class PeCluster : public sc_core::sc_module {
 public:
  std::vector<std::unique_ptr<PeBlock>> pes;  // index row * pe_cols + col

  PeCluster(sc_core::sc_module_name name, const ArchConfig& a) : sc_module(name), cols_(a.pe_cols) {
    const PeParams p = PeParams::from(a);
    const std::string here = this->name();
    for (int i = 0; i < a.pe_rows; ++i)
      for (int j = 0; j < a.pe_cols; ++j) {
        const std::string n = "pe_r" + std::to_string(i) + "_c" + std::to_string(j);
        // RTL co-simulation: the verilated PE where the architecture selects it.
        if (!a.rtl_pe.empty() && a.rtl_selected(here + "." + n))
          pes.push_back(make_rtl_pe(n.c_str(), p));
        else
          pes.push_back(std::make_unique<Pe>(n.c_str(), p, i, j));
      }
    // Vertical psum links inside the cluster: PE (i, j) sends up to PE (i-1, j).
    for (int i = 1; i < a.pe_rows; ++i)
      for (int j = 0; j < a.pe_cols; ++j) pe(i, j).psum_out.bind(pe(i - 1, j).psum_in);
  }
  PeBlock& pe(int row, int col) { return *pes[row * cols_ + col]; }
  ~PeCluster() override { destroy_newest_first(pes); }

 private:
  int cols_;
};

}  // namespace eyeriss
