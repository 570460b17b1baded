#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/error.h"
#include "models/common/npy.h"

namespace {

namespace fs = std::filesystem;
using eyeriss::ActTensor;
using eyeriss::InputError;
using eyeriss::Int32Tensor;
using eyeriss::Int8Tensor;
using eyeriss::load_npy_acts;
using eyeriss::load_npy_int8;
using eyeriss::save_npy;
using eyeriss::Tensor;
using eyeriss::Uint8Tensor;

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good()) << path;
}

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Builds a .npy file by hand so reader tests do not depend on our writer.
std::string make_npy(const std::string& dict, const std::string& data, int major = 1,
                     int minor = 0) {
  std::string header = dict;
  const std::size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string r = "\x93NUMPY";
  r += static_cast<char>(major);
  r += static_cast<char>(minor);
  for (std::size_t i = 0; i < prefix - 8; ++i)
    r += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return r + header + data;
}

std::string dict_for(const std::string& descr, const std::string& shape,
                     const std::string& fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

// Runs `fn`, which must throw InputError; returns its message.
std::string input_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got another exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected InputError, nothing was thrown";
  return "";
}

bool have_numpy() {
  return fs::exists("/usr/bin/python3") &&
         std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
}

class NpyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("npy_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Loads `bytes` as 2x3 iacts and returns the InputError message.
  std::string acts_error(const std::string& bytes, const std::vector<int>& shape = {2, 3}) {
    const std::string p = path("bad.npy");
    write_bytes(p, bytes);
    return input_error([&] { load_npy_acts(p, shape, "test iacts"); });
  }

  fs::path dir_;
};

// ---- Round trips -------------------------------------------------------------------------

TEST_F(NpyTest, Uint8RoundTrip) {
  Uint8Tensor t({2, 3, 4, 5});
  for (std::size_t i = 0; i < t.size(); ++i) t.values()[i] = static_cast<uint8_t>(i * 37 % 256);
  t.values()[0] = 255;
  const std::string p = path("u8.npy");
  save_npy(p, t);
  const ActTensor a = load_npy_acts(p, {2, 3, 4, 5}, "iacts");
  EXPECT_FALSE(a.is_signed);
  ASSERT_EQ(a.t.shape(), t.shape());
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(a.t.values()[i], t.values()[i]) << i;
}

TEST_F(NpyTest, Int8RoundTrip) {
  Int8Tensor t({4, 3, 2, 2});
  for (std::size_t i = 0; i < t.size(); ++i)
    t.values()[i] = static_cast<int8_t>(static_cast<int>(i * 11 % 256) - 128);
  t.values()[1] = 127;
  const std::string p = path("i8.npy");
  save_npy(p, t);
  EXPECT_EQ(load_npy_int8(p, {4, 3, 2, 2}, "weights"), t);
  const ActTensor a = load_npy_acts(p, {4, 3, 2, 2}, "iacts");
  EXPECT_TRUE(a.is_signed);
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(a.t.values()[i], t.values()[i]) << i;
}

TEST_F(NpyTest, ActTensorRoundTripSignedAndUnsigned) {
  for (const bool is_signed : {false, true}) {
    ActTensor t;
    t.is_signed = is_signed;
    t.t = Tensor<int16_t>({1, 2, 3, 3});
    for (std::size_t i = 0; i < t.t.size(); ++i)
      t.t.values()[i] = static_cast<int16_t>(is_signed ? static_cast<int>(i) * 15 - 128 : i * 15);
    const std::string p = path(is_signed ? "s.npy" : "u.npy");
    save_npy(p, t);
    const ActTensor r = load_npy_acts(p, {1, 2, 3, 3}, "iacts");
    EXPECT_EQ(r.is_signed, is_signed);
    EXPECT_EQ(r.t, t.t);
  }
}

TEST_F(NpyTest, ActTensorOutOfRangeIsNotWritten) {
  ActTensor t;
  t.t = Tensor<int16_t>({3}, 0);
  t.t.values()[1] = 256;
  EXPECT_THROW(save_npy(path("x.npy"), t), std::out_of_range);
  t.is_signed = true;
  t.t.values()[1] = -129;
  EXPECT_THROW(save_npy(path("x.npy"), t), std::out_of_range);
  EXPECT_FALSE(fs::exists(path("x.npy")));
}

TEST_F(NpyTest, Int32WriterLayout) {
  Int32Tensor t({2, 3});
  const std::vector<int32_t> vals = {INT32_MIN, -1, 0, 1, 0x12345678, INT32_MAX};
  t.values() = vals;
  const std::string p = path("i32.npy");
  save_npy(p, t);
  const std::string b = read_bytes(p);
  ASSERT_GE(b.size(), 10u);
  EXPECT_EQ(b.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_len =
      static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
  const std::size_t data_start = 10 + header_len;
  EXPECT_EQ(data_start % 64, 0u) << "numpy aligns the data to 64 bytes";
  const std::string header = b.substr(10, header_len);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_NE(header.find("'descr': '<i4'"), std::string::npos) << header;
  EXPECT_NE(header.find("'fortran_order': False"), std::string::npos) << header;
  EXPECT_NE(header.find("'shape': (2, 3)"), std::string::npos) << header;
  ASSERT_EQ(b.size(), data_start + 4 * vals.size());
  for (std::size_t i = 0; i < vals.size(); ++i) {
    uint32_t u = 0;
    for (int k = 3; k >= 0; --k)
      u = (u << 8) | static_cast<unsigned char>(b[data_start + 4 * i + k]);
    EXPECT_EQ(static_cast<int32_t>(u), vals[i]) << i;
  }
}

TEST_F(NpyTest, ZeroDimOneDimAndEmptyShapes) {
  Uint8Tensor scalar(std::vector<int>{}, 7);
  save_npy(path("s.npy"), scalar);
  EXPECT_NE(read_bytes(path("s.npy")).find("'shape': ()"), std::string::npos);
  const ActTensor s = load_npy_acts(path("s.npy"), {}, "scalar");
  ASSERT_EQ(s.t.size(), 1u);
  EXPECT_EQ(s.t.values()[0], 7);

  Int8Tensor vec({5}, -3);
  save_npy(path("v.npy"), vec);
  EXPECT_NE(read_bytes(path("v.npy")).find("'shape': (5,)"), std::string::npos);
  EXPECT_EQ(load_npy_int8(path("v.npy"), {5}, "vector"), vec);

  Int8Tensor empty({2, 0, 3});
  save_npy(path("e.npy"), empty);
  EXPECT_EQ(load_npy_int8(path("e.npy"), {2, 0, 3}, "empty"), empty);
}

TEST_F(NpyTest, ReadsFormatVersions2And3AndOtherSpellings) {
  const std::string data = "\x01\x02\x03\x04\x05\xff";
  write_bytes(path("v2.npy"), make_npy(dict_for("<i1", "(2, 3)"), data, 2));
  const Int8Tensor t = load_npy_int8(path("v2.npy"), {2, 3}, "weights");
  EXPECT_EQ(t.values(), (std::vector<int8_t>{1, 2, 3, 4, 5, -1}));

  write_bytes(path("v3.npy"), make_npy(dict_for("<u1", "(2,3)"), data, 3));
  const ActTensor a = load_npy_acts(path("v3.npy"), {2, 3}, "iacts");
  EXPECT_FALSE(a.is_signed);
  EXPECT_EQ(a.t.values()[5], 255);

  // Double quotes, reordered keys, no trailing comma, Python 2 long suffix.
  const std::string odd =
      make_npy("{\"shape\": (2L, 3L), \"fortran_order\": False, \"descr\": \"|i1\"}", data);
  write_bytes(path("odd.npy"), odd);
  EXPECT_EQ(load_npy_int8(path("odd.npy"), {2, 3}, "w"), t);
}

// ---- Bad input ---------------------------------------------------------------------------

TEST_F(NpyTest, ShapeMismatch) {
  save_npy(path("u8.npy"), Uint8Tensor({1, 3, 8, 9}));
  const std::string msg = input_error([&] {
    load_npy_acts(path("u8.npy"), {1, 3, 8, 8}, "layer 'conv1' iacts");
  });
  EXPECT_NE(msg.find("layer 'conv1' iacts"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path("u8.npy")), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected [1,3,8,8], got [1,3,8,9]"), std::string::npos) << msg;

  save_npy(path("i8.npy"), Int8Tensor({4}));
  const std::string msg2 = input_error([&] { load_npy_int8(path("i8.npy"), {2, 2}, "weights"); });
  EXPECT_NE(msg2.find("expected [2,2], got [4]"), std::string::npos) << msg2;
}

TEST_F(NpyTest, DtypeMismatch) {
  write_bytes(path("f4.npy"), make_npy(dict_for("<f4", "(2, 3)"), std::string(24, '\0')));
  const std::string msg = input_error([&] {
    load_npy_acts(path("f4.npy"), {2, 3}, "layer 'conv1' iacts");
  });
  EXPECT_NE(msg.find("expected dtype uint8 or int8 (|u1 or |i1), got <f4"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find(path("f4.npy")), std::string::npos) << msg;
  EXPECT_NE(msg.find("layer 'conv1' iacts"), std::string::npos) << msg;

  save_npy(path("u8.npy"), Uint8Tensor({2, 3}));
  const std::string msg2 = input_error([&] { load_npy_int8(path("u8.npy"), {2, 3}, "weights"); });
  EXPECT_NE(msg2.find("expected dtype int8 (|i1), got |u1"), std::string::npos) << msg2;

  save_npy(path("i32.npy"), Int32Tensor({2, 3}));
  EXPECT_NE(acts_error(read_bytes(path("i32.npy"))).find("got <i4"), std::string::npos);
  EXPECT_NE(acts_error(make_npy(dict_for("|b1", "(2, 3)"), std::string(6, '\0'))).find("|b1"),
            std::string::npos);
  const std::string structured =
      acts_error(make_npy("{'descr': [('a', '|u1')], 'fortran_order': False, 'shape': (2, 3), }",
                          std::string(6, '\0')));
  EXPECT_NE(structured.find("structured"), std::string::npos) << structured;
}

TEST_F(NpyTest, TruncatedData) {
  const std::string msg = acts_error(make_npy(dict_for("|u1", "(2, 3)"), "\x01\x02\x03\x04\x05"));
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("needs 6 bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("has 5"), std::string::npos) << msg;
}

TEST_F(NpyTest, TrailingGarbage) {
  const std::string msg = acts_error(make_npy(dict_for("|u1", "(2, 3)"), std::string(9, 'x')));
  EXPECT_NE(msg.find("3 unexpected trailing bytes"), std::string::npos) << msg;
}

TEST_F(NpyTest, BadMagicAndTinyFiles) {
  save_npy(path("ok.npy"), Uint8Tensor({2, 3}));
  std::string b = read_bytes(path("ok.npy"));
  b[1] = 'X';
  EXPECT_NE(acts_error(b).find("not a .npy file"), std::string::npos);
  EXPECT_NE(acts_error("").find("not a .npy file"), std::string::npos);
  EXPECT_NE(acts_error("PK\x03\x04 this is a zip").find("not a .npy file"), std::string::npos);
  EXPECT_NE(acts_error("\x93NUMPY").find("truncated header"), std::string::npos);
  EXPECT_NE(acts_error(std::string("\x93NUMPY\x01\x00\x10", 9)).find("truncated header"),
            std::string::npos);
}

TEST_F(NpyTest, UnsupportedVersion) {
  const std::string data(6, '\0');
  const std::string msg = acts_error(make_npy(dict_for("|u1", "(2, 3)"), data, 4));
  EXPECT_NE(msg.find("unsupported .npy format version 4.0"), std::string::npos) << msg;
  EXPECT_NE(acts_error(make_npy(dict_for("|u1", "(2, 3)"), data, 1, 1)).find("version 1.1"),
            std::string::npos);
  EXPECT_NE(acts_error(make_npy(dict_for("|u1", "(2, 3)"), data, 0)).find("version 0.0"),
            std::string::npos);
}

TEST_F(NpyTest, FortranOrderRejected) {
  const std::string msg =
      acts_error(make_npy(dict_for("|u1", "(2, 3)", "True"), std::string(6, '\0')));
  EXPECT_NE(msg.find("fortran_order is True"), std::string::npos) << msg;
}

TEST_F(NpyTest, HeaderLengthPastEndOfFile) {
  std::string b = make_npy(dict_for("|u1", "(2, 3)"), std::string(6, '\0'));
  b[8] = '\xff';
  b[9] = '\xff';
  EXPECT_NE(acts_error(b).find("header length is 65535 bytes"), std::string::npos);
  std::string b2 = make_npy(dict_for("|u1", "(2, 3)"), std::string(6, '\0'), 2);
  b2[8] = b2[9] = b2[10] = b2[11] = '\xff';  // 4 GiB header must not be allocated
  EXPECT_NE(acts_error(b2).find("truncated header"), std::string::npos);
}

TEST_F(NpyTest, MalformedHeaders) {
  const std::string data(6, '\0');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "expected '{'"},
      {"descr: 1", "expected '{'"},
      {"{'descr': '|u1', 'fortran_order': False}", "missing key 'shape'"},
      {"{'shape': (2, 3), 'fortran_order': False}", "missing key 'descr'"},
      {"{'descr': '|u1', 'shape': (2, 3)}", "missing key 'fortran_order'"},
      {"{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (2, 3)}",
       "duplicate key 'descr'"},
      {dict_for("|u1", "(2, 3)") + " extra", "unexpected text after the header dict"},
      {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", "unexpected key 'x'"},
      {"{'descr': '|u1, 'fortran_order': False, 'shape': (2, 3)}", "expected ',' or '}'"},
      {"{'descr': '|u1", "unterminated string"},
      {"{'descr': |u1, 'fortran_order': False, 'shape': (2, 3)}", "dtype string"},
      {dict_for("|u1", "(2, 3)", "0"), "must be True or False"},
      {dict_for("|u1", "(2, 3)", "Trueish"), "must be True or False"},
      {dict_for("|u1", "[2, 3]"), "'shape' must be a tuple"},
      {dict_for("|u1", "(2, -3)"), "non-negative integers"},
      {dict_for("|u1", "(2, 3.0)"), "expected ',' or ')'"},
      {dict_for("|u1", "(6)"), "not a tuple"},
      {dict_for("|u1", "(,)"), "non-negative integers"},
      {dict_for("|u1", "(2, 3"), "non-negative integers"},
      {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3", "expected ',' or ')'"},
      {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3) 'x'}", "expected ',' or '}'"},
      {dict_for("|u1", "(2, 99999999999999999999999999)"), "too large"},
  };
  for (const auto& [dict, expected] : cases) {
    const std::string msg = acts_error(make_npy(dict, data));
    EXPECT_NE(msg.find(expected), std::string::npos) << "header: " << dict << "\nmessage: " << msg;
    if (expected != "too large") {
      EXPECT_NE(msg.find("malformed npy header"), std::string::npos) << msg;
    }
  }
}

TEST_F(NpyTest, MissingFileAndDirectory) {
  const std::string missing = path("nope.npy");
  const std::string msg = input_error([&] { load_npy_acts(missing, {1}, "layer 'fc' iacts"); });
  EXPECT_NE(msg.find("file not found"), std::string::npos) << msg;
  EXPECT_NE(msg.find(missing), std::string::npos) << msg;
  EXPECT_NE(msg.find("layer 'fc' iacts"), std::string::npos) << msg;
  const std::string dir_msg = input_error([&] { load_npy_int8(dir_.string(), {1}, "weights"); });
  EXPECT_NE(dir_msg.find("directory"), std::string::npos) << dir_msg;
}

TEST_F(NpyTest, UnwritablePathThrowsInputError) {
  const std::string p = path("no/such/dir/out.npy");
  const std::string msg = input_error([&] { save_npy(p, Int32Tensor({2})); });
  EXPECT_NE(msg.find(p), std::string::npos) << msg;
  EXPECT_NE(input_error([&] { save_npy(dir_.string(), Uint8Tensor({2})); }).find(dir_.string()),
            std::string::npos);
}

// Garbage must give InputError, never a crash or another exception type.
TEST_F(NpyTest, FuzzNeverCrashes) {
  std::mt19937 rng(12345);
  auto load_ok_or_input_error = [&](const std::string& bytes, const std::vector<int>& shape) {
    const std::string p = path("fuzz.npy");
    write_bytes(p, bytes);
    try {
      load_npy_acts(p, shape, "fuzz");
      load_npy_int8(p, shape, "fuzz");
    } catch (const InputError&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << "non-InputError exception: " << e.what();
    }
  };
  auto byte = [&] { return static_cast<char>(rng() & 0xff); };

  // Pure random bytes, some starting with a valid prefix.
  for (int i = 0; i < 300; ++i) {
    std::string b;
    if (i % 2) b = std::string("\x93NUMPY", 6) + static_cast<char>(1 + rng() % 3) + '\0';
    const std::size_t n = rng() % 200;
    for (std::size_t k = 0; k < n; ++k) b += byte();
    load_ok_or_input_error(b, {2, 3});
  }

  // Every truncation and random byte mutations of a valid file.
  Int8Tensor t({2, 3}, -5);
  save_npy(path("valid.npy"), t);
  const std::string valid = read_bytes(path("valid.npy"));
  for (std::size_t n = 0; n < valid.size(); ++n) load_ok_or_input_error(valid.substr(0, n), {2, 3});
  for (int i = 0; i < 1000; ++i) {
    std::string b = valid;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = byte();
    load_ok_or_input_error(b, {2, 3});
  }

  // Headers assembled from dict-like tokens exercise the parser's error paths.
  const std::vector<std::string> tokens = {
      "{",           "}",        "'descr'", "'fortran_order'",
      "'shape'",     ":",        ",",       "(",
      ")",           "'|i1'",    "'<u1'",   "True",
      "False",       "2",        "3",       "0",
      " ",           "\n",       "'",       "\"",
      "\\",          "L",        "[",       "]",
      "99999999999", "-1",       "\x00",    "\xff",
      "'x'",         "(2, 3), ",
  };
  for (int i = 0; i < 3000; ++i) {
    std::string dict;
    const int n = static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) dict += tokens[rng() % tokens.size()];
    load_ok_or_input_error(
        make_npy(dict, std::string(rng() % 8, '\x01'), static_cast<int>(1 + rng() % 3)), {2, 3});
  }
}

// ---- numpy interoperability ----------------------------------------------------------------

TEST_F(NpyTest, ReadsFilesWrittenByNumpy) {
  if (!have_numpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy not available";
  const std::string script = path("write.py");
  std::ofstream(script) << "import numpy as np, sys\n"
                           "d = sys.argv[1]\n"
                           "np.save(d + '/u8.npy', (np.arange(120) * 37 % 256).astype(np.uint8)"
                           ".reshape(2, 3, 4, 5))\n"
                           "np.save(d + '/i8.npy', (np.arange(24) - 12).astype(np.int8)"
                           ".reshape(4, 3, 2, 1))\n"
                           "np.save(d + '/vec.npy', np.array([-128, 127, 0], dtype=np.int8))\n"
                           "np.save(d + '/scalar.npy', np.uint8(200))\n"
                           "with open(d + '/v2.npy', 'wb') as f:\n"
                           "    np.lib.format.write_array(f, np.full((2, 2), -7, np.int8),"
                           " version=(2, 0))\n"
                           "np.save(d + '/f4.npy', np.zeros((2, 3), np.float32))\n"
                           "np.save(d + '/fortran.npy', np.asfortranarray("
                           "np.arange(6, dtype=np.uint8).reshape(2, 3)))\n";
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + dir_.string()).c_str()), 0);

  const ActTensor u8 = load_npy_acts(path("u8.npy"), {2, 3, 4, 5}, "iacts");
  EXPECT_FALSE(u8.is_signed);
  for (std::size_t i = 0; i < u8.t.size(); ++i)
    EXPECT_EQ(u8.t.values()[i], static_cast<int>(i * 37 % 256)) << i;

  const Int8Tensor i8 = load_npy_int8(path("i8.npy"), {4, 3, 2, 1}, "weights");
  for (std::size_t i = 0; i < i8.size(); ++i)
    EXPECT_EQ(i8.values()[i], static_cast<int>(i) - 12) << i;
  const ActTensor i8a = load_npy_acts(path("i8.npy"), {4, 3, 2, 1}, "iacts");
  EXPECT_TRUE(i8a.is_signed);
  EXPECT_EQ(i8a.t.values()[0], -12);

  EXPECT_EQ(load_npy_int8(path("vec.npy"), {3}, "w").values(), (std::vector<int8_t>{-128, 127, 0}));
  const ActTensor scalar = load_npy_acts(path("scalar.npy"), {}, "scalar");
  ASSERT_EQ(scalar.t.size(), 1u);
  EXPECT_EQ(scalar.t.values()[0], 200);
  EXPECT_EQ(load_npy_int8(path("v2.npy"), {2, 2}, "w").values(), std::vector<int8_t>(4, -7));

  EXPECT_NE(input_error([&] {
              load_npy_acts(path("f4.npy"), {2, 3}, "iacts");
            }).find("got <f4"),
            std::string::npos);
  EXPECT_NE(input_error([&] {
              load_npy_acts(path("fortran.npy"), {2, 3}, "iacts");
            }).find("fortran_order is True"),
            std::string::npos);
}

TEST_F(NpyTest, NumpyLoadsWhatWeWrite) {
  if (!have_numpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy not available";
  Int32Tensor i32({2, 3, 4, 5});
  for (std::size_t i = 0; i < i32.size(); ++i)
    i32.values()[i] = static_cast<int32_t>(i) * 123457 - 1000000;
  save_npy(path("i32.npy"), i32);
  Int32Tensor extremes({5});
  extremes.values() = {INT32_MIN, INT32_MAX, -1, 0, 1};
  save_npy(path("ext.npy"), extremes);
  Int8Tensor i8({2, 2}, 0);
  i8.values() = {-128, -1, 0, 127};
  save_npy(path("i8.npy"), i8);
  Uint8Tensor u8(std::vector<int>{}, 250);
  save_npy(path("u8.npy"), u8);
  ActTensor acts;
  acts.is_signed = true;
  acts.t = Tensor<int16_t>({1, 1, 1, 3});
  acts.t.values() = {-100, 0, 100};
  save_npy(path("acts.npy"), acts);

  const std::string script = path("check.py");
  std::ofstream(script)
      << "import numpy as np, sys\n"
         "d = sys.argv[1]\n"
         "a = np.load(d + '/i32.npy')\n"
         "assert a.dtype == np.dtype('<i4') and a.shape == (2, 3, 4, 5), (a.dtype, a.shape)\n"
         "assert (a.ravel() == np.arange(120) * 123457 - 1000000).all()\n"
         "e = np.load(d + '/ext.npy')\n"
         "assert e.dtype == np.int32 and e.tolist() == [-2**31, 2**31 - 1, -1, 0, 1], e\n"
         "b = np.load(d + '/i8.npy')\n"
         "assert b.dtype == np.int8 and b.tolist() == [[-128, -1], [0, 127]], b\n"
         "c = np.load(d + '/u8.npy')\n"
         "assert c.dtype == np.uint8 and c.shape == () and int(c) == 250, c\n"
         "s = np.load(d + '/acts.npy')\n"
         "assert s.dtype == np.int8 and s.tolist() == [[[[-100, 0, 100]]]], s\n";
  EXPECT_EQ(std::system(("/usr/bin/python3 " + script + " " + dir_.string()).c_str()), 0);
}

}  // namespace
