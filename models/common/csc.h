// Compressed sparse column (CSC) codec used for weights and iacts, on-chip and off-chip.
// Column k of a rows x cols matrix (column-major input) becomes entries [addr[k], addr[k+1]) of
// the data/count vectors. count = zeros skipped since the previous entry (or column start).
// A zero run longer than max_count = 2^count_bits - 1 is cut by an explicit zero entry with
// count = max_count; trailing zeros of a column are not encoded (the column length is known).
#pragma once
#include <cstdint>
#include <vector>

namespace eyeriss {

struct CscMatrix {
  int rows = 0, cols = 0, count_bits = 4;
  std::vector<int16_t> data;   // one per entry
  std::vector<uint8_t> count;  // one per entry
  std::vector<uint16_t> addr;  // cols + 1
  int entries() const { return (int)data.size(); }
  int column_entries(int k) const { return addr[k + 1] - addr[k]; }
  int nonzeros() const;  // entries with data != 0
  int max_count() const { return (1 << count_bits) - 1; }
};

// values[k * rows + r] is row r of column k. Throws std::invalid_argument on bad shape or
// count_bits (must be in [1, 8]), or if the entries do not fit the 16-bit address vector.
CscMatrix csc_encode(const int16_t* values, int rows, int cols, int count_bits = 4);
CscMatrix csc_encode(const std::vector<int16_t>& values, int rows, int cols, int count_bits = 4);
// Same, into an existing matrix: reuses its vectors' capacity, so hot loops allocate nothing.
void csc_encode_into(CscMatrix& out, const int16_t* values, int rows, int cols, int count_bits = 4);

// Back to column-major rows * cols. Validates first (throws std::invalid_argument).
std::vector<int16_t> csc_decode(const CscMatrix& m);

// Row index of each entry in its column (running sum of counts + 1 per previous entry).
// Validates first (throws std::invalid_argument).
std::vector<int> csc_row_indices(const CscMatrix& m);

// Throws std::invalid_argument describing the problem if the vectors are inconsistent: shape or
// count_bits out of range, addr size/start/monotonicity/last != entries, count size or value out
// of range, or a row index >= rows.
void csc_validate(const CscMatrix& m);

}  // namespace eyeriss
