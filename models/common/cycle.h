// Clock cycles of the chip: the unit every block counts time in (pure C++, no SystemC).
#pragma once
#include <cstdint>

namespace eyeriss {

using Cycle = uint64_t;
constexpr Cycle kNever = ~Cycle(0);

}  // namespace eyeriss
