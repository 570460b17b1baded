// Helpers shared by the core tests: the repo root, InputError expectations and a scratch folder.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "models/common/error.h"

namespace eyeriss {
namespace test_util {

// The repo root from this file's path, so the tests need no compile definition.
inline std::string repo_root() {
  const std::string file = __FILE__;
  const std::string tail = "testbench/tests/core/test_util.h";
  const size_t pos = file.rfind(tail);
  const std::string root = pos == std::string::npos ? "" : file.substr(0, pos);
  return root.empty() ? "./" : root;
}

// Runs `f`, expecting an InputError whose message contains every string in `parts`.
inline void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no InputError; expected one mentioning '" << parts.front() << "'";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

// As expect_error(), and the message must also contain "ORIGIN: ".
inline void expect_error_from(const std::string& origin, const std::function<void()>& f,
                              const std::vector<std::string>& parts) {
  std::vector<std::string> all = {origin + ": "};
  all.insert(all.end(), parts.begin(), parts.end());
  expect_error(f, all);
}

// A fresh folder under the system temp folder, removed with everything in it at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& name) : path_(std::filesystem::temp_directory_path() / name) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace test_util
}  // namespace eyeriss
