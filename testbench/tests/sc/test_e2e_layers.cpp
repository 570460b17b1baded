// End to end, layer by layer: every layer shape the mapper has to handle (strides, pads, large
// filters, groups, depthwise, pointwise, FC, batches, signed iacts, all-zero operands, psum
// wrap-around, awkward channel counts, chained networks), each on a dense-mode chip with dense
// data and on a sparse chip with sparse data, all checked bit-exact against the golden
// reference, with the PEs' nonzero-MAC count equal to the one counted from the tensors. Then
// one small network on cluster arrays of several sizes.
#include <gtest/gtest.h>

#include <systemc>

#include "models/common/arch_config.h"
#include "testbench/tests/sc/sc_harness.h"
#include "testbench/workload.h"

namespace eyeriss {
namespace {

ArchConfig chip(bool sparse, int cluster_rows = 1, int cluster_cols = 1) {
  ArchConfig a;
  a.name = "test_chip";
  a.cluster_rows = cluster_rows;
  a.cluster_cols = cluster_cols;
  a.sparse = sparse;
  return a;
}

// Replaces every "$D" in `yaml` by the data densities of the case: sparse data for a sparse
// chip, nothing (dense data, the defaults) for a dense-mode chip.
std::string with_densities(std::string yaml, bool sparse) {
  const std::string dens = sparse ? ", weight_density: 0.45, iact_density: 0.6" : "";
  for (std::size_t p = yaml.find("$D"); p != std::string::npos; p = yaml.find("$D", p)) {
    yaml.replace(p, 2, dens);
    p += dens.size();
  }
  return yaml;
}

using test::run_yaml;

test::Isolated run_case(const std::string& yaml, bool sparse, int cluster_rows = 1,
                        int cluster_cols = 1) {
  return run_yaml(chip(sparse, cluster_rows, cluster_cols), with_densities(yaml, sparse));
}

// Every layer ran, is bit-exact, and the PEs counted exactly the nonzero MACs the tensors hold.
::testing::AssertionResult ExactAndCounted(const test::Isolated& r, std::size_t layers) {
  if (!r.all_exact()) return ::testing::AssertionFailure() << r.summary();
  if (r.result["layers"].size() != layers)
    return ::testing::AssertionFailure()
           << "expected " << layers << " layers, got " << r.result["layers"].size() << "\n"
           << r.summary();
  for (const auto& l : r.result["layers"]) {
    const uint64_t pe = l["nonzero_macs"].get<uint64_t>();
    const int64_t golden = l["golden_nonzero_macs"].get<int64_t>();
    if (int64_t(pe) != golden)
      return ::testing::AssertionFailure()
             << "layer " << l["name"].get<std::string>() << ": PEs counted " << pe
             << " nonzero MACs, the tensors hold " << golden;
  }
  return ::testing::AssertionSuccess();
}

// The nonzero-MAC count of layer `i`, as counted from the tensors.
int64_t golden_nz(const test::Isolated& r, int i) {
  return r.result["layers"][i]["golden_nonzero_macs"].get<int64_t>();
}

// ---------------------------------------------------------------------------------------------
// Layer shapes, dense (dense-mode chip, dense data) and sparse (sparse chip, sparse data).

const char* kConvStride2Pad = R"(
name: t
seed: 11
layers:
  - {name: c, type: conv, C: 5, M: 9, H: 13, W: 12, R: 3, S: 3, stride: 2, pad: 1, shift: 9 $D}
)";

const char* kFilter5x5Pad2 = R"(
name: t
seed: 12
layers:
  - {name: c5, type: conv, C: 4, M: 6, H: 10, W: 11, R: 5, S: 5, stride: 1, pad: 2, shift: 10 $D}
)";

// AlexNet CONV1-like, small: 11 x 11 filters at stride 4 over 3 channels.
const char* kFilter11x11Stride4 = R"(
name: t
seed: 13
layers:
  - {name: c11, type: conv, C: 3, M: 8, H: 31, W: 31, R: 11, S: 11, stride: 4, pad: 0,
     shift: 11 $D}
)";

const char* kGrouped2 = R"(
name: t
seed: 14
layers:
  - {name: g2, type: conv, C: 8, M: 10, G: 2, H: 9, W: 9, R: 3, S: 3, stride: 1, pad: 1,
     shift: 9 $D}
)";

const char* kGrouped4 = R"(
name: t
seed: 15
layers:
  - {name: g4, type: conv, C: 12, M: 8, G: 4, H: 8, W: 10, R: 3, S: 3, stride: 2, pad: 1,
     shift: 8 $D}
)";

const char* kDepthwiseStride1 = R"(
name: t
seed: 16
layers:
  - {name: dw1, type: depthwise, C: 10, M: 10, H: 9, W: 9, R: 3, S: 3, stride: 1, pad: 1,
     shift: 7 $D}
)";

const char* kDepthwiseStride2 = R"(
name: t
seed: 17
layers:
  - {name: dw2, type: depthwise, C: 7, M: 7, H: 12, W: 11, R: 3, S: 3, stride: 2, pad: 1,
     shift: 7 $D}
)";

const char* kPointwise = R"(
name: t
seed: 18
layers:
  - {name: pw, type: conv, C: 24, M: 20, H: 6, W: 7, R: 1, S: 1, shift: 9 $D}
)";

// 1 x 1 filters at stride 2: the stride is larger than the filter (U > S), so some iacts are
// never used.
const char* kPointwiseStride2 = R"(
name: t
seed: 19
layers:
  - {name: pw2, type: conv, C: 8, M: 12, H: 9, W: 10, R: 1, S: 1, stride: 2, shift: 8 $D}
)";

// FC: R = H and S = W by default; C*H*W = 5*4*3 = 60 > 16 (more than one iact SPad's worth).
const char* kFc = R"(
name: t
seed: 20
layers:
  - {name: fc, type: fc, C: 5, M: 11, H: 4, W: 3, shift: 9 $D}
)";

// Grouped FC: C/G*H*W = 4*3*3 = 36 per group.
const char* kFcGrouped2 = R"(
name: t
seed: 21
layers:
  - {name: fcg, type: fc, C: 8, M: 6, G: 2, H: 3, W: 3, R: 3, S: 3, shift: 8 $D}
)";

const char* kBatch2Conv = R"(
name: t
seed: 22
layers:
  - {name: cb, type: conv, N: 2, C: 4, M: 6, H: 8, W: 9, R: 3, S: 3, stride: 1, pad: 1,
     shift: 9 $D}
)";

const char* kBatch2Fc = R"(
name: t
seed: 23
layers:
  - {name: fcb, type: fc, N: 2, C: 6, M: 7, H: 3, W: 3, shift: 9 $D}
)";

// int8 iacts (negative values) for a first layer.
const char* kSignedIacts = R"(
name: t
seed: 24
layers:
  - {name: cs, type: conv, C: 5, M: 7, H: 9, W: 9, R: 3, S: 3, stride: 1, pad: 1, shift: 8,
     signed_iacts: true $D}
)";

// All-zero weights: every psum is 0 and no MAC has two nonzero operands.
const char* kZeroWeights = R"(
name: t
seed: 25
layers:
  - {name: zw, type: conv, C: 6, M: 8, H: 8, W: 8, R: 3, S: 3, stride: 1, pad: 1, shift: 8,
     weight_density: 0}
)";

// All-zero iacts.
const char* kZeroIacts = R"(
name: t
seed: 26
layers:
  - {name: zi, type: conv, C: 6, M: 8, H: 8, W: 8, R: 3, S: 3, stride: 1, pad: 1, shift: 8,
     iact_density: 0}
)";

// Psums that wrap around the 20-bit psum width: every weight is 127 and every iact is in
// [1, 255], so each output sums 64 * 9 = 576 products of about 127 * 128 on average, about
// 9.4e6, far beyond the 20-bit range [-2^19, 2^19). The golden reference wraps at psum_bits
// too, so bit-exactness checks that the chip's psum arithmetic wraps the same way at every
// partial accumulation.
// (Checked by hand through the CLI: with seed 27 half of the 216 psums come out negative,
// which only wrap-around can produce from all-positive products.)
const char* kPsumWrap = R"(
name: t
seed: 27
layers:
  - {name: wrap, type: conv, C: 64, M: 6, H: 6, W: 6, R: 3, S: 3, stride: 1, pad: 1, shift: 12,
     weight_range: [127, 127]}
)";

// Three chained layers with max pooling between them (iacts of layers 2 and 3 come from the
// previous layer's output after host-side pooling).
const char* kChained = R"(
name: t
seed: 28
layers:
  - {name: l1, type: conv, C: 3, M: 8, H: 16, W: 16, R: 3, S: 3, stride: 1, pad: 1, shift: 9,
     pool: {type: max, size: 2} $D}
  - {name: l2, type: conv, C: 8, M: 12, H: 8, W: 8, R: 3, S: 3, stride: 1, pad: 1, shift: 10,
     pool: {type: max, size: 2, stride: 2} $D}
  - {name: l3, type: fc, C: 12, M: 10, H: 4, W: 4, shift: 10 $D}
)";

// Channel counts that divide nothing convenient (37 is prime, 13 too).
const char* kOddChannels = R"(
name: t
seed: 29
layers:
  - {name: odd, type: conv, C: 13, M: 37, H: 7, W: 7, R: 3, S: 3, stride: 1, pad: 1, shift: 9 $D}
)";

// Every shape above, dense (dense-mode chip, dense data) and sparse (sparse chip, sparse data):
// bit-exact, and the PEs count exactly the nonzero MACs the tensors hold.
struct LayerCase {
  const char* name;
  const char* yaml;
  std::size_t layers;
  bool no_effective_macs;  // all-zero weights or iacts: no MAC has two nonzero operands
};
const LayerCase kLayerCases[] = {
    {"ConvStride2Pad", kConvStride2Pad, 1, false},
    {"Filter5x5Pad2", kFilter5x5Pad2, 1, false},
    {"Filter11x11Stride4", kFilter11x11Stride4, 1, false},
    {"Grouped2", kGrouped2, 1, false},
    {"Grouped4", kGrouped4, 1, false},
    {"DepthwiseStride1", kDepthwiseStride1, 1, false},
    {"DepthwiseStride2", kDepthwiseStride2, 1, false},
    {"Pointwise", kPointwise, 1, false},
    {"PointwiseStride2", kPointwiseStride2, 1, false},
    {"Fc", kFc, 1, false},
    {"FcGrouped2", kFcGrouped2, 1, false},
    {"Batch2Conv", kBatch2Conv, 1, false},
    {"Batch2Fc", kBatch2Fc, 1, false},
    {"SignedIacts", kSignedIacts, 1, false},
    {"ZeroWeights", kZeroWeights, 1, true},
    {"ZeroIacts", kZeroIacts, 1, true},
    {"PsumWrap", kPsumWrap, 1, false},
    {"ChainedMaxPool", kChained, 3, false},
    {"OddChannels", kOddChannels, 1, false},
};

void PrintTo(const LayerCase& c, std::ostream* os) { *os << c.name; }

class E2ELayers : public ::testing::TestWithParam<std::tuple<LayerCase, bool>> {};

TEST_P(E2ELayers, BitExact) {
  const auto& [c, sparse] = GetParam();
  auto r = run_case(c.yaml, sparse);
  EXPECT_TRUE(ExactAndCounted(r, c.layers));
  if (r.ok && c.no_effective_macs) {
    EXPECT_EQ(golden_nz(r, 0), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, E2ELayers,
                         ::testing::Combine(::testing::ValuesIn(kLayerCases), ::testing::Bool()),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param).name) +
                                  (std::get<1>(info.param) ? "Sparse" : "Dense");
                         });

// A dense-mode chip given sparse data must still be exact (no zero skipping, zeros multiplied).
TEST(E2ELayersMixed, DenseChipSparseData) {
  EXPECT_TRUE(ExactAndCounted(run_yaml(chip(false), with_densities(kConvStride2Pad, true)), 1));
}

// ---------------------------------------------------------------------------------------------
// The same small network on cluster arrays of several sizes.

const char* kNetwork = R"(
name: t
seed: 30
layers:
  - {name: n1, type: conv, C: 3, M: 16, H: 16, W: 16, R: 3, S: 3, stride: 1, pad: 1, shift: 9,
     pool: {type: max, size: 2} $D}
  - {name: n2, type: conv, C: 16, M: 24, G: 2, H: 8, W: 8, R: 3, S: 3, stride: 1, pad: 1,
     shift: 9 $D}
  - {name: n3, type: fc, C: 24, M: 10, H: 8, W: 8, shift: 11 $D}
)";

using Shape = std::pair<int, int>;  // cluster rows, cols
using ArrayParam = std::tuple<Shape, bool>;

class E2EArrays : public ::testing::TestWithParam<ArrayParam> {};

TEST_P(E2EArrays, BitExact) {
  const Shape shape = std::get<0>(GetParam());
  EXPECT_TRUE(
      ExactAndCounted(run_case(kNetwork, std::get<1>(GetParam()), shape.first, shape.second), 3));
}

std::string ArrayName(const ::testing::TestParamInfo<ArrayParam>& info) {
  const Shape shape = std::get<0>(info.param);
  return "Array" + std::to_string(shape.first) + "x" + std::to_string(shape.second) +
         (std::get<1>(info.param) ? "Sparse" : "Dense");
}

INSTANTIATE_TEST_SUITE_P(
    Arrays, E2EArrays,
    ::testing::Combine(::testing::Values(Shape{1, 1}, Shape{2, 2}, Shape{8, 2}), ::testing::Bool()),
    ArrayName);

// Same network on every array size gives the same outputs: bit-exact each time against the same
// golden reference, and the tensors' nonzero-MAC counts agree between array sizes.
TEST(E2EArraysMixed, SameNonzeroMacsAcrossArrays) {
  auto a = run_case(kNetwork, true, 1, 1);
  auto b = run_case(kNetwork, true, 8, 2);
  ASSERT_TRUE(ExactAndCounted(a, 3));
  ASSERT_TRUE(ExactAndCounted(b, 3));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(golden_nz(a, i), golden_nz(b, i)) << "layer " << i;
}

// On a large array, multicast trees funnel through a few mesh links: the auto sharing policy
// must then fetch iacts per cluster (unicast), and the layer must still be bit-exact. The same
// pinned tiles with multicast forced move the same data over the mesh.
TEST(E2ESharing, LargeArrayFallsBackToUnicastWhenTreesFunnel) {
  ArchConfig a;
  a.cluster_rows = a.cluster_cols = 8;
  a.pe_rows = a.pe_cols = 4;
  a.weight_routers = 4;
  const char* yaml = R"(
name: t
layers:
  - {name: pw, type: conv, C: 16, M: 32, H: 16, W: 16, R: 1, S: 1, shift: 8, iact_density: 0.5,
     mapping: {M0: 2, C0: 1, vr: 4 NOC}}
)";
  std::string automatic = yaml, forced = yaml;
  automatic.replace(automatic.find(" NOC"), 4, "");
  forced.replace(forced.find(" NOC"), 4, ", noc: {iact: multicast}");
  auto r = run_yaml(a, automatic);
  ASSERT_TRUE(ExactAndCounted(r, 1));
  auto m = run_yaml(a, forced);
  ASSERT_TRUE(ExactAndCounted(m, 1));
  EXPECT_EQ(r.result["layers"][0]["iact_pattern"].get<std::string>(), "unicast");
  EXPECT_NE(m.result["layers"][0]["iact_pattern"].get<std::string>(), "unicast");
  EXPECT_LT(r.result["layers"][0]["cycles"].get<uint64_t>(),
            m.result["layers"][0]["cycles"].get<uint64_t>());
}

// Every sharing pattern the routers can be set to, pinned in turn on the published chip: the
// same layer stays bit-exact and reports the pattern it was given.
TEST(E2ESharing, EveryPinnedPatternIsBitExact) {
  const ArchConfig a;
  const char* yaml = R"(
name: t
seed: 4
layers:
  - {name: pw, type: conv, C: 32, M: 64, H: 8, W: 8, R: 1, S: 1, shift: 8, weight_density: 0.5,
     iact_density: 0.7, mapping: {M0: 4, C0: 8, F0: 8, vr: 1, noc: {iact: IACT, weight: WEIGHT}}}
)";
  const std::pair<const char*, const char*> iact[] = {{"unicast", "unicast"},
                                                      {"grouped", "grouped multicast"},
                                                      {"interleaved", "interleaved multicast"},
                                                      {"broadcast", "broadcast"}};
  const std::pair<const char*, const char*> weight[] = {{"unicast", "unicast"},
                                                        {"grouped", "grouped multicast"}};
  for (const auto& [ip, iname] : iact)
    for (const auto& [wp, wname] : weight) {
      SCOPED_TRACE(std::string("iacts ") + ip + ", weights " + wp);
      std::string y = yaml;
      y.replace(y.find("IACT"), 4, ip);
      y.replace(y.find("WEIGHT"), 6, wp);
      auto r = run_yaml(a, y);
      ASSERT_TRUE(ExactAndCounted(r, 1));
      EXPECT_EQ(r.result["layers"][0]["iact_pattern"].get<std::string>().rfind(iname, 0), 0u)
          << r.result["layers"][0]["iact_pattern"];
      EXPECT_EQ(r.result["layers"][0]["weight_pattern"].get<std::string>().rfind(wname, 0), 0u)
          << r.result["layers"][0]["weight_pattern"];
    }
}

// A pattern the array's routers cannot carry is refused, naming it.
TEST(E2ESharing, UnroutablePinIsAMappingError) {
  ArchConfig a;
  a.cluster_rows = a.cluster_cols = 1;
  auto r = run_yaml(a, R"(
name: t
layers:
  - {name: pw, type: conv, C: 8, M: 8, H: 4, W: 4, R: 1, S: 1, shift: 8,
     mapping: {M0: 4, C0: 4, F0: 4, vr: 1, noc: {iact: interleaved}}}
)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_kind, "input");
  EXPECT_NE(r.error.find("interleaved"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace eyeriss
