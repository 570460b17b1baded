// Shared by the libFuzzer harnesses: the contract every loader keeps with untrusted input.
// An input either loads or is refused with the project's InputError (the CLI's exit 2); any
// other exception (bad_alloc, out_of_range, a YAML::Exception that escaped, ...) would reach the
// user as "internal error", so the harness aborts and libFuzzer saves the input as a finding.
// Crashes, leaks and undefined behaviour are caught by ASan/UBSan around the harness.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <type_traits>

#include "models/common/error.h"

namespace eyeriss::fuzz {

template <typename Fn>
void expect_input_error_only(const char* harness, Fn&& fn) {
  try {
    fn();
  } catch (const InputError&) {
    // The documented refusal: fine.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: escaped exception (not InputError): %s\n", harness, e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s: escaped a non-std exception\n", harness);
    std::abort();
  }
}

// Fails the run (libFuzzer saves the input) when a property the loader promises does not hold.
inline void require(bool ok, const char* harness, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "%s: property violated: %s\n", harness, what.c_str());
  std::abort();
}

// Turns the input bytes into bounded values, front to back; zeros once the bytes run out. (Not
// clang's FuzzedDataProvider, so the harnesses also build with g++ to replay the corpus in ctest.)
class ByteReader {
 public:
  ByteReader(const uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  template <typename T>
  T any() {
    using U = std::make_unsigned_t<T>;
    U v = 0;
    for (std::size_t i = 0; i < sizeof(T) && p_ < end_; ++i) v |= static_cast<U>(*p_++) << (8 * i);
    return static_cast<T>(v);
  }
  // Uniform enough over [lo, hi] for fuzzing (hi - lo well below 2^32).
  int in_range(int lo, int hi) {
    const auto span = static_cast<uint32_t>(hi - lo) + 1;
    return lo + static_cast<int>(any<uint32_t>() % span);
  }
  bool flag() { return any<uint8_t>() & 1; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

}  // namespace eyeriss::fuzz
