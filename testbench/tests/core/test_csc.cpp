#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/csc.h"

namespace eyeriss {
namespace {

using V16 = std::vector<int16_t>;
using V8 = std::vector<uint8_t>;
using VA = std::vector<uint16_t>;

// Independent reference: from the gap before each nonzero, peel off explicit zeros of max+1.
CscMatrix reference_encode(const V16& v, int rows, int cols, int count_bits) {
  CscMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.count_bits = count_bits;
  const int max = (1 << count_bits) - 1;
  m.addr.push_back(0);
  for (int k = 0; k < cols; ++k) {
    int next = 0;  // first row not yet covered
    for (int r = 0; r < rows; ++r) {
      const int16_t x = v[k * rows + r];
      if (x == 0) continue;
      int gap = r - next;
      while (gap > max) {
        m.data.push_back(0);
        m.count.push_back(static_cast<uint8_t>(max));
        gap -= max + 1;
      }
      m.data.push_back(x);
      m.count.push_back(static_cast<uint8_t>(gap));
      next = r + 1;
    }
    m.addr.push_back(static_cast<uint16_t>(m.data.size()));
  }
  return m;
}

void expect_csc(const CscMatrix& m, const V16& data, const V8& count, const VA& addr) {
  EXPECT_EQ(m.data, data);
  EXPECT_EQ(m.count, count);
  EXPECT_EQ(m.addr, addr);
}

// Column of `zeros` zeros followed by a 9.
V16 run_then_nonzero(int zeros) {
  V16 v(zeros, 0);
  v.push_back(9);
  return v;
}

TEST(Csc, PaperStyleExample) {
  const V16 v = {0, 0, 5, 0, 7};
  CscMatrix m = csc_encode(v, 5, 1);
  expect_csc(m, {5, 7}, {2, 1}, {0, 2});
  EXPECT_EQ(m.rows, 5);
  EXPECT_EQ(m.cols, 1);
  EXPECT_EQ(m.count_bits, 4);
  EXPECT_EQ(m.entries(), 2);
  EXPECT_EQ(m.nonzeros(), 2);
  EXPECT_EQ(m.column_entries(0), 2);
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{2, 4}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, RunOfExactly15NeedsNoExplicitZero) {
  const V16 v = run_then_nonzero(15);
  CscMatrix m = csc_encode(v, 16, 1);
  expect_csc(m, {9}, {15}, {0, 1});
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, RunOf16) {
  const V16 v = run_then_nonzero(16);
  CscMatrix m = csc_encode(v, 17, 1);
  // Explicit zero at row 15 (15 zeros before it), then 9 right after it.
  expect_csc(m, {0, 9}, {15, 0}, {0, 2});
  EXPECT_EQ(m.nonzeros(), 1);
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{15, 16}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, RunOf31) {
  const V16 v = run_then_nonzero(31);
  CscMatrix m = csc_encode(v, 32, 1);
  expect_csc(m, {0, 9}, {15, 15}, {0, 2});
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{15, 31}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, RunOf32) {
  const V16 v = run_then_nonzero(32);
  CscMatrix m = csc_encode(v, 33, 1);
  expect_csc(m, {0, 0, 9}, {15, 15, 0}, {0, 3});
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{15, 31, 32}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, RunOf40) {
  const V16 v = run_then_nonzero(40);
  CscMatrix m = csc_encode(v, 41, 1);
  expect_csc(m, {0, 0, 9}, {15, 15, 8}, {0, 3});
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{15, 31, 40}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, LongRunBetweenNonzerosAndAtColumnStart) {
  // Column: 3, 20 zeros, -4, 2 trailing zeros. Column 2: 17 zeros (start) then 1.
  V16 v = {3};
  v.insert(v.end(), 20, 0);
  v.push_back(-4);
  v.insert(v.end(), 2, 0);  // 24 rows
  V16 c2(24, 0);
  c2[17] = 1;
  v.insert(v.end(), c2.begin(), c2.end());
  CscMatrix m = csc_encode(v, 24, 2);
  // 20 zeros = 15 + explicit zero + 4.  17 zeros = 15 + explicit zero + 1.
  expect_csc(m, {3, 0, -4, 0, 1}, {0, 15, 4, 15, 1}, {0, 3, 5});
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{0, 16, 21, 15, 17}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, TrailingZerosNotEncoded) {
  // 40 trailing zeros after the only nonzero: no explicit zeros at the column end.
  V16 v(41, 0);
  v[0] = 6;
  CscMatrix m = csc_encode(v, 41, 1);
  expect_csc(m, {6}, {0}, {0, 1});
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, LongAllZeroColumnHasNoEntries) {
  const V16 v(100, 0);
  CscMatrix m = csc_encode(v, 100, 1);
  expect_csc(m, {}, {}, {0, 0});
  EXPECT_EQ(m.column_entries(0), 0);
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, EmptyColumnsAtStartMiddleEnd) {
  // 3 rows x 6 columns: columns 0, 2, 3 and 5 are all zero.
  const V16 v = {0, 0, 0,  //
                 1, 0, 2,  //
                 0, 0, 0,  //
                 0, 0, 0,  //
                 0, 0, 3,  //
                 0, 0, 0};
  CscMatrix m = csc_encode(v, 3, 6);
  expect_csc(m, {1, 2, 3}, {0, 1, 2}, {0, 0, 2, 2, 2, 3, 3});
  EXPECT_EQ(m.column_entries(0), 0);
  EXPECT_EQ(m.column_entries(1), 2);
  EXPECT_EQ(m.column_entries(2), 0);
  EXPECT_EQ(m.column_entries(3), 0);
  EXPECT_EQ(m.column_entries(4), 1);
  EXPECT_EQ(m.column_entries(5), 0);
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{0, 2, 2}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, AllZeroMatrix) {
  const V16 v(8 * 5, 0);
  CscMatrix m = csc_encode(v, 8, 5);
  expect_csc(m, {}, {}, VA(6, 0));
  EXPECT_EQ(m.entries(), 0);
  EXPECT_EQ(m.nonzeros(), 0);
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, FullyDenseMatrix) {
  V16 v(7 * 4);
  for (int i = 0; i < static_cast<int>(v.size()); ++i)
    v[i] = static_cast<int16_t>(i % 2 ? i + 1 : -i - 1);
  CscMatrix m = csc_encode(v, 7, 4);
  EXPECT_EQ(m.data, v);  // column order is exactly the input order
  EXPECT_EQ(m.count, V8(v.size(), 0));
  EXPECT_EQ(m.addr, (VA{0, 7, 14, 21, 28}));
  EXPECT_EQ(m.nonzeros(), 28);
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, NegativeAndFullRangeValues) {
  const V16 v = {-128, 0, 127, 0, 0, 255, -1, 0};
  CscMatrix m = csc_encode(v, 4, 2);
  expect_csc(m, {-128, 127, 255, -1}, {0, 1, 1, 0}, {0, 2, 4});
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, CountBits2) {
  // max_count = 3. Column: 3 zeros, 5, 4 zeros, 6, 8 zeros, 7, 2 trailing zeros.
  V16 v;
  v.insert(v.end(), 3, 0);
  v.push_back(5);
  v.insert(v.end(), 4, 0);
  v.push_back(6);
  v.insert(v.end(), 8, 0);
  v.push_back(7);
  v.insert(v.end(), 2, 0);
  const int rows = static_cast<int>(v.size());
  CscMatrix m = csc_encode(v, rows, 1, 2);
  EXPECT_EQ(m.count_bits, 2);
  EXPECT_EQ(m.max_count(), 3);
  // 4 zeros = 3 + explicit zero; 8 zeros = (3 + explicit zero) x 2.
  expect_csc(m, {5, 0, 6, 0, 0, 7}, {3, 3, 0, 3, 3, 0}, {0, 6});
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{3, 7, 8, 12, 16, 17}));
  EXPECT_EQ(csc_decode(m), v);
}

TEST(Csc, CountBits1AndCountBits8) {
  const V16 v = run_then_nonzero(5);
  // max_count = 1: pairs of (zero, explicit zero) then the 9 after the 5th zero.
  expect_csc(csc_encode(v, 6, 1, 1), {0, 0, 9}, {1, 1, 1}, {0, 3});
  const V16 w = run_then_nonzero(300);
  expect_csc(csc_encode(w, 301, 1, 8), {0, 9}, {255, 44}, {0, 2});
  EXPECT_EQ(csc_decode(csc_encode(w, 301, 1, 8)), w);
}

TEST(Csc, DegenerateShapes) {
  expect_csc(csc_encode(V16{}, 0, 0), {}, {}, {0});
  expect_csc(csc_encode(V16{}, 0, 3), {}, {}, {0, 0, 0, 0});
  expect_csc(csc_encode(V16{}, 4, 0), {}, {}, {0});
  EXPECT_TRUE(csc_decode(csc_encode(V16{}, 0, 3)).empty());
  expect_csc(csc_encode(V16{7}, 1, 1), {7}, {0}, {0, 1});
  expect_csc(csc_encode(V16{0}, 1, 1), {}, {}, {0, 0});
  // 1 x N: every column has one row, so every count is 0.
  expect_csc(csc_encode(V16{0, 4, 0, 0, -2}, 1, 5), {4, -2}, {0, 0}, {0, 0, 1, 1, 1, 2});
  // N x 1.
  expect_csc(csc_encode(V16{0, 4, 0, 0, -2}, 5, 1), {4, -2}, {1, 2}, {0, 2});
}

TEST(Csc, NullPointerOnlyForEmptyMatrix) {
  expect_csc(csc_encode(nullptr, 0, 5), {}, {}, VA(6, 0));
  EXPECT_THROW(csc_encode(nullptr, 2, 2), std::invalid_argument);
}

TEST(Csc, RandomRoundTrips) {
  std::mt19937 rng(12345);
  const int shapes[][2] = {{1, 1},  {1, 17}, {17, 1}, {2, 3},   {5, 5},   {16, 9},  {15, 4},
                           {33, 7}, {3, 64}, {64, 3}, {100, 2}, {12, 12}, {200, 5}, {1, 300}};
  const double densities[] = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0};
  int checked = 0;
  for (int count_bits = 1; count_bits <= 8; ++count_bits) {
    for (const auto& s : shapes) {
      for (double d : densities) {
        const int rows = s[0], cols = s[1];
        std::bernoulli_distribution nz(d);
        std::uniform_int_distribution<int> val(-128, 255);
        V16 v(static_cast<size_t>(rows) * cols, 0);
        for (auto& x : v) {
          if (!nz(rng)) continue;
          int y = 0;
          while (y == 0) y = val(rng);
          x = static_cast<int16_t>(y);
        }
        SCOPED_TRACE(std::to_string(rows) + "x" + std::to_string(cols) + " d=" + std::to_string(d) +
                     " bits=" + std::to_string(count_bits));
        const CscMatrix m = csc_encode(v, rows, cols, count_bits);
        const CscMatrix ref = reference_encode(v, rows, cols, count_bits);
        ASSERT_EQ(m.data, ref.data);
        ASSERT_EQ(m.count, ref.count);
        ASSERT_EQ(m.addr, ref.addr);
        ASSERT_NO_THROW(csc_validate(m));
        ASSERT_EQ(csc_decode(m), v);
        // Invariants: nonzeros preserved, explicit zeros carry max_count, no trailing zeros.
        int nnz = 0;
        for (int16_t x : v) nnz += (x != 0);
        ASSERT_EQ(m.nonzeros(), nnz);
        for (int i = 0; i < m.entries(); ++i)
          if (m.data[i] == 0) {
            ASSERT_EQ(m.count[i], m.max_count());
          }
        for (int k = 0; k < cols; ++k)
          if (m.column_entries(k) > 0) {
            ASSERT_NE(m.data[m.addr[k + 1] - 1], 0);
          }
        // Row indices point at the values.
        const std::vector<int> ri = csc_row_indices(m);
        for (int k = 0; k < cols; ++k)
          for (int i = m.addr[k]; i < m.addr[k + 1]; ++i)
            ASSERT_EQ(v[static_cast<size_t>(k) * rows + ri[i]], m.data[i]);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 8 * 14 * 9);
}

TEST(Csc, EncodeIntoReusesAndResets) {
  CscMatrix m;
  const V16 a = run_then_nonzero(20);
  csc_encode_into(m, a.data(), 21, 1);
  expect_csc(m, {0, 9}, {15, 4}, {0, 2});
  const V16 b = {1, 0, 0, 2};
  csc_encode_into(m, b.data(), 2, 2, 3);
  EXPECT_EQ(m.rows, 2);
  EXPECT_EQ(m.cols, 2);
  EXPECT_EQ(m.count_bits, 3);
  expect_csc(m, {1, 2}, {0, 1}, {0, 1, 2});
  EXPECT_EQ(csc_decode(m), b);
}

TEST(Csc, EncodeRejectsBadArguments) {
  EXPECT_THROW(csc_encode(V16(5, 1), 2, 3), std::invalid_argument);  // size mismatch
  EXPECT_THROW(csc_encode(V16(7, 1), 2, 3), std::invalid_argument);
  EXPECT_THROW(csc_encode(V16{}, -1, 0), std::invalid_argument);
  EXPECT_THROW(csc_encode(V16{}, 0, -2), std::invalid_argument);
  EXPECT_THROW(csc_encode(V16(4, 1), 2, 2, 0), std::invalid_argument);
  EXPECT_THROW(csc_encode(V16(4, 1), 2, 2, 9), std::invalid_argument);
  EXPECT_NO_THROW(csc_encode(V16(4, 1), 2, 2, 8));
  try {
    csc_encode(V16(5, 1), 2, 3);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("expected 6"), std::string::npos) << e.what();
  }
}

TEST(Csc, EncodeRejectsAddressOverflow) {
  // 70000 nonzeros cannot be addressed by the 16-bit address vector.
  EXPECT_THROW(csc_encode(V16(70000, 1), 70000, 1), std::invalid_argument);
  CscMatrix m;
  const V16 v(70000, 1);
  EXPECT_THROW(csc_encode_into(m, v.data(), 1, 70000), std::invalid_argument);
  // Many zeros are fine: only entries count.
  EXPECT_NO_THROW(csc_encode(V16(70000, 0), 70000, 1));
}

// Checks csc_validate (and decode/row_indices, which validate) reject m, mentioning `needle`.
void expect_invalid(const CscMatrix& m, const std::string& needle) {
  try {
    csc_validate(m);
    ADD_FAILURE() << "csc_validate accepted a corrupted matrix (" << needle << ")";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
  EXPECT_THROW(csc_decode(m), std::invalid_argument);
  EXPECT_THROW(csc_row_indices(m), std::invalid_argument);
}

TEST(Csc, ValidateRejectsCorruptedVectors) {
  // 4 rows x 3 columns, column 1 empty.
  const V16 v = {0, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0};
  const CscMatrix good = csc_encode(v, 4, 3);
  expect_csc(good, {3, 4, 5}, {1, 1, 0}, {0, 2, 2, 3});
  ASSERT_NO_THROW(csc_validate(good));

  CscMatrix m = good;
  m.addr.pop_back();
  expect_invalid(m, "addr has 3 entries");

  m = good;
  m.addr.push_back(3);
  expect_invalid(m, "addr has 5 entries");

  m = good;
  m.addr[0] = 1;
  expect_invalid(m, "addr[0]");

  m = good;
  m.addr[2] = 1;  // 0, 2, 1, 3
  expect_invalid(m, "decreases at column 1");

  m = good;
  m.addr[3] = 2;  // last != entries
  expect_invalid(m, "addr[cols]");

  m = good;
  m.data.push_back(1);
  m.count.push_back(0);
  expect_invalid(m, "addr[cols]");

  m = good;
  m.count.pop_back();
  expect_invalid(m, "count has 2 entries");

  m = good;
  m.count[0] = 16;  // > 15 for 4-bit counts
  expect_invalid(m, "exceeds max_count");

  m = good;
  m.count_bits = 2;
  m.count[2] = 4;  // fine for 4 bits, > 3 for 2 bits
  expect_invalid(m, "exceeds max_count");

  m = good;
  m.count[1] = 2;  // rows 1, 4: past the 4-row column
  expect_invalid(m, "row 4");

  m = good;
  m.rows = 2;  // row 3 of column 0 no longer exists
  expect_invalid(m, "rows = 2");

  m = good;
  m.count_bits = 0;
  expect_invalid(m, "count_bits");

  m = good;
  m.count_bits = 9;
  expect_invalid(m, "count_bits");

  m = good;
  m.rows = -1;
  expect_invalid(m, "negative shape");

  CscMatrix empty;  // default: 0 x 0 but addr missing
  expect_invalid(empty, "addr has 0 entries");
  empty.addr = {0};
  EXPECT_NO_THROW(csc_validate(empty));
}

TEST(Csc, DecodeAcceptsNonCanonicalButValidInput) {
  // An explicit zero with a small count, and a trailing explicit zero, still decode.
  CscMatrix m;
  m.rows = 5;
  m.cols = 1;
  m.data = {0, 7, 0};
  m.count = {1, 0, 1};
  m.addr = {0, 3};
  EXPECT_EQ(csc_row_indices(m), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(csc_decode(m), (V16{0, 0, 7, 0, 0}));
  EXPECT_EQ(m.nonzeros(), 1);
}

}  // namespace
}  // namespace eyeriss
