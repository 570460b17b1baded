// libFuzzer harness: the workload YAML loader (layers, shapes, sparsity, tensor paths).
// Relative tensor paths resolve from an empty folder, so a referenced .npy is "not found".
#include <cstddef>
#include <cstdint>
#include <string>

#include "testbench/fuzz/fuzz_util.h"
#include "testbench/workload.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  eyeriss::fuzz::expect_input_error_only("fuzz_workload", [&] {
    (void)eyeriss::parse_workload(text, "fuzz_workload.yaml", "/nonexistent-fuzz-dir");
  });
  return 0;
}
