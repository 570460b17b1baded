#include "models/common/npy.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "models/common/error.h"

namespace eyeriss {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

// Header text comes from an untrusted file: escape non-printables and cap the length so a
// garbage file cannot produce an unreadable message.
std::string printable(const std::string& s, std::size_t max_len = 40) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == max_len) {
      r += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      r += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      r += buf;
    }
  }
  return r;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Names the file and the tensor in every load error.
class LoadContext {
 public:
  LoadContext(const std::string& path, const std::string& what)
      : path_(path), what_(what.empty() ? "npy data" : what) {}
  [[noreturn]] void fail(const std::string& msg) const {
    throw InputError("cannot load " + what_ + " from '" + path_ + "': " + msg);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string what_;
};

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<int> shape;
};

// Parses the Python dict literal numpy writes, e.g.
//   {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }
// Only the literal forms numpy produces are accepted; no Python evaluation happens.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const LoadContext& ctx) : s_(text), ctx_(ctx) {}

  Header parse() {
    Header h;
    bool have_descr = false, have_fortran = false, have_shape = false;
    skip_ws();
    expect('{', "the header dict");
    skip_ws();
    while (!at('}')) {
      const std::string key = parse_string("a dict key");
      skip_ws();
      expect(':', "after a dict key");
      skip_ws();
      if (key == "descr") {
        if (have_descr) malformed("duplicate key 'descr'");
        if (at('[')) ctx_.fail("structured dtypes are not supported (header 'descr' is a list)");
        h.descr = parse_string("the 'descr' value (a dtype string)");
        have_descr = true;
      } else if (key == "fortran_order") {
        if (have_fortran) malformed("duplicate key 'fortran_order'");
        h.fortran_order = parse_bool();
        have_fortran = true;
      } else if (key == "shape") {
        if (have_shape) malformed("duplicate key 'shape'");
        h.shape = parse_shape();
        have_shape = true;
      } else {
        malformed("unexpected key '" + printable(key) + "'");
      }
      skip_ws();
      if (at(',')) {
        ++pos_;
        skip_ws();
      } else if (!at('}')) {
        malformed("expected ',' or '}' in the header dict" + found());
      }
    }
    ++pos_;
    skip_ws();
    if (pos_ != s_.size()) malformed("unexpected text after the header dict" + found());
    if (!have_descr) malformed("missing key 'descr'");
    if (!have_fortran) malformed("missing key 'fortran_order'");
    if (!have_shape) malformed("missing key 'shape'");
    return h;
  }

 private:
  static bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  void skip_ws() {
    while (pos_ < s_.size() && is_ws(s_[pos_])) ++pos_;
  }
  std::string found() const {
    if (pos_ >= s_.size()) return ", found end of header";
    std::string near = s_.substr(pos_, 12);
    while (!near.empty() && is_ws(near.back())) near.pop_back();
    return ", found '" + printable(near) + "'";
  }
  [[noreturn]] void malformed(const std::string& msg) const {
    std::string shown = s_;
    while (!shown.empty() && is_ws(shown.back())) shown.pop_back();  // drop numpy's padding
    ctx_.fail("malformed npy header: " + msg + " (header: \"" + printable(shown, 120) + "\")");
  }
  void expect(char c, const char* where) {
    if (!at(c)) malformed(std::string("expected '") + c + "' " + where + found());
    ++pos_;
  }

  std::string parse_string(const char* desc) {
    if (!at('\'') && !at('"')) malformed(std::string("expected ") + desc + found());
    const char quote = s_[pos_++];
    std::string r;
    while (pos_ < s_.size() && s_[pos_] != quote && s_[pos_] != '\n') {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
      r += s_[pos_++];
    }
    if (!at(quote)) malformed(std::string("unterminated string in ") + desc);
    ++pos_;
    return r;
  }

  bool parse_bool() {
    for (const bool v : {true, false}) {
      const std::string word = v ? "True" : "False";
      if (s_.compare(pos_, word.size(), word) == 0) {
        const std::size_t end = pos_ + word.size();
        if (end == s_.size() ||
            !(std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_')) {
          pos_ = end;
          return v;
        }
      }
    }
    malformed("'fortran_order' must be True or False" + found());
  }

  std::vector<int> parse_shape() {
    if (!at('(')) malformed("'shape' must be a tuple" + found());
    ++pos_;
    skip_ws();
    std::vector<int> dims;
    std::size_t commas = 0;
    while (!at(')')) {
      dims.push_back(parse_dim());
      skip_ws();
      if (at(',')) {
        ++pos_;
        ++commas;
        skip_ws();
      } else if (!at(')')) {
        malformed("expected ',' or ')' in 'shape'" + found());
      }
    }
    ++pos_;
    // In Python "(5)" is the integer 5, not a tuple.
    if (dims.size() == 1 && commas == 0) malformed("'shape' is not a tuple (missing ',')");
    return dims;
  }

  int parse_dim() {
    const std::size_t start = pos_;
    long long v = 0;
    bool too_large = false;
    while (pos_ < s_.size() && is_digit(s_[pos_])) {
      v = v * 10 + (s_[pos_] - '0');
      if (v > INT_MAX) {
        too_large = true;
        v = INT_MAX;  // keep accumulating digits without overflow
      }
      ++pos_;
    }
    if (pos_ == start) malformed("'shape' entries must be non-negative integers" + found());
    if (too_large) {
      ctx_.fail("shape dimension " + printable(s_.substr(start, pos_ - start)) +
                " is too large (limit " + std::to_string(INT_MAX) + ")");
    }
    if (at('L') || at('l')) ++pos_;  // Python 2 long suffix in old files
    return static_cast<int>(v);
  }

  const std::string& s_;
  const LoadContext& ctx_;
  std::size_t pos_ = 0;
};

std::uint64_t read_le(const unsigned char* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

// An open .npy file positioned at the start of the array data.
struct OpenNpy {
  FilePtr file;
  Header header;
  std::uint64_t data_bytes_in_file = 0;
};

OpenNpy open_npy(const LoadContext& ctx) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(ctx.path(), ec);
  if (st.type() == fs::file_type::not_found) ctx.fail("file not found");
  if (ec) ctx.fail("cannot access file: " + ec.message());
  if (fs::is_directory(st)) ctx.fail("is a directory, not a .npy file");
  const std::uint64_t file_size = fs::file_size(ctx.path(), ec);
  if (ec) ctx.fail("cannot determine file size: " + ec.message());

  errno = 0;
  OpenNpy r;
  r.file.reset(std::fopen(ctx.path().c_str(), "rb"));
  if (!r.file) ctx.fail(std::string("cannot open file: ") + std::strerror(errno));
  std::FILE* f = r.file.get();

  unsigned char pre[8];
  const std::size_t got = std::fread(pre, 1, sizeof pre, f);
  if (got < kMagicLen || std::memcmp(pre, kMagic, kMagicLen) != 0)
    ctx.fail("not a .npy file (missing the \\x93NUMPY magic string)");
  if (got < sizeof pre) ctx.fail("truncated header: the file ends inside the version field");
  const int major = pre[6], minor = pre[7];
  if (!(major >= 1 && major <= 3 && minor == 0)) {
    ctx.fail("unsupported .npy format version " + std::to_string(major) + "." +
             std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  }
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  unsigned char lb[4];
  if (std::fread(lb, 1, len_bytes, f) != len_bytes)
    ctx.fail("truncated header: the file ends inside the header length field");
  const std::uint64_t header_len = read_le(lb, len_bytes);
  const std::uint64_t prefix = sizeof pre + len_bytes;
  const std::uint64_t after_prefix = file_size > prefix ? file_size - prefix : 0;
  // Checked against the real file size before allocating, so a garbage length is harmless.
  if (header_len > after_prefix) {
    ctx.fail("truncated header: header length is " + std::to_string(header_len) +
             " bytes but only " + std::to_string(after_prefix) + " bytes follow");
  }
  std::string text(static_cast<std::size_t>(header_len), '\0');
  if (header_len > 0 && std::fread(&text[0], 1, text.size(), f) != text.size())
    ctx.fail("truncated header: could not read " + std::to_string(header_len) + " header bytes");
  r.header = HeaderParser(text, ctx).parse();
  r.data_bytes_in_file = after_prefix - header_len;
  return r;
}

// Elements of a shape, saturating at UINT64_MAX (a garbage header may hold huge dims).
std::uint64_t element_count(const std::vector<int>& shape) {
  std::uint64_t n = 1;
  for (const int d : shape) {
    if (d == 0) return 0;
    const auto u = static_cast<std::uint64_t>(d);
    n = n > UINT64_MAX / u ? UINT64_MAX : n * u;
  }
  return n;
}

// Checks layout, shape and the data size against the file before anything is allocated, so a
// file cannot make the loader allocate more than the file holds. 1-byte dtypes only.
void check_layout(const LoadContext& ctx, const OpenNpy& npy,
                  const std::vector<int>& expected_shape) {
  if (npy.header.fortran_order) {
    ctx.fail(
        "fortran_order is True; only C-order arrays are supported "
        "(save with np.ascontiguousarray)");
  }
  if (npy.header.shape != expected_shape) {
    ctx.fail("shape mismatch: expected " + shape_str(expected_shape) + ", got " +
             shape_str(npy.header.shape));
  }
  const std::uint64_t need = element_count(expected_shape);
  const std::uint64_t have = npy.data_bytes_in_file;
  if (have < need) {
    ctx.fail("data truncated: shape " + shape_str(expected_shape) + " of dtype " +
             npy.header.descr + " needs " + std::to_string(need) + " bytes of data, file has " +
             std::to_string(have));
  }
  if (have > need) {
    ctx.fail(std::to_string(have - need) + " unexpected trailing bytes after the " +
             std::to_string(need) + " bytes of array data");
  }
}

// Reads exactly out.size() bytes (check_layout has matched them to the file).
void read_data(const LoadContext& ctx, OpenNpy& npy, std::vector<unsigned char>& out) {
  if (!out.empty() && std::fread(out.data(), 1, out.size(), npy.file.get()) != out.size())
    ctx.fail("data truncated: could not read " + std::to_string(out.size()) + " bytes of data");
  // The file may have changed since its size was taken.
  if (std::fgetc(npy.file.get()) != EOF) ctx.fail("unexpected trailing bytes after the data");
}

// Byte order is meaningless for 1-byte types, so every order prefix numpy could write is fine.
bool is_byte_dtype(const std::string& descr, char kind) {
  return descr.size() == 3 &&
         (descr[0] == '|' || descr[0] == '<' || descr[0] == '>' || descr[0] == '=') &&
         descr[1] == kind && descr[2] == '1';
}

std::string dtype_for_msg(const std::string& descr) {
  return descr.empty() ? "''" : printable(descr);
}

void write_file(const std::string& path, const std::string& bytes) {
  auto fail = [&](int err) {
    throw InputError("cannot write npy file '" + path +
                     "': " + (err ? std::strerror(err) : "I/O error"));
  };
  errno = 0;
  FilePtr f(std::fopen(path.c_str(), "wb"));
  if (!f) fail(errno);
  const bool wrote = std::fwrite(bytes.data(), 1, bytes.size(), f.get()) == bytes.size();
  const int write_err = errno;
  const bool closed = std::fclose(f.release()) == 0;
  const int close_err = errno;
  if (!wrote || !closed) {
    std::remove(path.c_str());  // don't leave a half-written file that looks valid
    fail(!wrote ? write_err : close_err);
  }
}

// Builds magic, version, header length and the padded header dict. numpy pads so the data
// starts 64-byte aligned and ends the header with '\n'; we do the same.
std::string npy_prefix(const std::string& path, const char* descr, const std::vector<int>& shape) {
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dict += ',';
  dict += "), }";

  auto padded_len = [&](std::size_t prefix) {
    const std::size_t total = prefix + dict.size() + 1;
    return (total + 63) / 64 * 64 - prefix;
  };
  int major = 1;
  std::size_t header_len = padded_len(10);
  if (header_len > 0xffff) {
    major = 2;
    header_len = padded_len(12);
    if (header_len > 0xffffffffu)
      throw InputError("cannot write npy file '" + path + "': header too large");
  }
  std::string r(kMagic, kMagicLen);
  r += static_cast<char>(major);
  r += '\0';
  for (int i = 0; i < (major == 1 ? 2 : 4); ++i)
    r += static_cast<char>((header_len >> (8 * i)) & 0xff);
  r += dict;
  r.append(header_len - dict.size() - 1, ' ');
  r += '\n';
  return r;
}

template <typename T>
void save_bytes(const std::string& path, const char* descr, const Tensor<T>& t) {
  std::string out = npy_prefix(path, descr, t.shape());
  out.reserve(out.size() + t.size());
  for (const T v : t.values()) out += static_cast<char>(static_cast<unsigned char>(v));
  write_file(path, out);
}

}  // namespace

ActTensor load_npy_acts(const std::string& path, const std::vector<int>& expected_shape,
                        const std::string& what) {
  const LoadContext ctx(path, what);
  OpenNpy npy = open_npy(ctx);
  const std::string& descr = npy.header.descr;
  ActTensor r;
  if (is_byte_dtype(descr, 'u')) {
    r.is_signed = false;
  } else if (is_byte_dtype(descr, 'i')) {
    r.is_signed = true;
  } else {
    ctx.fail("expected dtype uint8 or int8 (|u1 or |i1), got " + dtype_for_msg(descr));
  }
  check_layout(ctx, npy, expected_shape);
  r.t = Tensor<int16_t>(expected_shape);
  std::vector<unsigned char> raw(r.t.size());
  read_data(ctx, npy, raw);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const int v = raw[i];
    r.t.values()[i] = static_cast<int16_t>(r.is_signed && v >= 128 ? v - 256 : v);
  }
  return r;
}

Int8Tensor load_npy_int8(const std::string& path, const std::vector<int>& expected_shape,
                         const std::string& what) {
  const LoadContext ctx(path, what);
  OpenNpy npy = open_npy(ctx);
  if (!is_byte_dtype(npy.header.descr, 'i'))
    ctx.fail("expected dtype int8 (|i1), got " + dtype_for_msg(npy.header.descr));
  check_layout(ctx, npy, expected_shape);
  Int8Tensor r(expected_shape);
  std::vector<unsigned char> raw(r.size());
  read_data(ctx, npy, raw);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const int v = raw[i];
    r.values()[i] = static_cast<int8_t>(v >= 128 ? v - 256 : v);
  }
  return r;
}

void save_npy(const std::string& path, const Int32Tensor& t) {
  std::string out = npy_prefix(path, "<i4", t.shape());
  out.reserve(out.size() + 4 * t.size());
  for (const int32_t v : t.values()) {
    const auto u = static_cast<uint32_t>(v);
    for (int i = 0; i < 4; ++i) out += static_cast<char>((u >> (8 * i)) & 0xff);
  }
  write_file(path, out);
}

void save_npy(const std::string& path, const Uint8Tensor& t) { save_bytes(path, "|u1", t); }

void save_npy(const std::string& path, const Int8Tensor& t) { save_bytes(path, "|i1", t); }

void save_npy(const std::string& path, const ActTensor& t) {
  const int lo = t.is_signed ? -128 : 0;
  const int hi = t.is_signed ? 127 : 255;
  for (const int16_t v : t.t.values()) {
    if (v < lo || v > hi) {
      throw std::out_of_range("save_npy('" + path + "'): activation " + std::to_string(v) +
                              " does not fit " + (t.is_signed ? "int8" : "uint8"));
    }
  }
  save_bytes(path, t.is_signed ? "|i1" : "|u1", t.t);
}

}  // namespace eyeriss
