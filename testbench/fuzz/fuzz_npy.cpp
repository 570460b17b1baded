// libFuzzer harness: the .npy reader, both entry points (iacts: |u1 or |i1; weights: |i1).
// The reader takes a path, so each input is written to one scratch file (in /dev/shm when it
// exists). The expected shape is the one the file's header claims, read here with a naive scan,
// so inputs get past the shape check to the data checks; a shape the scan cannot read is {1}.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/common/npy.h"
#include "testbench/fuzz/fuzz_util.h"

namespace {

std::string scratch_path() {
  const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  return std::string(dir) + "/eyeriss_fuzz_npy_" + std::to_string(getpid()) + ".npy";
}

// Digits inside the parentheses after "'shape'"; at most 4 dims of at most 6 digits each.
std::vector<int> claimed_shape(const std::string& text) {
  const std::size_t key = text.find("'shape'");
  const std::size_t open = key == std::string::npos ? key : text.find('(', key);
  if (open == std::string::npos) return {1};
  std::vector<int> dims;
  std::size_t p = open + 1;
  while (p < text.size() && text[p] != ')' && dims.size() < 4) {
    if (text[p] >= '0' && text[p] <= '9') {
      long v = 0;
      int digits = 0;
      while (p < text.size() && text[p] >= '0' && text[p] <= '9' && digits++ < 6)
        v = v * 10 + (text[p++] - '0');
      dims.push_back(static_cast<int>(v));
    } else {
      ++p;
    }
  }
  return dims;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  const bool ok = std::fwrite(data, 1, size, f) == size;
  std::fclose(f);
  if (!ok) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::vector<int> shape = claimed_shape(text);
  eyeriss::fuzz::expect_input_error_only("fuzz_npy", [&] {
    const eyeriss::ActTensor a = eyeriss::load_npy_acts(path, shape, "fuzz iacts");
    eyeriss::fuzz::require(a.t.shape() == shape, "fuzz_npy", "iact shape differs from expected");
  });
  eyeriss::fuzz::expect_input_error_only("fuzz_npy", [&] {
    const eyeriss::Int8Tensor w = eyeriss::load_npy_int8(path, shape, "fuzz weights");
    eyeriss::fuzz::require(w.shape() == shape, "fuzz_npy", "weight shape differs from expected");
  });
  return 0;
}
