// Graph workloads: `input` (one or several earlier layers, concatenated), `input_pool`,
// `residual` and padded `pool`; what the parser resolves and every error it must name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/common/error.h"
#include "testbench/tests/core/test_util.h"
#include "testbench/workload.h"

namespace eyeriss {
namespace {

Workload parse(const std::string& yaml) { return parse_workload(yaml, "g.yaml", "/data"); }

void expect_parse_error(const std::string& yaml, const std::vector<std::string>& parts) {
  test_util::expect_error_from(
      "g.yaml", [&] { parse(yaml); }, parts);
}

// stem 3 -> 8 (8 x 8); three branches off stem: b1 (chain, 1x1 -> 4), b2 (3x3 -> 6), b3 (3x3
// s1 p1 max pool on the host, then 1x1 -> 2); mix reads their concatenation (12 channels),
// adds stem's output and pools 2x2; fc reads mix (chain). `extra` is appended to one layer's
// map by name, replacing the line's tail.
std::string graph(const std::string& layer = "", const std::string& change = "") {
  std::vector<std::pair<std::string, std::string>> L = {
      {"stem", "type: conv, C: 3, M: 8, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 4"},
      {"b1", "type: conv, C: 8, M: 4, H: 8, W: 8, R: 1, S: 1, shift: 4"},
      {"b2", "type: conv, C: 8, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 4, input: stem"},
      {"b3",
       "type: conv, C: 8, M: 2, H: 8, W: 8, R: 1, S: 1, shift: 4, input: stem, "
       "input_pool: {type: max, size: 3, stride: 1, pad: 1}"},
      {"mix",
       "type: conv, C: 12, M: 8, H: 8, W: 8, R: 1, S: 1, shift: 4, input: [b1, b2, b3], "
       "residual: stem, pool: {type: max, size: 2}"},
      {"fc", "type: fc, C: 8, M: 10, H: 4, W: 4, shift: 4"}};
  std::string out = "layers:\n";
  for (const auto& [name, body] : L)
    out += "  - {name: " + name + ", " + (name == layer ? change : body) + "}\n";
  return out;
}

TEST(WorkloadGraph, ResolvesInputsResidualAndPools) {
  const Workload w = parse(graph());
  ASSERT_EQ(w.layers.size(), 6u);
  EXPECT_TRUE(w.layers[0].inputs.empty());               // generated image
  EXPECT_EQ(w.layers[1].inputs, (std::vector<int>{0}));  // the chain
  EXPECT_EQ(w.layers[2].inputs, (std::vector<int>{0}));
  EXPECT_EQ(w.layers[3].inputs, (std::vector<int>{0}));
  EXPECT_EQ(w.layers[3].input_pool.type, Pool::Type::Max);
  EXPECT_EQ(w.layers[3].input_pool.size, 3);
  EXPECT_EQ(w.layers[3].input_pool.stride, 1);
  EXPECT_EQ(w.layers[3].input_pool.pad, 1);
  EXPECT_EQ(w.layers[4].inputs, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(w.layers[4].residual, 0);
  EXPECT_EQ(w.layers[5].inputs, (std::vector<int>{4}));
  EXPECT_EQ(w.layers[5].residual, -1);
}

TEST(WorkloadGraph, PaddedPoolShapesTheNextLayer) {
  // 8 x 8, max 3/2 pad 1 -> (8 + 2 - 3) / 2 + 1 = 4.
  const std::string head =
      "layers:\n  - {name: a, type: conv, C: 3, M: 8, H: 8, W: 8, R: 1, S: 1, shift: 4, "
      "pool: {type: max, size: 3, stride: 2, pad: 1}}\n";
  const Workload w =
      parse(head + "  - {name: b, type: conv, C: 8, M: 8, H: 4, W: 4, R: 1, S: 1, shift: 4}\n");
  EXPECT_EQ(w.layers[0].layer.pool.pad, 1);
  expect_parse_error(
      head + "  - {name: b, type: conv, C: 8, M: 8, H: 3, W: 3, R: 1, S: 1, shift: 4}\n",
      {"layer 'b' input C x H x W = 8 x 3 x 3", "layer 'a' output 8 x 4 x 4 (after pooling)"});
}

TEST(WorkloadGraph, UnknownLaterAndSelfReferences) {
  const std::string b2 = "type: conv, C: 8, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 4, ";
  expect_parse_error(graph("b2", b2 + "input: nope"),
                     {"layer 'b2'", "key 'layers[2].input'", "'nope'", "not a layer"});
  expect_parse_error(graph("b2", b2 + "input: mix"),
                     {"layer 'b2'", "key 'layers[2].input'", "'mix'", "later", "no cycles"});
  expect_parse_error(graph("b2", b2 + "input: [stem, b2]"),
                     {"layer 'b2'", "'layers[2].input'", "itself"});
  const std::string mix =
      "type: conv, C: 12, M: 8, H: 8, W: 8, R: 1, S: 1, shift: 4, input: [b1, b2, b3], ";
  expect_parse_error(graph("mix", mix + "residual: fc"),
                     {"layer 'mix'", "key 'layers[4].residual'", "'fc'", "later"});
  expect_parse_error(graph("mix", mix + "residual: stme"),
                     {"layer 'mix'", "key 'layers[4].residual'", "'stme'", "not a layer"});
}

TEST(WorkloadGraph, ShapeErrors) {
  const std::string mix = "type: conv, M: 8, H: 8, W: 8, R: 1, S: 1, shift: 4, ";
  // Channels 4 + 6 + 2 = 12, not 13.
  expect_parse_error(
      graph("mix", mix + "C: 13, input: [b1, b2, b3]"),
      {"layer 'mix' input C x H x W = 13 x 8 x 8", "12 x 8 x 8", "b1 4 + b2 6 + b3 2"});
  // b2 at stride 2 gives 4 x 4: it cannot be concatenated with 8 x 8 outputs.
  expect_parse_error(
      graph("b2",
            "type: conv, C: 8, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, stride: 2, shift: 4, "
            "input: stem"),
      {"layer 'mix'", "key 'layers[4].input'", "layer 'b2' output", "1 x 6 x 4 x 4",
       "differ in N, H or W"});
  // The residual must have this layer's output shape before pooling: b1 has 4 channels, not 8.
  expect_parse_error(
      graph("mix", mix + "C: 12, input: [b1, b2, b3], residual: b1"),
      {"layer 'mix'", "key 'layers[4].residual'", "1 x 4 x 8 x 8", "1 x 8 x 8 x 8", "elementwise"});
  // input_pool changes the size the layer must declare: 3/2 pad 1 on 8 x 8 gives 4 x 4.
  expect_parse_error(graph("b3",
                           "type: conv, C: 8, M: 2, H: 8, W: 8, R: 1, S: 1, shift: 4, input: stem, "
                           "input_pool: {type: max, size: 3, stride: 2, pad: 1}"),
                     {"layer 'b3' input C x H x W = 8 x 8 x 8", "8 x 4 x 4 (after input_pool)"});
  expect_parse_error(graph("b3",
                           "type: conv, C: 8, M: 2, H: 8, W: 8, R: 1, S: 1, shift: 4, input: stem, "
                           "input_pool: {type: max, size: 11, pad: 1}"),
                     {"layer 'b3'", "'layers[3].input_pool'", "larger than the input 8 x 8"});
}

TEST(WorkloadGraph, KeyErrors) {
  const std::string b2 = "type: conv, C: 8, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 4, ";
  expect_parse_error(graph("b2", b2 + "input: []"), {"'layers[2].input'", "non-empty list"});
  expect_parse_error(graph("b2", b2 + "input: {a: 1}"), {"'layers[2].input'", "layer name"});
  expect_parse_error(graph("b2", b2 + "input: [stem, [b1]]"), {"'layers[2].input[1]'"});
  expect_parse_error(graph("b2", b2 + "residual: [stem]"), {"'layers[2].residual'", "string"});
  expect_parse_error(graph("b2", b2 + "residual: ''"), {"'layers[2].residual'", "earlier layer"});
  expect_parse_error(graph("b2", b2 + "input: stem, iacts: x.npy"),
                     {"layer 'b2'", "'layers[2].input'", "'layers[2].iacts'", "exclude"});
  expect_parse_error(graph("b2", b2 + "input: stem, input_pool: {type: max, size: 3, pad: 3}"),
                     {"'layers[2].input_pool'", "pad in [0, size - 1]"});
  expect_parse_error(graph("b2", b2 + "input: stem, input_pool: {type: min, size: 3}"),
                     {"'layers[2].input_pool.type'", "max or avg"});
  expect_parse_error(graph("b2", b2 + "input: stem, input_pool: {type: max, size: 3, pd: 1}"),
                     {"unknown key 'layers[2].input_pool.pd'"});
  // The first layer's iacts are generated: nothing to pool on the host.
  expect_parse_error(graph("stem",
                           "type: conv, C: 3, M: 8, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 4, "
                           "input_pool: {type: max, size: 3, stride: 1, pad: 1}"),
                     {"layer 'stem'", "'layers[0].input_pool'", "needs an input layer"});
  expect_parse_error(graph("stem",
                           "type: conv, C: 3, M: 8, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 4, "
                           "input: stem"),
                     {"layer 'stem'", "itself"});
  // Malformed YAML inside a graph key is an error, not a crash.
  expect_parse_error(graph("b2", b2 + "input: [stem"), {"malformed YAML"});
}

}  // namespace
}  // namespace eyeriss
