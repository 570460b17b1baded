// libFuzzer harness: the CSC codec and the link formats that carry CSC on the NoC.
//  1. An arbitrary CscMatrix (shape, count_bits, data/count/addr vectors): csc_validate either
//     refuses it with std::invalid_argument, or csc_decode and csc_row_indices accept it and the
//     decoded values survive encode -> decode unchanged.
//  2. Arbitrary values: encode -> link words (iact segment and weight block formats) -> unpack
//     gives back every nonzero at its row; encode -> decode gives back the values.
//  3. Arbitrary link words: the unpackers either decode or throw std::out_of_range ("read past
//     the packet"), never read outside the words.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/csc.h"
#include "noc/link_format.h"
#include "testbench/fuzz/fuzz_util.h"

namespace {

using eyeriss::CscMatrix;
using eyeriss::fuzz::ByteReader;
using eyeriss::fuzz::require;
constexpr const char* kName = "fuzz_csc";

void arbitrary_matrix(ByteReader& in) {
  CscMatrix m;
  m.rows = in.in_range(-2, 64);
  m.cols = in.in_range(-2, 64);
  m.count_bits = in.in_range(0, 9);
  const std::size_t n = in.in_range(0, 256);
  for (std::size_t i = 0; i < n; ++i) {
    m.data.push_back(in.any<int16_t>());
    m.count.push_back(in.any<uint8_t>());
  }
  const std::size_t na = in.in_range(0, 66);
  for (std::size_t i = 0; i < na; ++i) m.addr.push_back(static_cast<uint16_t>(in.in_range(0, 300)));
  try {
    eyeriss::csc_validate(m);
  } catch (const std::invalid_argument&) {
    return;  // refused, as documented
  }
  const std::vector<int16_t> values = eyeriss::csc_decode(m);
  const std::vector<int> rows = eyeriss::csc_row_indices(m);
  require(values.size() == static_cast<std::size_t>(m.rows) * m.cols, kName, "decoded size");
  require(rows.size() == m.data.size(), kName, "row index count");
  const CscMatrix again = eyeriss::csc_encode(values, m.rows, m.cols, m.count_bits);
  require(eyeriss::csc_decode(again) == values, kName, "decode(encode(decode(m))) != decode(m)");
}

void round_trip(ByteReader& in) {
  eyeriss::LinkFormat f;  // the published widths
  const int rows = in.in_range(1, 16);
  const int cols = in.in_range(1, 8);
  std::vector<int16_t> v(static_cast<std::size_t>(rows) * cols);
  for (auto& x : v) x = in.flag() ? 0 : static_cast<int16_t>(in.in_range(-128, 127));
  const CscMatrix m = eyeriss::csc_encode(v, rows, cols, f.count_bits);
  require(eyeriss::csc_decode(m) == v, kName, "decode(encode(v)) != v");

  // Iact segments travel one column at a time.
  for (int k = 0; k < cols; ++k) {
    CscMatrix seg =
        eyeriss::csc_encode(v.data() + static_cast<std::size_t>(k) * rows, rows, 1, f.count_bits);
    eyeriss::LinkWords w;
    w.reset(24);
    eyeriss::pack_iact_csc(seg, f, w);
    std::vector<eyeriss::LinkEntry> e;
    eyeriss::unpack_iact_csc(w, seg.entries(), f, true, e);
    const std::vector<int> r = eyeriss::csc_row_indices(seg);
    require(e.size() == static_cast<std::size_t>(seg.entries()), kName, "iact entry count");
    for (std::size_t i = 0; i < e.size(); ++i)
      require(e[i].row == r[i] && e[i].value == seg.data[i], kName, "iact entry differs");
  }
  // A weight block: rows = output channels, columns as encoded.
  eyeriss::LinkWords w;
  w.reset(24);
  eyeriss::pack_weight_csc(m, f, w);
  std::vector<std::vector<eyeriss::LinkEntry>> cols_out;
  eyeriss::unpack_weight_csc(w, cols, f, cols_out);
  std::vector<int16_t> back(v.size(), 0);
  for (int k = 0; k < cols; ++k)
    for (const auto& e : cols_out[k]) {
      require(e.row >= 0 && e.row < rows, kName, "weight row out of range");
      back[static_cast<std::size_t>(k) * rows + e.row] = e.value;
    }
  require(back == v, kName, "weight block round trip differs");
}

void arbitrary_words(ByteReader& in) {
  eyeriss::LinkFormat f;
  const int entries = in.in_range(0, 64);
  const int cols = in.in_range(0, 16);
  const bool signed_values = in.flag();
  eyeriss::LinkWords w;
  w.reset(24);
  while (in.remaining() > 0) w.put(in.any<uint32_t>(), 24);
  try {
    std::vector<eyeriss::LinkEntry> e;
    eyeriss::unpack_iact_csc(w, entries, f, signed_values, e);
  } catch (const std::out_of_range&) {
  }
  try {
    std::vector<std::vector<eyeriss::LinkEntry>> c;
    eyeriss::unpack_weight_csc(w, cols, f, c);
  } catch (const std::out_of_range&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteReader in(data, size);
  switch (in.any<uint8_t>() % 3) {
    case 0:
      arbitrary_matrix(in);
      break;
    case 1:
      round_trip(in);
      break;
    default:
      arbitrary_words(in);
      break;
  }
  return 0;
}
