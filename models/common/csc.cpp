#include "models/common/csc.h"

#include <cstddef>
#include <stdexcept>
#include <string>

namespace eyeriss {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("csc: " + what); }

void check_shape(int rows, int cols, int count_bits) {
  if (rows < 0 || cols < 0)
    fail("negative shape " + std::to_string(rows) + " x " + std::to_string(cols));
  if (count_bits < 1 || count_bits > 8)
    fail("count_bits " + std::to_string(count_bits) + " outside [1, 8]");
}

// Last nonzero row of a column, or -1: everything after it is trailing zeros, not encoded.
inline int last_nonzero(const int16_t* col, int rows) {
  int r = rows - 1;
  while (r >= 0 && col[r] == 0) --r;
  return r;
}

// The one encoding loop, shared by the counting pass and the emitting pass so they can't drift.
template <class Emit>
inline void scan_column(const int16_t* col, int last, int max_count, Emit&& emit) {
  int run = 0;
  for (int r = 0; r <= last; ++r) {
    const int16_t v = col[r];
    if (v != 0) {
      emit(v, run);
      run = 0;
    } else if (run == max_count) {
      emit(int16_t{0}, run);  // explicit zero: max_count zeros plus itself
      run = 0;
    } else {
      ++run;
    }
  }
}

std::size_t count_entries(const int16_t* values, int rows, int cols, int max_count) {
  std::size_t n = 0;
  for (int k = 0; k < cols; ++k) {
    const int16_t* col = values + static_cast<std::size_t>(k) * rows;
    scan_column(col, last_nonzero(col, rows), max_count, [&n](int16_t, int) { ++n; });
  }
  return n;
}

constexpr std::size_t kMaxEntries = 0xFFFF;  // addr is uint16_t

void encode_impl(CscMatrix& m, const int16_t* values, int rows, int cols, int count_bits,
                 bool reserve_exact) {
  check_shape(rows, cols, count_bits);
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  if (values == nullptr && n != 0) fail("null values for a non-empty matrix");
  m.rows = rows;
  m.cols = cols;
  m.count_bits = count_bits;
  m.data.clear();
  m.count.clear();
  m.addr.clear();
  const int max_count = m.max_count();
  m.addr.reserve(static_cast<std::size_t>(cols) + 1);
  if (reserve_exact) {
    // A cheap read-only pre-pass beats repeated regrowth of two vectors.
    const std::size_t e = count_entries(values, rows, cols, max_count);
    if (e > kMaxEntries)
      fail(std::to_string(e) + " entries exceed the 16-bit address range (" +
           std::to_string(kMaxEntries) + ")");
    m.data.reserve(e);
    m.count.reserve(e);
  }
  m.addr.push_back(0);
  auto emit = [&m](int16_t v, int c) {
    m.data.push_back(v);
    m.count.push_back(static_cast<uint8_t>(c));
  };
  for (int k = 0; k < cols; ++k) {
    const int16_t* col = values + static_cast<std::size_t>(k) * rows;
    scan_column(col, last_nonzero(col, rows), max_count, emit);
    if (m.data.size() > kMaxEntries)
      fail(std::to_string(m.data.size()) + "+ entries exceed the 16-bit address range (" +
           std::to_string(kMaxEntries) + ")");
    m.addr.push_back(static_cast<uint16_t>(m.data.size()));
  }
}

}  // namespace

int CscMatrix::nonzeros() const {
  int n = 0;
  for (int16_t v : data) n += (v != 0);
  return n;
}

CscMatrix csc_encode(const int16_t* values, int rows, int cols, int count_bits) {
  CscMatrix m;
  encode_impl(m, values, rows, cols, count_bits, true);
  return m;
}

CscMatrix csc_encode(const std::vector<int16_t>& values, int rows, int cols, int count_bits) {
  check_shape(rows, cols, count_bits);
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  if (values.size() != n)
    fail(std::to_string(values.size()) + " values for a " + std::to_string(rows) + " x " +
         std::to_string(cols) + " matrix (expected " + std::to_string(n) + ")");
  return csc_encode(values.data(), rows, cols, count_bits);
}

void csc_encode_into(CscMatrix& out, const int16_t* values, int rows, int cols, int count_bits) {
  encode_impl(out, values, rows, cols, count_bits, false);
}

void csc_validate(const CscMatrix& m) {
  check_shape(m.rows, m.cols, m.count_bits);
  const std::size_t entries = m.data.size();
  if (m.count.size() != entries)
    fail("count has " + std::to_string(m.count.size()) + " entries, data has " +
         std::to_string(entries));
  if (m.addr.size() != static_cast<std::size_t>(m.cols) + 1)
    fail("addr has " + std::to_string(m.addr.size()) +
         " entries, expected cols + 1 = " + std::to_string(m.cols + 1));
  if (m.addr[0] != 0) fail("addr[0] is " + std::to_string(m.addr[0]) + ", expected 0");
  for (int k = 0; k < m.cols; ++k)
    if (m.addr[k + 1] < m.addr[k])
      fail("addr decreases at column " + std::to_string(k) + " (" + std::to_string(m.addr[k]) +
           " -> " + std::to_string(m.addr[k + 1]) + ")");
  if (m.addr[m.cols] != entries)
    fail("addr[cols] is " + std::to_string(m.addr[m.cols]) +
         ", expected entries = " + std::to_string(entries));
  const int max_count = m.max_count();
  for (std::size_t i = 0; i < entries; ++i)
    if (m.count[i] > max_count)
      fail("count[" + std::to_string(i) + "] = " + std::to_string(m.count[i]) +
           " exceeds max_count " + std::to_string(max_count));
  for (int k = 0; k < m.cols; ++k) {
    long row = -1;
    for (int i = m.addr[k]; i < m.addr[k + 1]; ++i) {
      row += 1 + m.count[i];
      if (row >= m.rows)
        fail("entry " + std::to_string(i) + " of column " + std::to_string(k) + " at row " +
             std::to_string(row) + ", but rows = " + std::to_string(m.rows));
    }
  }
}

std::vector<int> csc_row_indices(const CscMatrix& m) {
  csc_validate(m);
  std::vector<int> rows(m.data.size());
  for (int k = 0; k < m.cols; ++k) {
    int row = -1;
    for (int i = m.addr[k]; i < m.addr[k + 1]; ++i) rows[i] = row += 1 + m.count[i];
  }
  return rows;
}

std::vector<int16_t> csc_decode(const CscMatrix& m) {
  csc_validate(m);
  std::vector<int16_t> out(static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols), 0);
  for (int k = 0; k < m.cols; ++k) {
    int16_t* col = out.data() + static_cast<std::size_t>(k) * m.rows;
    int row = -1;
    for (int i = m.addr[k]; i < m.addr[k + 1]; ++i) {
      row += 1 + m.count[i];
      col[row] = m.data[i];
    }
  }
  return out;
}

}  // namespace eyeriss
