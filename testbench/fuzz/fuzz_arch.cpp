// libFuzzer harness: the architecture YAML loader (parse, strict key checks, validation).
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/common/arch_config.h"
#include "testbench/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  eyeriss::fuzz::expect_input_error_only("fuzz_arch", [&] {
    const eyeriss::ArchConfig a = eyeriss::parse_arch_config(text, "fuzz.yaml");
    // What loaded must be a valid chip: validation of the result may not throw.
    eyeriss::validate_arch_config(a, "fuzz.yaml (reloaded)");
  });
  return 0;
}
