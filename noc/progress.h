// Signs of life of a running simulation, for progress lines and the no-progress watchdog
// (testbench/simulator.cpp): the decision calendar calls `hook` every kEvery decision cycles
// it runs and before running a cycle kEvery or more after the last call; every link counts the
// transfers it completes and when the latest one ends.
#pragma once
#include <cstdint>
#include <functional>

#include "models/common/cycle.h"

namespace eyeriss {

struct Progress {
  static constexpr uint64_t kEvery = 4096;
  std::function<void(Cycle)> hook;  // empty: nobody listens
  uint64_t transfers = 0;           // link transfers completed since the program started
  Cycle last_transfer_end = 0;      // the cycle the latest of them ends

  static Progress& get() {
    static Progress p;
    return p;
  }
};

}  // namespace eyeriss
