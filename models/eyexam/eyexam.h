// Eyexam: seven bounds on a layer's throughput, from the layer shape down to the measured
// rate, each adding one constraint (Chen et al., Eyeriss v2, arXiv 1807.07928). Units: effective
// MACs (weight and iact both nonzero) per cycle, so step 7 is the simulated rate and a sparse
// PE never appears to beat the PE count. Pure C++; definitions in docs/eyexam.md.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "models/common/arch_config.h"
#include "models/mapper/mapping.h"

namespace eyeriss {

struct EyexamResult {
  static constexpr int kSteps = 7;
  std::array<double, kSteps> bound{};
  std::array<std::string, kSteps> why;  // what sets each step's own limit
  static const std::array<const char*, kSteps>& step_names();
};

// `prog`: the mapped layer and its program; `effective_macs`: counted from the tensors;
// `counters`: the layer's named action counts (traffic per level); `cycles`: simulated.
EyexamResult eyexam(const LayerProgram& prog, const ArchConfig& arch, uint64_t effective_macs,
                    const std::map<std::string, uint64_t>& counters, uint64_t cycles);

}  // namespace eyeriss
