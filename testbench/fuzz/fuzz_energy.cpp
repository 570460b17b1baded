// libFuzzer harness: the energy-table YAML loader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/energy/energy_model.h"
#include "testbench/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  eyeriss::fuzz::expect_input_error_only("fuzz_energy", [&] {
    const eyeriss::EnergyTable t = eyeriss::parse_energy_table(text, "fuzz_energy.yaml");
    // A loaded table must cost an all-zero counter set to zero energy without throwing.
    std::map<std::string, uint64_t> zero;
    for (const std::string& k : eyeriss::energy_action_keys()) zero[k] = 0;
    (void)eyeriss::cost(zero, t);
  });
  return 0;
}
