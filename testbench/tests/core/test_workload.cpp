#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/common/error.h"
#include "testbench/tests/core/test_util.h"
#include "testbench/workload.h"

namespace eyeriss {
namespace {

namespace fs = std::filesystem;

using test_util::expect_error;

Workload parse(const std::string& yaml) { return parse_workload(yaml, "net.yaml", "/data/nets"); }

void expect_parse_error(const std::string& yaml, const std::vector<std::string>& parts) {
  test_util::expect_error_from(
      "net.yaml", [&] { parse(yaml); }, parts);
  // Every message starts with the file.
  try {
    parse(yaml);
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("net.yaml: ", 0), 0u) << e.what();
  }
}

// One valid conv layer (l1: 4 x 6 x 6 -> 8 x 4 x 4) as a flow map, with keys replaced or added
// by `changes`; an empty value removes the key.
std::string layer_map(const std::vector<std::pair<std::string, std::string>>& changes = {}) {
  std::vector<std::pair<std::string, std::string>> kv = {
      {"name", "l1"}, {"type", "conv"}, {"C", "4"}, {"M", "8"},    {"H", "6"},
      {"W", "6"},     {"R", "3"},       {"S", "3"}, {"shift", "4"}};
  for (const auto& [k, v] : changes) {
    auto it = std::find_if(kv.begin(), kv.end(), [&](const auto& e) { return e.first == k; });
    if (it == kv.end()) {
      kv.emplace_back(k, v);
    } else if (v.empty()) {
      kv.erase(it);
    } else {
      it->second = v;
    }
  }
  std::string out;
  for (const auto& [k, v] : kv) out += (out.empty() ? "{" : ", ") + k + ": " + v;
  return out + "}";
}
std::string one_layer(const std::vector<std::pair<std::string, std::string>>& changes = {}) {
  return "layers:\n  - " + layer_map(changes) + "\n";
}

TEST(Workload, FullContract) {
  const Workload w = parse(R"(
name: example
seed: 7
layers:
  - name: conv1
    type: conv
    N: 1
    C: 16
    M: 32
    G: 1
    H: 15
    W: 15
    R: 3
    S: 3
    stride: 1
    pad: 1
    shift: 10
    weights: conv1.weights.npy
    iacts: sub/../conv1.iacts.npy
    weight_density: 0.5
    iact_density: 0.25
    signed_iacts: true
    weight_range: [-16, 15]
    pool: {type: max, size: 3, stride: 2}
  - name: dw2
    type: depthwise
    C: 32
    M: 32
    H: 7
    W: 7
    R: 3
    S: 3
    pad: 1
    shift: 6
    pool: {type: avg, size: 7}
  - name: fc3
    type: fc
    C: 32
    M: 10
    H: 1
    W: 1
    shift: 3
    weights: /abs/fc3.npy
)");
  EXPECT_EQ(w.name, "example");
  EXPECT_EQ(w.source, "net.yaml");
  EXPECT_EQ(w.seed, 7u);
  ASSERT_EQ(w.layers.size(), 3u);

  const LayerSpec& s = w.layers[0];
  const Layer& l = s.layer;
  EXPECT_EQ(l.name, "conv1");
  EXPECT_EQ(l.type, LayerType::Conv);
  EXPECT_EQ(l.N, 1);
  EXPECT_EQ(l.C, 16);
  EXPECT_EQ(l.M, 32);
  EXPECT_EQ(l.G, 1);
  EXPECT_EQ(l.H, 15);
  EXPECT_EQ(l.W, 15);
  EXPECT_EQ(l.R, 3);
  EXPECT_EQ(l.S, 3);
  EXPECT_EQ(l.stride, 1);
  EXPECT_EQ(l.pad, 1);
  EXPECT_EQ(l.shift, 10);
  EXPECT_EQ(l.E(), 15);
  EXPECT_EQ(s.weights_path, "/data/nets/conv1.weights.npy");
  EXPECT_EQ(s.iacts_path, "/data/nets/conv1.iacts.npy");
  EXPECT_DOUBLE_EQ(s.weight_density, 0.5);
  EXPECT_DOUBLE_EQ(s.iact_density, 0.25);
  EXPECT_TRUE(s.signed_iacts);
  EXPECT_EQ(s.weight_min, -16);
  EXPECT_EQ(s.weight_max, 15);
  EXPECT_EQ(l.pool.type, Pool::Type::Max);
  EXPECT_EQ(l.pool.size, 3);
  EXPECT_EQ(l.pool.stride, 2);

  const Layer& dw = w.layers[1].layer;
  EXPECT_EQ(dw.type, LayerType::Depthwise);
  EXPECT_EQ(dw.G, 32);  // depthwise default G = C
  EXPECT_EQ(dw.pool.type, Pool::Type::Avg);
  EXPECT_EQ(dw.pool.stride, 7);  // default stride = size

  const Layer& fc = w.layers[2].layer;
  EXPECT_EQ(fc.type, LayerType::FC);
  EXPECT_EQ(fc.R, 1);  // fc default R, S = H, W
  EXPECT_EQ(fc.S, 1);
  EXPECT_EQ(w.layers[2].weights_path, "/abs/fc3.npy");
  EXPECT_TRUE(w.layers[2].iacts_path.empty());
}

TEST(Workload, Defaults) {
  const Workload w = parse(one_layer());
  EXPECT_EQ(w.name, "net");  // from the file name
  EXPECT_EQ(w.seed, 1u);
  const LayerSpec& s = w.layers.at(0);
  EXPECT_EQ(s.layer.N, 1);
  EXPECT_EQ(s.layer.G, 1);
  EXPECT_EQ(s.layer.stride, 1);
  EXPECT_EQ(s.layer.pad, 0);
  EXPECT_EQ(s.layer.pool.type, Pool::Type::None);
  EXPECT_TRUE(s.weights_path.empty());
  EXPECT_TRUE(s.iacts_path.empty());
  EXPECT_DOUBLE_EQ(s.weight_density, 1.0);
  EXPECT_DOUBLE_EQ(s.iact_density, 1.0);
  EXPECT_FALSE(s.signed_iacts);
  EXPECT_EQ(s.weight_min, -128);
  EXPECT_EQ(s.weight_max, 127);
}

TEST(Workload, FcFromFlatConvOutput) {
  // AlexNet-style: CONV5 13x13x256, max pool 3/2 -> 6x6x256 feeds FC6 directly.
  const Workload w = parse(R"(
layers:
  - {name: conv5, type: conv, C: 384, M: 256, G: 2, H: 13, W: 13, R: 3, S: 3, pad: 1, shift: 8,
     pool: {type: max, size: 3, stride: 2}}
  - {name: fc6, type: fc, C: 256, M: 4096, H: 6, W: 6, shift: 8}
  - {name: fc7, type: fc, C: 4096, M: 4096, H: 1, W: 1, shift: 8}
)");
  EXPECT_EQ(w.layers[1].layer.R, 6);
  EXPECT_EQ(w.layers[0].layer.Cg(), 192);
}

TEST(Workload, RelativePathsFromFileFolder) {
  const test_util::TempDir tmp("eyeriss_test_workload");
  const fs::path& dir = tmp.path();
  fs::create_directories(dir / "nets");
  const fs::path file = dir / "nets" / "w.yaml";
  std::ofstream(file) << one_layer({{"weights", "../data/l1.w.npy"}, {"iacts", "l1.i.npy"}});
  const Workload w = load_workload(file.string());
  EXPECT_EQ(w.source, file.string());
  EXPECT_EQ(w.name, "w");
  EXPECT_EQ(w.layers[0].layer.name, "l1");
  EXPECT_EQ(w.layers[0].weights_path, (dir / "data" / "l1.w.npy").lexically_normal().string());
  EXPECT_EQ(w.layers[0].iacts_path, (dir / "nets" / "l1.i.npy").lexically_normal().string());
  EXPECT_TRUE(fs::path(w.layers[0].iacts_path).is_absolute());

  // A file with a bad value names itself.
  std::ofstream(file) << one_layer({{"pad", "-1"}});
  expect_error([&] { load_workload(file.string()); }, {file.string() + ": ", "l1", "pad"});
}

TEST(Workload, MissingFile) {
  expect_error([] { load_workload("/nonexistent/w.yaml"); }, {"/nonexistent/w.yaml", "not found"});
}

TEST(Workload, UnknownKeys) {
  expect_parse_error("layers: []\nfoo: 1\n", {"unknown key 'foo'", "name, seed, layers"});
  expect_parse_error(one_layer({{"kernel", "3"}}),
                     {"layer 'l1'", "unknown key 'layers[0].kernel'", "expected one of"});
  expect_parse_error(one_layer({{"pool", "{type: max, size: 2, padding: 1}"}}),
                     {"unknown key 'layers[0].pool.padding'"});
  expect_parse_error("layers:\n  - {name: l1, C: 4, C: 4}\n", {"duplicate key 'layers[0].C'"});
}

TEST(Workload, WrongTypes) {
  expect_parse_error(one_layer({{"stride", "two"}}), {"'layers[0].stride'", "an integer"});
  expect_parse_error(one_layer({{"pad", "1.5"}}), {"'layers[0].pad'", "an integer"});
  expect_parse_error(one_layer({{"signed_iacts", "maybe"}}),
                     {"'layers[0].signed_iacts'", "boolean"});
  expect_parse_error(one_layer({{"weight_density", "high"}}), {"'layers[0].weight_density'"});
  expect_parse_error(one_layer({{"weight_range", "5"}}),
                     {"'layers[0].weight_range'", "[min, max]"});
  expect_parse_error(one_layer({{"weight_range", "[1, 2, 3]"}}), {"'layers[0].weight_range'"});
  expect_parse_error(one_layer({{"weight_range", "[a, 2]"}}), {"'layers[0].weight_range[0]'"});
  expect_parse_error(one_layer({{"pool", "max"}}), {"'layers[0].pool'", "must be a map"});
  expect_parse_error(one_layer({{"weights", "[a.npy]"}}), {"'layers[0].weights'", "a string"});
  expect_parse_error("seed: -1\n" + one_layer(), {"'seed'", "non-negative integer"});
  expect_parse_error("layers: {a: 1}\n", {"'layers'", "a list"});
  expect_parse_error("layers:\n  - 5\n", {"'layers[0]'", "must be a map"});
  expect_parse_error("layers: {\n", {"malformed YAML", "line"});
}

TEST(Workload, BadValues) {
  expect_parse_error(one_layer({{"type", "pointwise"}}),
                     {"'layers[0].type'", "conv, depthwise, fc"});
  expect_parse_error(one_layer({{"weight_density", "1.5"}}),
                     {"'layers[0].weight_density'", "[0, 1]"});
  expect_parse_error(one_layer({{"iact_density", "-0.1"}}), {"'layers[0].iact_density'"});
  expect_parse_error(one_layer({{"weight_range", "[5, 4]"}}), {"'layers[0].weight_range'"});
  expect_parse_error(one_layer({{"weight_range", "[-129, 4]"}}), {"[-128, 127]"});
  expect_parse_error(one_layer({{"pool", "{type: min, size: 2}"}}), {"'layers[0].pool.type'"});
  expect_parse_error(one_layer({{"pool", "{type: max}"}}), {"'layers[0].pool.size'"});
  expect_parse_error(one_layer({{"pool", "{type: max, size: 5}"}}), {"layer 'l1'", "pool size"});
  expect_parse_error(one_layer({{"H", "2000000"}}), {"'layers[0].H'", "larger than"});
  expect_parse_error(one_layer({{"weights", "''"}}), {"'layers[0].weights'", "empty"});
  expect_parse_error(one_layer({{"shift", "40"}}), {"layer 'l1'", "shift"});
}

// `mapping: {pe_mode: ...}` alone pins only the PE mode; with tile sizes it is part of the pin.
TEST(Workload, PeModePin) {
  const Workload only = parse(one_layer({{"mapping", "{pe_mode: dense}"}}));
  EXPECT_EQ(only.layers[0].pe_mode, PeMode::Dense);
  EXPECT_FALSE(only.layers[0].pinned.has_value());
  const Workload both = parse(one_layer({{"mapping", "{pe_mode: sparse, M0: 4, C0: 2}"}}));
  EXPECT_EQ(both.layers[0].pe_mode, PeMode::Sparse);
  ASSERT_TRUE(both.layers[0].pinned.has_value());
  EXPECT_EQ(both.layers[0].pinned->pe_mode, PeMode::Sparse);
  EXPECT_EQ(both.layers[0].pinned->M0, 4);
  EXPECT_EQ(parse(one_layer()).layers[0].pe_mode, PeMode::Auto);
  expect_parse_error(one_layer({{"mapping", "{pe_mode: csc}"}}),
                     {"'layers[0].mapping.pe_mode'", "auto, sparse or dense", "csc"});
  // Tile sizes without M0 / C0 are still incomplete.
  expect_parse_error(one_layer({{"mapping", "{pe_mode: dense, F0: 2}"}}),
                     {"'layers[0].mapping.M0'"});
}

TEST(Workload, MissingRequiredKey) {
  for (const char* key : {"C", "M", "H", "W", "R", "S", "shift", "type", "name"}) {
    SCOPED_TRACE(key);
    expect_parse_error(one_layer({{key, ""}}),
                       {"missing required key 'layers[0]." + std::string(key) + "'"});
  }
  expect_parse_error("name: x\n", {"missing required key 'layers'"});
  expect_parse_error("layers: []\n", {"'layers' is empty"});
  expect_parse_error("", {"empty document"});
}

TEST(Workload, LayerNames) {
  expect_parse_error(one_layer({{"name", "'a/b'"}}), {"'layers[0].name'", "letters, digits"});
  expect_parse_error(one_layer({{"name", "''"}}), {"'layers[0].name'"});
  expect_parse_error(one_layer({{"name", "'..'"}}), {"'layers[0].name'"});
  const Workload w = parse(one_layer({{"name", "conv-1.a_b"}}));
  EXPECT_EQ(w.layers[0].layer.name, "conv-1.a_b");
}

TEST(Workload, ShapeErrors) {
  expect_parse_error(one_layer({{"C", "6"}, {"G", "4"}, {"M", "8"}}),
                     {"layer 'l1'", "not divisible by G"});
  expect_parse_error(one_layer({{"H", "2"}}), {"layer 'l1'", "output size"});
  expect_parse_error(one_layer({{"stride", "0"}}), {"layer 'l1'", "stride"});
  expect_parse_error(
      "layers:\n  - {name: dw, type: depthwise, C: 8, M: 8, G: 4, H: 6, W: 6, R: 3, S: 3, "
      "shift: 4}\n",
      {"layer 'dw'", "depthwise needs G = C = M"});
  expect_parse_error(
      "layers:\n  - {name: dw, type: depthwise, C: 8, M: 16, H: 6, W: 6, R: 3, S: 3, shift: 4}\n",
      {"layer 'dw'", "depthwise"});
  expect_parse_error("layers:\n  - {name: f, type: fc, C: 8, M: 16, H: 6, W: 6, R: 3, shift: 4}\n",
                     {"layer 'f'", "fc needs R = H"});
}

TEST(Workload, ChainingMismatch) {
  // l1 output is 8 x 4 x 4; l2 claims 8 x 6 x 6.
  expect_parse_error(
      one_layer() +
          "  - {name: l2, type: conv, C: 8, M: 8, H: 6, W: 6, R: 1, S: 1, "
          "shift: 4}\n",
      {"layer 'l2' input C x H x W = 8 x 6 x 6", "does not match layer 'l1' output 8 x 4 x 4"});
  // Channel mismatch.
  expect_parse_error(one_layer() +
                         "  - {name: l2, type: conv, C: 4, M: 8, H: 4, W: 4, R: 1, S: 1, "
                         "shift: 4}\n",
                     {"layer 'l2'", "does not match layer 'l1' output 8 x 4 x 4"});
  // Batch mismatch.
  expect_parse_error(one_layer() +
                         "  - {name: l2, type: conv, N: 2, C: 8, M: 8, H: 4, W: 4, R: 1, S: 1, "
                         "shift: 4}\n",
                     {"layer 'l2' batch N = 2"});
  // Matching chain passes; an iacts file breaks the chain.
  EXPECT_NO_THROW(parse(one_layer() +
                        "  - {name: l2, type: conv, C: 8, M: 8, H: 4, W: 4, R: 1, S: 1, "
                        "shift: 4}\n"));
  EXPECT_NO_THROW(parse(one_layer() +
                        "  - {name: l2, type: conv, C: 3, M: 8, H: 9, W: 9, R: 1, S: 1, "
                        "shift: 4, iacts: x.npy}\n"));
}

TEST(Workload, ChainingWithPooling) {
  // 16 x 16 -> conv 3x3 pad 1 -> 16 x 16 -> pool 3/2 -> 7 x 7.
  const std::string first =
      "layers:\n  - {name: a, type: conv, C: 3, M: 8, H: 16, W: 16, R: 3, S: 3, pad: 1, "
      "shift: 4, pool: {type: max, size: 3, stride: 2}}\n";
  EXPECT_NO_THROW(
      parse(first + "  - {name: b, type: conv, C: 8, M: 8, H: 7, W: 7, R: 1, S: 1, shift: 4}\n"));
  expect_parse_error(
      first + "  - {name: b, type: conv, C: 8, M: 8, H: 16, W: 16, R: 1, S: 1, shift: 4}\n",
      {"layer 'b' input C x H x W = 8 x 16 x 16", "layer 'a' output 8 x 7 x 7 (after pooling)"});
  // FC after pooling must match C, H, W exactly: a flattened 392 x 1 x 1 does not.
  expect_parse_error(first + "  - {name: fc, type: fc, C: 392, M: 10, H: 1, W: 1, shift: 4}\n",
                     {"layer 'fc' input C x H x W = 392 x 1 x 1", "8 x 7 x 7 (after pooling)"});
  EXPECT_NO_THROW(parse(first + "  - {name: fc, type: fc, C: 8, M: 10, H: 7, W: 7, shift: 4}\n"));
}

TEST(Workload, DuplicateNames) {
  expect_parse_error(one_layer() +
                         "  - {name: l1, type: conv, C: 8, M: 8, H: 4, W: 4, R: 1, S: 1, "
                         "shift: 4}\n",
                     {"duplicate layer name 'l1'"});
}

}  // namespace
}  // namespace eyeriss
