// The worker processes behind `run --jobs N`: how layers are spread, what comes back, and what a
// failing or crashing worker turns into.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

#include "models/common/error.h"
#include "testbench/worker_pool.h"

namespace eyeriss {
namespace {

using Lists = std::vector<std::vector<std::size_t>>;

std::string names(const std::vector<std::size_t>& items) {
  std::string s;
  for (auto i : items) s += (s.empty() ? "" : ",") + std::to_string(i);
  return "items " + s;
}

TEST(AssignByCost, LongestFirstToTheLeastLoaded) {
  // Costs 9 5 4 3 3, by hand: 9 -> w0; 5 -> w1; 4 -> w1 (load 5 < 9); 3 -> w0 (9 = 9, the
  // lower index); 3 -> w1 (9 < 12). So w0 = {0, 3}, w1 = {1, 2, 4}.
  EXPECT_EQ(assign_by_cost({9, 5, 4, 3, 3}, 2), (Lists{{0, 3}, {1, 2, 4}}));
  // More workers than items: the spare lists stay empty.
  EXPECT_EQ(assign_by_cost({1, 2}, 3), (Lists{{1}, {0}, {}}));  // the costlier first
  EXPECT_EQ(assign_by_cost({1, 2, 3}, 1), (Lists{{0, 1, 2}}));
}

TEST(RunInWorkers, EachListRunsInItsOwnProcessAndReturnsItsBytes) {
  const Lists lists{{0, 2}, {}, {1}};
  const auto out = run_in_workers(
      lists,
      [](std::size_t, const std::vector<std::size_t>& items) {
        // A byte that is not text, to check the transfer is binary-safe.
        return names(items) + std::string(1, '\0') + "pid " + std::to_string(::getpid());
      },
      names);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].substr(0, 12), std::string("items 0,2") + '\0' + "pi");
  EXPECT_EQ(out[1], "");
  EXPECT_EQ(out[2].substr(0, 8), std::string("items 1") + '\0');
  // Not run in this process.
  EXPECT_EQ(out[0].find("pid " + std::to_string(::getpid())), std::string::npos);
}

TEST(RunInWorkers, TheLowestFailingWorkerDecidesTheErrorAndItsKind) {
  const Lists lists{{0}, {1}, {2}};
  try {
    run_in_workers(
        lists,
        [](std::size_t, const std::vector<std::size_t>& items) -> std::string {
          if (items[0] == 1) throw InputError("bad input in 1");
          if (items[0] == 2) throw ModelError("stuck in 2");
          return "ok";
        },
        names);
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "bad input in 1");
  }
  try {
    run_in_workers(
        lists,
        [](std::size_t, const std::vector<std::size_t>& items) -> std::string {
          if (items[0] != 0) throw ModelError("stuck in " + std::to_string(items[0]));
          return "ok";
        },
        names);
    FAIL() << "no exception";
  } catch (const InputError&) {
    FAIL() << "a ModelError must stay a ModelError";
  } catch (const ModelError& e) {
    EXPECT_STREQ(e.what(), "stuck in 1");
  }
}

TEST(RunInWorkers, AKilledWorkerIsAModelErrorNamingItsItemsAndSignal) {
  // SIGKILL (as the kernel's OOM killer sends): no handler, ASan's included, can intercept it.
  try {
    run_in_workers(
        Lists{{0}, {3, 4}},
        [](std::size_t, const std::vector<std::size_t>& items) -> std::string {
          if (items[0] == 3) std::raise(SIGKILL);
          return "ok";
        },
        names);
    FAIL() << "no exception";
  } catch (const ModelError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("items 3,4"), std::string::npos) << m;
    EXPECT_NE(m.find("signal " + std::to_string(SIGKILL)), std::string::npos) << m;
  }
}

TEST(RunInWorkers, AWorkerThatExitsWithoutAResultIsAModelError) {
  // As a crash looks under AddressSanitizer: its handler reports and exits with a status.
  try {
    run_in_workers(
        Lists{{5}}, [](std::size_t, const std::vector<std::size_t>&) -> std::string { _exit(7); },
        names);
    FAIL() << "no exception";
  } catch (const ModelError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("items 5"), std::string::npos) << m;
    EXPECT_NE(m.find("exit status 7"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace eyeriss
