// The words a link carries, bit for bit (eyeriss-v2-facts.md, "Link widths"): a packet is a bit
// stream of fields, least significant first, cut into link words of `word_bits` (24 for iacts
// and weights, 40 for psums); each word sits in the low bits of one 64-bit little-endian
// container, so a transactor can put word i on the link's data pins in cycle i. Pure C++.
//
// Formats (one function pair each, so the sender and the PE agree by construction):
//  - CSC iact segment: per entry count (count_bits) then value (8 bits); then the segment's
//    address entry (iact_addr width: the column end, modulo its range).
//  - CSC weight block (rows = output channels, columns = c*S + s): per column, whole weight-data
//    words of `simd` lanes of count (count_bits) + value (8 bits), an idle lane all zero (never a
//    real entry: an explicit zero has count = max_count), each word padded to the SPad word
//    width; then one address entry per column (end of the column in words).
//  - raw values (dense mode): 8 bits each.
//  - psums: psum_bits each, two's complement.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/common/csc.h"

namespace eyeriss {

class LinkWords {
 public:
  void reset(int word_bits) {
    word_bits_ = word_bits;
    bits_ = 0;
    off_ = word_bits;  // no word yet: the first field opens one
    words_.clear();
  }
  // Appends a field. The writer keeps its offset in the last word, so a field costs no
  // division (packing runs once per packet and hop).
  void put(uint64_t value, int nbits) {
    if (nbits <= 0) return;
    value &= mask(nbits);
    if (off_ == word_bits_) {
      words_.push_back(0);
      off_ = 0;
    }
    if (off_ + nbits > word_bits_) return put_split(value, nbits);
    words_.back() |= value << off_;  // the usual case: the field fits the current word
    off_ += nbits;
    bits_ += nbits;
  }
  // Random access to the field at bit `pos` (the unpackers read in order with LinkReader).
  uint64_t get(std::size_t pos, int nbits) const;
  int word_bits() const { return word_bits_; }
  std::size_t bits() const { return bits_; }
  std::size_t words() const { return words_.size(); }
  const std::vector<uint64_t>& data() const { return words_; }
  std::vector<uint64_t>& data() { return words_; }

  static uint64_t mask(int n) { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; }

 private:
  void put_split(uint64_t value, int nbits);
  int word_bits_ = 24;
  int off_ = 24;  // bits used in the last word (word_bits_: full, or no word yet)
  std::size_t bits_ = 0;
  std::vector<uint64_t> words_;
};

// Reads a packet's fields in order from bit `pos` on, keeping its place (word and offset) so a
// field costs no division. Reading past the packet's last bit throws std::out_of_range.
class LinkReader {
 public:
  explicit LinkReader(const LinkWords& w, std::size_t pos = 0)
      : words_(w.data().data()),
        word_bits_(w.word_bits()),
        word_(pos / w.word_bits()),
        off_(static_cast<int>(pos % w.word_bits())),
        left_(pos <= w.bits() ? w.bits() - pos : 0),
        past_end_(pos > w.bits()) {}
  uint64_t get(int nbits) {
    if (past_end_ || std::size_t(nbits) > left_) past_last_bit();
    left_ -= nbits;
    if (off_ + nbits > word_bits_) return get_split(nbits);
    const uint64_t v = (words_[word_] >> off_) & LinkWords::mask(nbits);
    off_ += nbits;
    if (off_ == word_bits_) {
      ++word_;
      off_ = 0;
    }
    return v;
  }
  // Skips nbits (padding may span words) without reading them.
  void skip(int nbits) {
    if (nbits > 0) skip_bits(nbits);
  }

 private:
  uint64_t get_split(int nbits);
  void skip_bits(int nbits);
  [[noreturn]] static void past_last_bit();
  const uint64_t* words_;
  int word_bits_;
  std::size_t word_;
  int off_;
  std::size_t left_;  // bits from here to the packet's last bit
  bool past_end_;
};

// Field widths of the formats, from the architecture.
struct LinkFormat {
  int count_bits = 4;
  int value_bits = 8;
  int iact_addr_bits = 4;
  int weight_addr_bits = 7;
  int weight_word_bits = 24;  // weight data SPad word
  int simd = 2;
  int psum_bits = 20;
};

// One decoded CSC entry: its row in the column and its value.
struct LinkEntry {
  int16_t row;
  int16_t value;
};

void pack_iact_csc(const CscMatrix& seg, const LinkFormat& f, LinkWords& out);
// `entries` CSC entries; values sign-extended when `signed_values`.
void unpack_iact_csc(const LinkWords& in, int entries, const LinkFormat& f, bool signed_values,
                     std::vector<LinkEntry>& out);

// Returns the weight-data words the block occupies in the SPad.
int pack_weight_csc(const CscMatrix& w, const LinkFormat& f, LinkWords& out);
// cols columns; out[k] = column k's entries (row = output channel).
void unpack_weight_csc(const LinkWords& in, int cols, const LinkFormat& f,
                       std::vector<std::vector<LinkEntry>>& out);

void pack_raw(const int16_t* v, std::size_t n, int value_bits, LinkWords& out);
void unpack_raw(const LinkWords& in, std::size_t n, int value_bits, bool signed_values,
                std::vector<int16_t>& out);

void pack_psums(const int32_t* v, std::size_t n, int psum_bits, LinkWords& out);
void unpack_psums(const LinkWords& in, std::size_t n, int psum_bits, std::vector<int32_t>& out);

}  // namespace eyeriss
