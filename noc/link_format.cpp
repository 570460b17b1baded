#include "noc/link_format.h"

#include <stdexcept>

namespace eyeriss {

namespace {

int64_t sign_extend(uint64_t v, int bits) {
  const uint64_t m = uint64_t(1) << (bits - 1);
  return int64_t((v ^ m) - m);
}

}  // namespace

void LinkWords::put_split(uint64_t value, int nbits) {
  while (nbits > 0) {
    if (off_ == word_bits_) {
      words_.push_back(0);
      off_ = 0;
    }
    const int take = std::min(nbits, word_bits_ - off_);
    words_.back() |= (value & mask(take)) << off_;
    value >>= take;
    nbits -= take;
    off_ += take;
    bits_ += take;
  }
}

uint64_t LinkWords::get(std::size_t pos, int nbits) const {
  LinkReader r(*this, pos);
  return r.get(nbits);
}

void LinkReader::past_last_bit() {
  throw std::out_of_range("LinkWords: read past the packet's last bit");
}

// A field across word boundaries (left_ already accounts for it).
uint64_t LinkReader::get_split(int nbits) {
  uint64_t v = 0;
  int got = 0;
  while (got < nbits) {
    const int take = std::min(nbits - got, word_bits_ - off_);
    v |= ((words_[word_] >> off_) & LinkWords::mask(take)) << got;
    got += take;
    off_ += take;
    if (off_ == word_bits_) {
      ++word_;
      off_ = 0;
    }
  }
  return v;
}

void LinkReader::skip_bits(int nbits) {
  if (past_end_ || std::size_t(nbits) > left_) past_last_bit();
  left_ -= nbits;
  const std::size_t pos = std::size_t(off_) + std::size_t(nbits);
  word_ += pos / word_bits_;
  off_ = static_cast<int>(pos % word_bits_);
}

void pack_iact_csc(const CscMatrix& seg, const LinkFormat& f, LinkWords& out) {
  const uint64_t vmask = (uint64_t(1) << f.value_bits) - 1;
  for (int i = 0; i < seg.entries(); ++i)  // count, then value, as one field
    out.put(seg.count[i] | (static_cast<uint16_t>(seg.data[i]) & vmask) << f.count_bits,
            f.count_bits + f.value_bits);
  out.put(static_cast<uint64_t>(seg.entries()), f.iact_addr_bits);
}

void unpack_iact_csc(const LinkWords& in, int entries, const LinkFormat& f, bool signed_values,
                     std::vector<LinkEntry>& out) {
  out.clear();
  const int eb = f.count_bits + f.value_bits;
  const uint64_t cmask = (uint64_t(1) << f.count_bits) - 1;
  int row = -1;
  LinkReader r(in);
  for (int i = 0; i < entries; ++i) {
    const uint64_t e = r.get(eb);
    row += 1 + static_cast<int>(e & cmask);
    const uint64_t v = e >> f.count_bits;
    out.push_back({static_cast<int16_t>(row),
                   static_cast<int16_t>(signed_values ? sign_extend(v, f.value_bits) : v)});
  }
}

int pack_weight_csc(const CscMatrix& w, const LinkFormat& f, LinkWords& out) {
  const int lane = f.count_bits + f.value_bits;
  int words = 0;
  std::vector<int> ends(w.cols);
  for (int k = 0; k < w.cols; ++k) {
    const int n = w.column_entries(k);
    const int cw = (n + f.simd - 1) / f.simd;
    for (int j = 0; j < cw; ++j) {
      for (int l = 0; l < f.simd; ++l) {
        const int i = w.addr[k] + j * f.simd + l;
        if (i < w.addr[k + 1]) {
          out.put(w.count[i], f.count_bits);
          out.put(static_cast<uint16_t>(w.data[i]), f.value_bits);
        } else {
          out.put(0, lane);  // idle lane
        }
      }
      out.put(0, f.weight_word_bits - f.simd * lane);  // word padding
    }
    words += cw;
    ends[k] = words;
  }
  for (int k = 0; k < w.cols; ++k) out.put(static_cast<uint64_t>(ends[k]), f.weight_addr_bits);
  return words;
}

void unpack_weight_csc(const LinkWords& in, int cols, const LinkFormat& f,
                       std::vector<std::vector<LinkEntry>>& out) {
  out.resize(cols);
  const int lane = f.count_bits + f.value_bits;
  // The address entries follow the data words; column k spans words [end[k-1], end[k]), the
  // differences taken modulo the address range (a column is far shorter than that range).
  const uint64_t amask = LinkWords::mask(f.weight_addr_bits);
  std::vector<int> words(cols);
  std::size_t total = 0;
  {
    // Total data words: the stream holds words * word_bits + cols * addr_bits bits.
    if (in.bits() < std::size_t(cols) * f.weight_addr_bits)
      throw std::out_of_range("weight block: shorter than its address entries");
    const std::size_t data_bits = in.bits() - std::size_t(cols) * f.weight_addr_bits;
    total = data_bits / f.weight_word_bits;
    uint64_t prev = 0;
    LinkReader r(in, data_bits);
    for (int k = 0; k < cols; ++k) {
      const uint64_t a = r.get(f.weight_addr_bits);
      words[k] = static_cast<int>((a - prev) & amask);
      prev = a;
    }
  }
  std::size_t word = 0;
  LinkReader r(in);
  const int pad = f.weight_word_bits - f.simd * lane;
  const uint64_t cmask = LinkWords::mask(f.count_bits);
  for (int k = 0; k < cols; ++k) {
    auto& col = out[k];
    col.clear();
    int row = -1;
    for (int j = 0; j < words[k]; ++j, ++word) {
      if (word >= total) throw std::out_of_range("weight block: address past the data words");
      for (int l = 0; l < f.simd; ++l) {
        const uint64_t e = r.get(lane);  // count, then value
        if (e == 0) continue;            // idle lane
        const uint64_t c = e & cmask, v = e >> f.count_bits;
        row += 1 + static_cast<int>(c);
        col.push_back(
            {static_cast<int16_t>(row), static_cast<int16_t>(sign_extend(v, f.value_bits))});
      }
      r.skip(pad);  // the word's padding
    }
  }
}

void pack_raw(const int16_t* v, std::size_t n, int value_bits, LinkWords& out) {
  for (std::size_t i = 0; i < n; ++i) out.put(static_cast<uint16_t>(v[i]), value_bits);
}

void unpack_raw(const LinkWords& in, std::size_t n, int value_bits, bool signed_values,
                std::vector<int16_t>& out) {
  out.resize(n);
  LinkReader r(in);
  for (std::size_t i = 0; i < n; ++i) {
    const uint64_t v = r.get(value_bits);
    out[i] = static_cast<int16_t>(signed_values ? sign_extend(v, value_bits) : v);
  }
}

void pack_psums(const int32_t* v, std::size_t n, int psum_bits, LinkWords& out) {
  for (std::size_t i = 0; i < n; ++i) out.put(static_cast<uint32_t>(v[i]), psum_bits);
}

void unpack_psums(const LinkWords& in, std::size_t n, int psum_bits, std::vector<int32_t>& out) {
  out.resize(n);
  LinkReader r(in);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<int32_t>(sign_extend(r.get(psum_bits), psum_bits));
}

}  // namespace eyeriss
