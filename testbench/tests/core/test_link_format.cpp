// The link words (noc/link_format.h): every format packs and unpacks back to the same values,
// takes exactly the bits the memories account for (noc/packet_bits.h), and lays its fields out
// least significant first across words of the link's width.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/csc.h"
#include "noc/link_format.h"
#include "noc/packet_bits.h"

namespace eyeriss {
namespace {

TEST(LinkWords, FieldsCrossWordBoundaries) {
  LinkWords w;
  w.reset(24);
  w.put(0xABC, 12);
  w.put(0xDEF, 12);  // fills word 0 exactly
  w.put(0x12345, 20);
  w.put(0x3F, 6);  // crosses into word 2 (bits 44..49)
  EXPECT_EQ(w.bits(), 50u);
  EXPECT_EQ(w.words(), 3u);
  EXPECT_EQ(w.data()[0], 0xDEFABCu);                         // LSB first
  EXPECT_EQ(w.data()[1], 0x12345u | (uint64_t(0xF) << 20));  // 20 bits + the low 4 of 0x3F
  EXPECT_EQ(w.data()[2], 0x3u);                              // the high 2 bits of 0x3F
  EXPECT_EQ(w.get(0, 12), 0xABCu);
  EXPECT_EQ(w.get(12, 12), 0xDEFu);
  EXPECT_EQ(w.get(24, 20), 0x12345u);
  EXPECT_EQ(w.get(44, 6), 0x3Fu);
  EXPECT_THROW(w.get(45, 6), std::out_of_range);  // past the last bit
}

// The unpackers read with LinkReader, which keeps its place instead of dividing per field: it
// must see the same bits as random access, across word boundaries, after skips, from any start.
TEST(LinkWords, ReaderMatchesRandomAccess) {
  std::mt19937 rng(5);
  for (const int wb : {24, 40, 64}) {
    LinkWords w;
    w.reset(wb);
    std::vector<std::pair<uint64_t, int>> fields;
    for (int i = 0; i < 200; ++i) {
      const int n = 1 + static_cast<int>(rng() % 30);
      const uint64_t v = rng() & ((uint64_t(1) << n) - 1);
      fields.push_back({v, n});
      w.put(v, n);
    }
    w.put(0x5, 0);  // a zero-width field (no padding needed) adds nothing
    std::size_t total = 0;
    for (const auto& f : fields) total += f.second;
    ASSERT_EQ(w.bits(), total) << wb;
    EXPECT_EQ(w.words(), (total + wb - 1) / wb) << wb;
    LinkReader r(w);
    std::size_t pos = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i % 7 == 3) {  // skip this field
        r.skip(fields[i].second);
      } else {
        EXPECT_EQ(r.get(fields[i].second), fields[i].first) << wb << " field " << i;
        EXPECT_EQ(w.get(pos, fields[i].second), fields[i].first) << wb << " field " << i;
      }
      pos += fields[i].second;
    }
    EXPECT_THROW(r.get(1), std::out_of_range);  // past the last bit
    LinkReader mid(w, pos - fields.back().second);
    EXPECT_EQ(mid.get(fields.back().second), fields.back().first);
    LinkReader past(w, pos + 1);
    EXPECT_THROW(past.get(1), std::out_of_range);
    LinkReader end(w, pos);
    EXPECT_THROW(end.skip(1), std::out_of_range);
  }
}

TEST(LinkFormat, IactSegmentRoundTripAndBits) {
  const ArchConfig a;
  const LinkFormat f = link_format(a);
  // 40 rows: a run of 20 zeros needs an explicit zero (count 15); a negative value.
  std::vector<int16_t> v(40, 0);
  v[0] = 5, v[21] = -7, v[22] = 127, v[39] = 1;
  const CscMatrix c = csc_encode(v, 40, 1);
  LinkWords w;
  w.reset(a.iact_link_bits);
  pack_iact_csc(c, f, w);
  EXPECT_EQ(w.bits(), iact_segment_bits(a, c.entries()));  // entries x 12 + 4
  EXPECT_EQ(w.words(), (w.bits() + 23) / 24);
  std::vector<LinkEntry> e;
  unpack_iact_csc(w, c.entries(), f, true, e);
  std::vector<int16_t> back(40, 0);
  for (const LinkEntry& x : e) back[x.row] = x.value;
  EXPECT_EQ(back, v);
  // Unsigned iacts: 200 is not -56.
  std::vector<int16_t> u{0, 200, 0, 1};
  const CscMatrix cu = csc_encode(u, 4, 1);
  LinkWords wu;
  wu.reset(24);
  pack_iact_csc(cu, f, wu);
  unpack_iact_csc(wu, cu.entries(), f, false, e);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].row, 1);
  EXPECT_EQ(e[0].value, 200);
}

TEST(LinkFormat, WeightBlockRoundTripIdleLanesAndBits) {
  const ArchConfig a;
  const LinkFormat f = link_format(a);
  std::mt19937 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    const int rows = 1 + trial % 32, cols = 1 + trial % 16;
    std::vector<int16_t> v(std::size_t(rows) * cols);
    for (auto& x : v) x = rng() % 3 ? 0 : static_cast<int16_t>(int(rng() % 255) - 127);
    const CscMatrix c = csc_encode(v, rows, cols);
    LinkWords w;
    w.reset(a.weight_link_bits);
    const int words = pack_weight_csc(c, f, w);
    EXPECT_EQ(w.bits(), weight_block_bits(a, c));  // words x 24 + cols x 7
    int expect_words = 0;
    for (int k = 0; k < cols; ++k) expect_words += (c.column_entries(k) + 1) / 2;
    EXPECT_EQ(words, expect_words);
    std::vector<std::vector<LinkEntry>> back;
    unpack_weight_csc(w, cols, f, back);
    ASSERT_EQ(static_cast<int>(back.size()), cols);
    std::vector<int16_t> got(v.size(), 0);
    int entries = 0;
    for (int k = 0; k < cols; ++k)
      for (const LinkEntry& x : back[k]) {
        got[std::size_t(k) * rows + x.row] = x.value;
        ++entries;
      }
    EXPECT_EQ(got, v) << "trial " << trial;
    EXPECT_EQ(entries, c.entries()) << "an idle lane was read as an entry";
  }
}

TEST(LinkFormat, PsumsAndRawValues) {
  std::vector<int32_t> p{0, 1, -1, 524287, -524288, 12345};  // 20-bit extremes
  LinkWords w;
  w.reset(40);
  pack_psums(p.data(), p.size(), 20, w);
  EXPECT_EQ(w.bits(), 120u);
  EXPECT_EQ(w.words(), 3u);  // two psums per 40-bit word
  std::vector<int32_t> back;
  unpack_psums(w, p.size(), 20, back);
  EXPECT_EQ(back, p);
  std::vector<int16_t> r{0, 255, 17, 3, 128};
  LinkWords wr;
  wr.reset(24);
  pack_raw(r.data(), r.size(), 8, wr);
  EXPECT_EQ(wr.bits(), 40u);
  EXPECT_EQ(wr.data()[0], 0x11FF00u);  // three values per 24-bit word ...
  EXPECT_EQ(wr.data()[1], 0x8003u);    // ... and the rest in the next
  std::vector<int16_t> rb;
  unpack_raw(wr, r.size(), 8, false, rb);
  EXPECT_EQ(rb, r);
}

}  // namespace
}  // namespace eyeriss
