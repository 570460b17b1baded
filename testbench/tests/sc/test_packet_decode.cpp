// A packet's shared decoding (PacketData::weight_columns, iact_entries): every receiver of a
// multicast reads what decoding the link words itself would give, for the format it asks
// with, and a recycled packet never shows the decoding of its previous contents.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/csc.h"
#include "noc/link_format.h"
#include "noc/noc_packet.h"
#include "noc/packet_bits.h"

namespace eyeriss {
namespace {

bool same(const std::vector<LinkEntry>& a, const std::vector<LinkEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].row != b[i].row || a[i].value != b[i].value) return false;
  return true;
}

PacketRef iact_packet(const std::vector<int16_t>& v, const LinkFormat& f) {
  const CscMatrix c = csc_encode(v, static_cast<int>(v.size()), 1);
  PacketRef d = PacketRef::make();
  d->format = PacketData::Format::Csc;
  d->entries = c.entries();
  d->words.reset(24);
  pack_iact_csc(c, f, d->words);
  return d;
}

TEST(PacketDecode, WeightColumnsEqualUnpackingTheWords) {
  const LinkFormat f = link_format(ArchConfig{});
  // 6 output channels x 4 columns, with a long zero run and negative values.
  std::vector<int16_t> w(24, 0);
  w[0] = 3, w[5] = -9, w[8] = 100, w[13] = -128, w[23] = 1;
  const CscMatrix c = csc_encode(w, 6, 4);
  PacketRef d = PacketRef::make();
  d->type = DataType::Weight;
  d->format = PacketData::Format::Csc;
  d->cols = 4;
  d->words.reset(24);
  d->words_in_spad = pack_weight_csc(c, f, d->words);
  std::vector<std::vector<LinkEntry>> direct;
  unpack_weight_csc(d->words, 4, f, direct);
  const auto& first = d->weight_columns(f);
  ASSERT_EQ(first.size(), direct.size());
  for (std::size_t k = 0; k < direct.size(); ++k) EXPECT_TRUE(same(first[k], direct[k])) << k;
  // A second receiver gets the same decoding.
  const auto& second = d->weight_columns(f);
  for (std::size_t k = 0; k < direct.size(); ++k) EXPECT_TRUE(same(second[k], direct[k])) << k;
}

TEST(PacketDecode, IactEntriesFollowSignednessAndFormat) {
  const LinkFormat f = link_format(ArchConfig{});
  PacketRef d = iact_packet({0, 200, 0, 0, 7, 0}, f);  // 200: unsigned, or -56 signed
  std::vector<LinkEntry> direct;
  unpack_iact_csc(d->words, d->entries, f, false, direct);
  EXPECT_TRUE(same(d->iact_entries(f, false), direct));
  unpack_iact_csc(d->words, d->entries, f, true, direct);
  EXPECT_TRUE(same(d->iact_entries(f, true), direct));
  EXPECT_EQ(d->iact_entries(f, true)[0].value, -56);
  EXPECT_EQ(d->iact_entries(f, false)[0].value, 200);
  // Another format reads the same words differently: it is decoded for that format.
  LinkFormat g = f;
  g.count_bits = 2;
  unpack_iact_csc(d->words, d->entries, g, false, direct);
  EXPECT_TRUE(same(d->iact_entries(g, false), direct));
}

TEST(PacketDecode, RecycledPacketForgetsItsDecoding) {
  const LinkFormat f = link_format(ArchConfig{});
  PacketData* first = nullptr;
  {
    PacketRef d = iact_packet({1, 2, 3}, f);
    first = d.get();
    EXPECT_EQ(d->iact_entries(f, true).size(), 3u);
  }
  // The free list hands the same PacketData back for the next packet.
  PacketRef e = iact_packet({0, 0, 0, 0, 0, 9}, f);
  ASSERT_EQ(e.get(), first) << "the packet was not recycled; the test needs the free list";
  const auto& entries = e->iact_entries(f, true);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].row, 5);
  EXPECT_EQ(entries[0].value, 9);
}

}  // namespace
}  // namespace eyeriss
