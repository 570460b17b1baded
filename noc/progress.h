// Signs of life of a running simulation, for progress lines and the no-progress watchdog
// (testbench/simulator.cpp): the decision calendar calls `hook` every kEvery decision cycles
// it runs, and every link counts the transfers it completes.
#pragma once
#include <cstdint>
#include <functional>

#include "models/common/cycle.h"

namespace eyeriss {

struct Progress {
  static constexpr uint64_t kEvery = 4096;
  std::function<void(Cycle)> hook;  // empty: nobody listens
  uint64_t transfers = 0;           // link transfers completed since the program started

  static Progress& get() {
    static Progress p;
    return p;
  }
};

}  // namespace eyeriss
