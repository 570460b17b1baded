// Resource timelines: gap filling (order independence) and the off-chip bandwidth calendar.
#include <gtest/gtest.h>

#include "noc/timing.h"

namespace eyeriss {
namespace {

TEST(Timeline, TakesTheEarliestFreeIntervalWhateverTheCallOrder) {
  Timeline t;
  t.width_bits = 24;
  EXPECT_EQ(t.cycles_for(48), 2u);
  EXPECT_EQ(t.cycles_for(49), 3u);           // whole flits per cycle
  EXPECT_EQ(t.reserve(100, 10, 240), 100u);  // busy [100, 110)
  EXPECT_EQ(t.reserve(0, 5, 120), 0u);       // an earlier transfer fits before it: [0, 5)
  EXPECT_EQ(t.reserve(3, 5, 120), 5u);       // [5, 10): waits for [0, 5)
  EXPECT_EQ(t.reserve(95, 10, 240), 110u);   // does not fit in [95, 100): after [100, 110)
  EXPECT_EQ(t.reserve(10, 90, 1), 10u);      // exactly fills [10, 100)
  EXPECT_EQ(t.probe(0, 1), 120u);            // everything up to 120 is busy now
  EXPECT_EQ(t.transfers, 5u);
}

// Resources keep their whole history within a layer: an early gap stays usable however many
// transfers were booked after it (multicast makes calls arrive far out of time order).
TEST(Timeline, EarlyGapsSurviveLongHistories) {
  Timeline t;
  for (Cycle i = 0; i < 5000; ++i) t.reserve(2 * i, 1, 1);  // busy at every even cycle
  EXPECT_EQ(t.reserve(1, 1, 1), 1u);                        // the gap at cycle 1 is still free
  EXPECT_EQ(t.reserve(3, 2, 1), 9999u);  // no 2-cycle gap before the last interval [9998, 9999)
  t.prune(9000);                            // a new layer starts at 9000
  EXPECT_EQ(t.reserve(9001, 1, 1), 9001u);  // later gaps are kept
}

TEST(BandwidthCalendar, SmallTransfersShareCycles) {
  BandwidthCalendar c(1024);  // 128 bytes per cycle, windows of 16 cycles
  // Sixteen 64-bit transfers ready at 0 fit in the first cycle: 1024 bits.
  Cycle end = 0;
  for (int i = 0; i < 16; ++i) end = c.reserve(0, 64);
  EXPECT_EQ(end, 1u);
  // 16 x 1024 bits more: the window [0, 16) holds 16 cycles x 1024 = 16384 bits, 1024 used,
  // so 15360 fit and the last 1024 spill into the next window's first cycle.
  EXPECT_EQ(c.reserve(0, 16384), 17u);
  // A transfer ready at 40 is not slowed by the earlier ones.
  EXPECT_EQ(c.reserve(40, 2048), 42u);
}

}  // namespace
}  // namespace eyeriss
