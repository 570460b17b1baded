// What the RTL PEs' lockstep cross-check found in the current layer (pe/rtl_pe.cpp): each RTL
// PE compares every output position's cycles and every psum word with the C++ PE model run in
// its shadow on the same inputs. Read and cleared by the simulator after each layer.
#pragma once
#include <cstdint>
#include <string>

namespace eyeriss {

struct RtlCheck {
  int pes = 0;                         // RTL PEs in the chip
  uint64_t positions = 0;              // positions compared this layer
  uint64_t rows = 0;                   // psum rows compared word for word this layer
  uint64_t cycle_divergences = 0;      // positions whose cycles differ
  std::string first_cycle_divergence;  // instance, pass, position, both counts
  std::string first_data_divergence;   // instance, pass, position, word, both values

  static RtlCheck& get() {
    static RtlCheck c;
    return c;
  }
  void new_layer() {
    positions = rows = cycle_divergences = 0;
    first_cycle_divergence.clear();
    first_data_divergence.clear();
  }
};

}  // namespace eyeriss
