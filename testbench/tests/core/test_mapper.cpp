// Unit tests of the RS+ mapper (models/mapper): which capacity a mapping exceeds (mapping_fit,
// sparsity-aware against the actual nonzeros on a sparse chip, raw words on a dense-mode chip),
// the MappingError of map_layer when nothing fits, the structure of the pass schedule
// (build_program) and the FC view (mapped_view). Default architecture (arch_config.h): psum SPad
// 32 entries, GLB psum bank 1920 B / 20 bit = 768 psums, weight address SPad 16, iact address
// SPad 9, iact data SPad 16, weight data SPad 96 words of simd = 2 weights, 8 x 2 clusters of
// 3 x 4 PEs, zero runs up to 15.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/error.h"
#include "models/common/layer.h"
#include "models/common/tensor.h"
#include "models/mapper/mapper.h"
#include "testbench/datagen.h"

namespace eyeriss {
namespace {

Layer conv(const std::string& name, int C, int M, int H, int W, int R, int S, int stride = 1,
           int pad = 0) {
  Layer l;
  l.name = name;
  l.C = C;
  l.M = M;
  l.H = H;
  l.W = W;
  l.R = R;
  l.S = S;
  l.stride = stride;
  l.pad = pad;
  l.validate();
  return l;
}

// All-nonzero operands.
Int8Tensor dense_w(const Layer& l) { return Int8Tensor({l.M, l.Cg(), l.R, l.S}, int8_t(1)); }
ActTensor dense_x(const Layer& l) {
  return ActTensor{Tensor<int16_t>({l.N, l.C, l.H, l.W}, int16_t(1)), false};
}

Mapping mapping(int M0, int C0, int F0, int vr = 1) {
  Mapping m;
  m.M0 = M0;
  m.C0 = C0;
  m.F0 = F0;
  m.vr = vr;
  return m;
}

ArchConfig dense_mode() {
  ArchConfig a;
  a.name = "dense_mode";
  a.sparse = false;
  return a;
}

// The reason is non-empty and mentions every part.
::testing::AssertionResult Exceeds(const std::string& why, const std::vector<std::string>& parts) {
  if (why.empty()) return ::testing::AssertionFailure() << "the mapping fits (empty reason)";
  for (const auto& p : parts)
    if (why.find(p) == std::string::npos)
      return ::testing::AssertionFailure() << "'" << p << "' not in: " << why;
  return ::testing::AssertionSuccess() << why;
}

// ---------------------------------------------------------------------------------------------
// mapping_fit: one capacity at a time, each with the largest value that still fits.

TEST(Mapper, DefaultCapacities) {
  const ArchConfig a;
  EXPECT_EQ(a.psum.entries, 32);
  EXPECT_EQ(a.psum_bank_entries(), 768);  // 1920 * 8 / 20
  EXPECT_EQ(a.weight_addr.entries, 16);
  EXPECT_EQ(a.iact_addr.entries, 9);
  EXPECT_EQ(a.iact_data.entries, 16);
  EXPECT_EQ(a.weight_data.entries, 96);
}

TEST(Mapper, PsumSpad) {
  const ArchConfig a;
  const Layer l = conv("psum_spad", 1, 64, 3, 3, 1, 1);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(33, 1, 1)), {"psum SPad", "32", "M0=33"}));
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(32, 1, 1)), "");
}

TEST(Mapper, PsumBank) {
  const ArchConfig a;
  const Layer l = conv("psum_bank", 1, 32, 3, 27, 1, 3);  // F = 25
  ASSERT_EQ(l.F(), 25);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  // 32 x 25 = 800 psums > 768; 32 x 24 = 768 fits exactly.
  EXPECT_TRUE(
      Exceeds(mapping_fit(l, a, w, x, mapping(32, 1, 25)), {"GLB psum bank", "768", "800"}));
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(32, 1, 24)), "");
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(31, 1, 25)), {"psum bank", "775"}));
}

TEST(Mapper, WeightAddressSpad) {
  const ArchConfig a;
  const Layer l = conv("waddr", 8, 4, 5, 8, 3, 3);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  // C0 x S = 6 x 3 = 18 columns > 16; 5 x 3 = 15 fits (15 iact entries in the window).
  EXPECT_TRUE(
      Exceeds(mapping_fit(l, a, w, x, mapping(4, 6, 1)), {"weight address SPad", "16", "18"}));
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(4, 5, 1)), "");
}

TEST(Mapper, IactAddressSpad) {
  const ArchConfig a;
  // S = 20, U = 2: the window spans ceil(20 / 2) = 10 segments > 9 address entries.
  const Layer l = conv("iaddr", 1, 2, 2, 40, 1, 20, 2);
  const Int8Tensor w(std::vector<int>{l.M, l.Cg(), l.R, l.S}, 0);  // any weights
  const ActTensor x{Tensor<int16_t>({l.N, l.C, l.H, l.W}, 0), false};
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(2, 1, 1)),
                      {"iact address SPad", "9", "10 segments"}));
  // S = 18, U = 2: 9 segments fit the address SPad (then the weight columns are the limit).
  const Layer l9 = conv("iaddr9", 1, 2, 2, 40, 1, 18, 2);
  const std::string why9 = mapping_fit(l9, a, dense_w(l9), dense_x(l9), mapping(2, 1, 1));
  EXPECT_EQ(why9.find("iact address"), std::string::npos) << why9;
  EXPECT_TRUE(Exceeds(why9, {"weight address SPad", "18"}));
}

TEST(Mapper, IactDataSpadDense) {
  const ArchConfig a;
  // S = 3, U = 2: segments of 2 columns, a window of 2 segments: 4 x C0 iact entries when every
  // iact is nonzero. C0 = 5 -> 20 > 16 (C0 x S = 15 weight columns still fit); C0 = 4 -> 16.
  const Layer l = conv("idata", 8, 4, 4, 17, 1, 3, 2);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  EXPECT_TRUE(
      Exceeds(mapping_fit(l, a, w, x, mapping(4, 5, 1)), {"iact data SPad", "16", "20", "C0=5"}));
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(4, 4, 1)), "");
  // With S = 3, U = 1 the window is C0 x 3 entries, the same as the weight columns: C0 = 6
  // exceeds the weight address SPad first (18 > 16), so that is the reason given.
  const Layer l1 = conv("idata_u1", 8, 4, 4, 8, 1, 3, 1);
  EXPECT_TRUE(Exceeds(mapping_fit(l1, a, dense_w(l1), dense_x(l1), mapping(4, 6, 1)),
                      {"weight address SPad", "18"}));
}

TEST(Mapper, IactDataSpadCountsNonzeros) {
  const ArchConfig a;
  const Layer l = conv("idata_sparse", 8, 4, 4, 17, 1, 3, 2);
  // Every other input column is zero: a 2-column segment holds 5 nonzeros for C0 = 5 (the zero
  // run is 5 < 16), so the window holds 10 entries and C0 = 5 fits on the sparse chip.
  ActTensor x{Tensor<int16_t>({l.N, l.C, l.H, l.W}, 0), false};
  for (int c = 0; c < l.C; ++c)
    for (int h = 0; h < l.H; ++h)
      for (int xx = 0; xx < l.W; xx += 2) x.t.at(0, c, h, xx) = 7;
  EXPECT_EQ(mapping_fit(l, a, dense_w(l), x, mapping(4, 5, 1)), "");
  // The dense-mode chip moves raw values: 20 entries whatever they are.
  EXPECT_TRUE(Exceeds(mapping_fit(l, dense_mode(), dense_w(l), x, mapping(4, 5, 1)),
                      {"iact data SPad", "20"}));
}

// M0 = 32, C0 = 7, S = 1: 7 weight columns of 32 output channels.
Layer wdata_layer() { return conv("wdata", 7, 32, 3, 3, 1, 1); }

TEST(Mapper, WeightDataSpadDense) {
  const ArchConfig a;
  const Layer l = wdata_layer();
  const auto x = dense_x(l);
  // Dense weights: 32 entries = 16 words per column, 7 x 16 = 112 > 96; C0 = 6: 96 fits.
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, dense_w(l), x, mapping(32, 7, 1)),
                      {"weight data SPad", "96", "112"}));
  EXPECT_EQ(mapping_fit(l, a, dense_w(l), x, mapping(32, 6, 1)), "");
  // M0 = 28: 14 words per column, 98 > 96; M0 = 27: ceil(27/2) = 14 too; M0 = 26: 91 fits.
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, dense_w(l), x, mapping(28, 7, 1)), {"98"}));
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, dense_w(l), x, mapping(27, 7, 1)), {"98"}));
  EXPECT_EQ(mapping_fit(l, a, dense_w(l), x, mapping(26, 7, 1)), "");
}

TEST(Mapper, WeightDataSpadIsSparsityAware) {
  const ArchConfig a;
  const Layer l = wdata_layer();
  const auto x = dense_x(l);
  // Random weights at density 0.25: about 8 of 32 nonzeros per column, 4-5 words, far below
  // the 96 words even for the fullest columns.
  const Int8Tensor rnd = generate_weights(l, 0.25, -100, 100, 17);
  EXPECT_EQ(mapping_fit(l, a, rnd, x, mapping(32, 7, 1)), "");
  // Exact counts by hand: k nonzeros at the top of each 32-entry column (no long zero run in
  // front of a nonzero) take ceil(k / 2) words; 7 columns.
  auto top_k = [&](int k) {
    Int8Tensor w(std::vector<int>{l.M, l.Cg(), l.R, l.S}, 0);
    for (int m = 0; m < k; ++m)
      for (int c = 0; c < l.C; ++c) w.at(m, c, 0, 0) = 3;
    return w;
  };
  EXPECT_EQ(mapping_fit(l, a, top_k(26), x, mapping(32, 7, 1)), "");  // 7 x 13 = 91
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, top_k(27), x, mapping(32, 7, 1)),
                      {"weight data SPad", "98"}));  // 7 x 14
  // One nonzero at the bottom of each column behind a zero run of 31 > 15: one explicit zero
  // breaks the run, 2 entries = 1 word per column.
  Int8Tensor bottom(std::vector<int>{l.M, l.Cg(), l.R, l.S}, 0);
  for (int c = 0; c < l.C; ++c) bottom.at(31, c, 0, 0) = 5;
  EXPECT_EQ(mapping_fit(l, a, bottom, x, mapping(32, 7, 1)), "");
  const std::vector<int16_t> col = [] {
    std::vector<int16_t> v(32, 0);
    v[31] = 5;
    return v;
  }();
  EXPECT_EQ(csc_entries(col.data(), 32, 1, a.max_count()), 2);
}

TEST(Mapper, DenseModeCountsRawWords) {
  const ArchConfig a = dense_mode();
  const Layer l = wdata_layer();
  const auto x = dense_x(l);
  // Dense mode: cc x S x ceil(mc / simd) words whatever the weights hold.
  const Int8Tensor sparse_w = generate_weights(l, 0.25, -100, 100, 17);
  const Int8Tensor zeros(std::vector<int>{l.M, l.Cg(), l.R, l.S}, 0);
  for (const Int8Tensor* w : {&sparse_w, &zeros}) {
    EXPECT_TRUE(Exceeds(mapping_fit(l, a, *w, x, mapping(32, 7, 1)), {"weight data SPad", "112"}));
    EXPECT_EQ(mapping_fit(l, a, *w, x, mapping(32, 6, 1)), "");
    EXPECT_TRUE(Exceeds(mapping_fit(l, a, *w, x, mapping(27, 7, 1)), {"98"}));
  }
  // The same sparse weights fit on the sparse chip.
  EXPECT_EQ(mapping_fit(l, ArchConfig{}, sparse_w, x, mapping(32, 7, 1)), "");
}

TEST(Mapper, VerticalSpanDividesClusterRows) {
  const ArchConfig a;  // 8 cluster rows
  const Layer l = conv("vr", 2, 4, 5, 5, 3, 3);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  for (int vr : {3, 5, 6, 7, 16})
    EXPECT_TRUE(
        Exceeds(mapping_fit(l, a, w, x, mapping(4, 1, 3, vr)), {"vr=" + std::to_string(vr), "8"}));
  for (int vr : {1, 2, 4, 8}) EXPECT_EQ(mapping_fit(l, a, w, x, mapping(4, 1, 3, vr)), "");
}

TEST(Mapper, VerticalSpanMustFinishTheReduction) {
  const ArchConfig a;
  // C = 7, R = 1, C0 = 1: 7 reduction items for vr x 3 PE rows.
  const Layer l = conv("vr_items", 7, 4, 5, 5, 1, 1);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(4, 1, 5, 2)),
                      {"vr=2", "7 reduction items", "6 PE rows"}));
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(4, 1, 5, 4)), "");  // 7 <= 12
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(4, 2, 5, 2)), "");  // 4 items <= 6
  EXPECT_EQ(mapping_fit(l, a, w, x, mapping(4, 1, 5, 1)), "");  // several passes: fine
}

TEST(Mapper, TileSizesWithinTheLayer) {
  const ArchConfig a;
  const Layer l = conv("bounds", 4, 8, 5, 5, 3, 3);
  const auto w = dense_w(l);
  const auto x = dense_x(l);
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(9, 1, 1)), {"M0=9"}));
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(8, 5, 1)), {"C0=5"}));
  EXPECT_TRUE(Exceeds(mapping_fit(l, a, w, x, mapping(8, 4, 4)), {"F0=4"}));
  EXPECT_FALSE(mapping_fit(l, a, w, x, mapping(0, 1, 1)).empty());
}

// ---------------------------------------------------------------------------------------------
// map_layer

void expect_mapping_error(const Layer& l, const ArchConfig& a,
                          const std::vector<std::string>& parts) {
  try {
    map_layer(l, a, dense_w(l), dense_x(l));
    ADD_FAILURE() << "layer " << l.name << " mapped on " << a.name;
  } catch (const MappingError& e) {
    const std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

TEST(Mapper, MapLayerThrowsWhenNothingFits) {
  // S = 17, stride 1: 17 window segments > 9 iact address entries (and 17 > 16 columns).
  const Layer wide = conv("too_wide", 2, 4, 3, 20, 1, 17);
  expect_mapping_error(wide, ArchConfig{}, {"'too_wide'", "eyeriss_v2", "iact address SPad"});
  // The dense-mode chip has no address SPads: a 17-entry window beats the 16-entry data SPad.
  expect_mapping_error(wide, dense_mode(), {"'too_wide'", "dense_mode", "iact data SPad", "17"});
  // S = 10: 10 segments > 9 address entries in sparse mode; dense mode gates the address SPads
  // and its 10-value window fits the 16-entry data SPad, so the chip runs the layer dense.
  const Layer s10 = conv("s10", 1, 2, 2, 12, 1, 10);
  EXPECT_EQ(map_layer(s10, ArchConfig{}, dense_w(s10), dense_x(s10)).map.pe_mode, PeMode::Dense);
  Mapping sparse_pin = mapping(2, 1, 3);
  sparse_pin.pe_mode = PeMode::Sparse;
  EXPECT_NE(mapping_fit(s10, ArchConfig{}, dense_w(s10), dense_x(s10), sparse_pin)
                .find("iact address SPad"),
            std::string::npos);
  // MappingError is an InputError (the CLI reports it as bad input).
  EXPECT_THROW(map_layer(wide, ArchConfig{}, dense_w(wide), dense_x(wide)), InputError);
}

// The PE mode a depthwise 3 x 3 layer gets (16 channels, 10 x 10, pad 1, weights all nonzero)
// on the published chip. By hand: M0 = C0 = 1, and 16 x 10 = 160 row tasks are 40 task groups,
// more than the 16 clusters, so vr = 1; F0 = 10; one reduction group (3 items on 3 PE rows) and
// ceil(40 / 16) = 3 waves: 3 passes. Per position (iact density d): front end 3d, weight words
// 3d, psum chain ceil(1/2) + ceil(20/40) = 2, iact delivery 12 streams x 12d bits over 3 x 24 =
// 2d; weight load 3 x 4 = 12; per pass 7 pipeline cycles.
//   sparse: 3 x (10 x max(3d, 2) + 12 + 7);  dense: 3 x (10 x 3 + 19) = 147.
// d = 0.5: sparse 3 x (20 + 19) = 117 < 147 -> sparse. d = 1: both 147; the tie goes to the
// smaller encoding, raw (8 bits a value) against CSC (12 bits a nonzero) -> dense.
TEST(Mapper, DepthwisePeModeChoice) {
  Layer dw = conv("dw", 16, 16, 10, 10, 3, 3, 1, 1);
  dw.G = 16;
  dw.validate();
  const Int8Tensor w = dense_w(dw);
  ActTensor half = dense_x(dw);
  for (std::size_t i = 0; i < half.t.size(); i += 2) half.t.values()[i] = 0;
  const LayerProgram ps = map_layer(dw, ArchConfig{}, w, half);
  EXPECT_EQ(ps.map.pe_mode, PeMode::Sparse);
  EXPECT_DOUBLE_EQ(ps.est_cycles, 117);
  const LayerProgram pd = map_layer(dw, ArchConfig{}, w, dense_x(dw));
  EXPECT_EQ(pd.map.pe_mode, PeMode::Dense);
  EXPECT_DOUBLE_EQ(pd.est_cycles, 147);
  // The chosen mode reaches every PE pass of the program.
  for (const LayerProgram* p : {&ps, &pd})
    for (const auto& pes : p->noc.pes)
      for (const PePass& pass : pes)
        if (pass.cfg.active) {
          EXPECT_EQ(pass.cfg.sparse, p->map.pe_mode == PeMode::Sparse);
        }
  // A dense PE has only the dense mode; pinning sparse on it is a mapping error.
  EXPECT_EQ(map_layer(dw, dense_mode(), w, half).map.pe_mode, PeMode::Dense);
  Mapping pin = mapping(1, 1, 10);
  pin.pe_mode = PeMode::Sparse;
  EXPECT_THROW(mapping_fit(dw, dense_mode(), w, half, pin), MappingError);
}

TEST(Mapper, MapLayerResultFits) {
  const ArchConfig a;
  const std::vector<Layer> layers = {conv("c3", 6, 10, 9, 9, 3, 3, 1, 1),
                                     conv("c5s2", 3, 16, 15, 15, 5, 5, 2, 2),
                                     conv("pw", 32, 64, 7, 7, 1, 1), conv("s9", 1, 3, 3, 12, 1, 9)};
  for (const Layer& l : layers) {
    const Int8Tensor w = generate_weights(l, 0.5, -50, 50, 5);
    const ActTensor x = generate_iacts({l.N, l.C, l.H, l.W}, 0.6, false, 6);
    const LayerProgram p = map_layer(l, a, w, x);
    EXPECT_EQ(mapping_fit(l, a, w, x, p.map), "") << l.name << ": " << p.describe();
    EXPECT_FALSE(p.passes.empty()) << l.name;
    EXPECT_GT(p.candidates, 0) << l.name;
  }
}

// ---------------------------------------------------------------------------------------------
// build_program

ArchConfig arch_of(int rows, int cols) {
  ArchConfig a;
  a.cluster_rows = rows;
  a.cluster_cols = cols;
  return a;
}

// Every (task, item) pair in exactly one pass; each task group's passes in step order, first
// only on the first and last only on the last; the passes of a step on distinct clusters.
void check_schedule(const LayerProgram& p, const ArchConfig& a) {
  const int ntasks = static_cast<int>(p.tasks.size());
  const int nitems = static_cast<int>(p.items.size());
  const int vrows = p.map.vr * a.pe_rows;
  std::map<std::pair<int, int>, int> seen;
  std::map<std::vector<int>, std::vector<const Pass*>> by_group;
  std::map<int, std::set<int>> clusters_of_step;
  int last_step = -1;
  for (const Pass& pass : p.passes) {
    ASSERT_EQ(pass.col_task.size(), std::size_t(a.pe_cols));
    ASSERT_EQ(pass.row_item.size(), std::size_t(vrows));
    EXPECT_GE(pass.step, last_step) << "passes out of step order";
    last_step = pass.step;
    EXPECT_GE(pass.cluster, 0);
    EXPECT_LT(pass.cluster, a.clusters());
    EXPECT_TRUE(clusters_of_step[pass.step].insert(pass.cluster).second)
        << "step " << pass.step << " uses cluster " << pass.cluster << " twice";
    for (int t : pass.col_task) {
      EXPECT_GE(t, -1);
      EXPECT_LT(t, ntasks);
      if (t < 0) continue;
      for (int i : pass.row_item) {
        EXPECT_GE(i, -1);
        EXPECT_LT(i, nitems);
        if (i >= 0) ++seen[{t, i}];
      }
    }
    by_group[pass.col_task].push_back(&pass);
  }
  for (int t = 0; t < ntasks; ++t)
    for (int i = 0; i < nitems; ++i) {
      const auto it = seen.find({t, i});
      EXPECT_TRUE(it != seen.end() && it->second == 1)
          << "task " << t << " x item " << i << " runs " << (it == seen.end() ? 0 : it->second)
          << " times";
    }
  for (const auto& [group, passes] : by_group) {
    for (std::size_t k = 0; k < passes.size(); ++k) {
      EXPECT_EQ(passes[k]->first, k == 0) << "pass " << k << " of a task group";
      EXPECT_EQ(passes[k]->last, k + 1 == passes.size()) << "pass " << k << " of a task group";
      if (k > 0) {
        EXPECT_GT(passes[k]->step, passes[k - 1]->step);
        EXPECT_EQ(passes[k]->cluster, passes[k - 1]->cluster)
            << "the partial psums of a task group stay in its cluster's psum banks";
      }
    }
  }
}

// The two task orders on E = 8 rows (two blocks of 4 PE columns) x two output-channel chunks
// (M = 4, M0 = 2): iact reuse runs (block, chunk) as (0,0) (0,1) (1,0) (1,1), so the two
// clusters of a step hold the same rows; weight reuse runs (0,0) (1,0) (0,1) (1,1), so they hold
// the same output channels. On a 2 x 1 cluster array that is one step of two groups each.
TEST(Mapper, TaskOrders) {
  const ArchConfig a = arch_of(2, 1);
  const Layer l = conv("ord", 4, 4, 8, 8, 1, 1);
  std::vector<std::pair<int, int>> iact, weight;  // (e block, channel chunk) per task group
  for (const TaskOrder o : {TaskOrder::IactReuse, TaskOrder::WeightReuse}) {
    Mapping m = mapping(2, 4, 8);
    m.order = o;
    const LayerProgram p = build_program(l, a, m);
    EXPECT_EQ(p.map.order, o);
    ASSERT_EQ(p.tasks.size(), 16u);
    for (std::size_t g = 0; g < 4; ++g) {
      const RowTask& t = p.tasks[g * 4];
      for (std::size_t j = 1; j < 4; ++j) {  // a group: 4 rows of one block, one chunk
        EXPECT_EQ(p.tasks[g * 4 + j].mi, t.mi);
        EXPECT_EQ(p.tasks[g * 4 + j].e, t.e + int(j));
      }
      (o == TaskOrder::IactReuse ? iact : weight).push_back({t.e / 4, t.mi});
    }
  }
  EXPECT_EQ(iact, (std::vector<std::pair<int, int>>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
  EXPECT_EQ(weight, (std::vector<std::pair<int, int>>{{0, 0}, {1, 0}, {0, 1}, {1, 1}}));
  // An unpinned order is iact reuse in build_program; program_for keeps the order that reads
  // fewer bits from off-chip, whichever it is. On 2 x 2 clusters, 16 rows x 4 channel chunks:
  // iact reuse shares iact rows down a column and fetches weights per cluster; weight reuse
  // shares weights along a row (weights travel W/E only) and fetches iact rows per cluster.
  EXPECT_EQ(build_program(l, a, mapping(2, 4, 8)).map.order, TaskOrder::IactReuse);
  const ArchConfig a4 = arch_of(2, 2);
  const Layer l4 = conv("ord4", 16, 8, 16, 16, 1, 1);
  const Int8Tensor w = generate_weights(l4, 0.5, -50, 50, 5);
  const ActTensor x = generate_iacts({l4.N, l4.C, l4.H, l4.W}, 0.6, false, 6);
  uint64_t bits[2];
  for (const TaskOrder o : {TaskOrder::IactReuse, TaskOrder::WeightReuse}) {
    Mapping m = mapping(2, 4, 16);
    m.order = o;
    bits[o == TaskOrder::WeightReuse] = offchip_read_bits(program_for(l4, a4, w, x, m), a4, w);
  }
  ASSERT_NE(bits[0], bits[1]);
  const LayerProgram chosen = program_for(l4, a4, w, x, mapping(2, 4, 16));
  EXPECT_EQ(chosen.map.order, bits[1] < bits[0] ? TaskOrder::WeightReuse : TaskOrder::IactReuse);
  EXPECT_EQ(offchip_read_bits(chosen, a, w), std::min(bits[0], bits[1]));
}

TEST(Mapper, BuildProgramSingleCluster) {
  const ArchConfig a = arch_of(1, 1);
  // C = 7, M = 6, 6 x 6 output (pad 1), R = S = 3. M0 = 4 (chunks 4 + 2), C0 = 2 (chunks
  // 2, 2, 2, 1), F0 = 4 (chunks 4 + 2).
  const Layer l = conv("small", 7, 6, 6, 6, 3, 3, 1, 1);
  const LayerProgram p = build_program(l, a, mapping(4, 2, 4));
  EXPECT_EQ(p.map.M0, 4);
  EXPECT_EQ(p.seg_cols, 1);
  EXPECT_EQ(p.window_segs, 3);
  // Tasks: 2 output-column chunks x 6 rows x 2 channel chunks.
  ASSERT_EQ(p.tasks.size(), 24u);
  std::set<std::tuple<int, int, int, int, int>> keys;
  for (const RowTask& t : p.tasks) {
    EXPECT_TRUE(keys.insert({t.n, t.g, t.mi, t.e, t.fi}).second) << "duplicate task";
    EXPECT_EQ(t.m_base, t.mi * 4);
    EXPECT_EQ(t.mc, t.mi == 0 ? 4 : 2);
    EXPECT_EQ(t.f0, t.fi * 4);
    EXPECT_EQ(t.fc, t.fi == 0 ? 4 : 2);
    EXPECT_GE(t.e, 0);
    EXPECT_LT(t.e, 6);
  }
  // Items: 4 channel chunks x 3 filter rows.
  ASSERT_EQ(p.items.size(), 12u);
  std::set<std::pair<int, int>> items;
  for (const RedItem& it : p.items) {
    EXPECT_TRUE(items.insert({it.ci, it.r}).second) << "duplicate item";
    EXPECT_EQ(it.c_base, it.ci * 2);
    EXPECT_EQ(it.cc, it.ci == 3 ? 1 : 2);
  }
  // 6 task groups of 4 columns, 12 items over 3 PE rows: 4 passes each.
  EXPECT_EQ(p.passes.size(), 24u);
  for (const Pass& pass : p.passes) {
    EXPECT_EQ(pass.cluster, 0);
    for (int j = 0; j < 4; ++j) EXPECT_EQ(pass.col_task[j], pass.col_task[0] + j);
  }
  check_schedule(p, a);
}

TEST(Mapper, BuildProgramIdleColumnsAndRows) {
  const ArchConfig a = arch_of(1, 1);
  // 5 output rows (tasks) and 4 items: the second task group has 1 busy column, the second
  // reduction pass 1 busy row; the others are -1.
  const Layer l = conv("ragged", 4, 2, 7, 7, 3, 3);
  const LayerProgram p = build_program(l, a, mapping(2, 3, 5));
  ASSERT_EQ(p.tasks.size(), 5u);
  ASSERT_EQ(p.items.size(), 6u);  // C chunks 3 + 1, times R = 3
  int idle_cols = 0, idle_rows = 0;
  for (const Pass& pass : p.passes) {
    for (int t : pass.col_task) idle_cols += t < 0;
    for (int i : pass.row_item) idle_rows += i < 0;
  }
  EXPECT_EQ(p.passes.size(), 4u);  // 2 groups x 2 reduction passes
  EXPECT_EQ(idle_cols, 2 * 3);     // the second group's 3 idle columns, in both its passes
  EXPECT_EQ(idle_rows, 0);         // 6 items fill 2 passes of 3 rows exactly
  check_schedule(p, a);
}

TEST(Mapper, BuildProgramPublishedArraySteps) {
  const ArchConfig a;  // 8 x 2
  // 2 channel chunks x 28 rows x 1 column chunk = 56 tasks: 14 groups; 2 x 3 = 6 items: 2
  // passes of 3 rows.
  const Layer l = conv("wide", 6, 64, 30, 30, 3, 3);
  const LayerProgram p = build_program(l, a, mapping(32, 3, 28));
  ASSERT_EQ(p.tasks.size(), 56u);
  ASSERT_EQ(p.items.size(), 6u);
  EXPECT_EQ(p.passes.size(), 28u);
  std::set<int> clusters;
  for (const Pass& pass : p.passes) clusters.insert(pass.cluster);
  EXPECT_EQ(clusters.size(), 14u);
  check_schedule(p, a);

  // More groups than clusters: several waves, each step still on distinct clusters.
  const Layer big = conv("big", 2, 64, 60, 20, 1, 1);
  const LayerProgram q = build_program(big, a, mapping(16, 1, 20));
  EXPECT_EQ(q.tasks.size(), 4u * 60u);  // 60 groups: 4 waves of <= 16 clusters
  check_schedule(q, a);
  std::set<int> all;
  for (const Pass& pass : q.passes) all.insert(pass.cluster);
  EXPECT_EQ(all.size(), 16u);
}

TEST(Mapper, BuildProgramVerticalSpan) {
  const ArchConfig a;  // 8 x 2
  // C = 2, R = 3, C0 = 1: 6 items = one pass over 2 clusters x 3 PE rows. M = 64, M0 = 8, 4
  // output rows: 32 tasks = 8 groups, one per span of the 4 x 2 spans.
  const Layer l = conv("span", 2, 64, 6, 6, 3, 3);
  const LayerProgram p = build_program(l, a, mapping(8, 1, 4, 2));
  ASSERT_EQ(p.items.size(), 6u);
  ASSERT_EQ(p.tasks.size(), 32u);
  EXPECT_EQ(p.passes.size(), 8u);
  for (const Pass& pass : p.passes) {
    EXPECT_EQ(pass.row_item.size(), 6u);
    const int row = pass.cluster / a.cluster_cols;
    EXPECT_EQ(row % 2, 0) << "a span starts on an even cluster row (cluster " << pass.cluster
                          << ")";
    EXPECT_LT(row + 1, a.cluster_rows);
    EXPECT_TRUE(pass.first);
    EXPECT_TRUE(pass.last);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(pass.row_item[i], i);
  }
  check_schedule(p, a);
  // Spans of one step never overlap: no cluster is both a span's north and another's south.
  std::map<int, std::set<int>> used;
  for (const Pass& pass : p.passes)
    for (int k = 0; k < 2; ++k)
      EXPECT_TRUE(used[pass.step].insert(pass.cluster + k * a.cluster_cols).second)
          << "step " << pass.step;
}

// ---------------------------------------------------------------------------------------------
// mapped_view

TEST(Mapper, MappedViewFlattensFc) {
  Layer fc;
  fc.name = "fc6";
  fc.type = LayerType::FC;
  fc.N = 2;
  fc.C = 16;
  fc.M = 10;
  fc.H = fc.R = 4;
  fc.W = fc.S = 5;
  fc.shift = 7;
  fc.validate();
  const Layer v = mapped_view(fc);
  EXPECT_EQ(v.name, "fc6");
  EXPECT_EQ(v.C, 16 * 4 * 5);
  EXPECT_EQ(v.M, 10);
  EXPECT_EQ(v.N, 2);
  EXPECT_EQ(v.G, 1);
  EXPECT_EQ(v.H, 1);
  EXPECT_EQ(v.W, 1);
  EXPECT_EQ(v.R, 1);
  EXPECT_EQ(v.S, 1);
  EXPECT_EQ(v.stride, 1);
  EXPECT_EQ(v.pad, 0);
  EXPECT_EQ(v.shift, 7);
  EXPECT_EQ(v.E(), 1);
  EXPECT_EQ(v.F(), 1);
  EXPECT_EQ(v.macs(), fc.macs());

  const Layer c = conv("c", 3, 8, 9, 9, 3, 3, 2, 1);
  const Layer cv = mapped_view(c);
  EXPECT_EQ(std::tie(cv.C, cv.M, cv.H, cv.W, cv.R, cv.S, cv.stride, cv.pad),
            std::tie(c.C, c.M, c.H, c.W, c.R, c.S, c.stride, c.pad));

  // The flattened FC maps (the weights [M][C*H*W][1][1] hold the same bytes).
  const Int8Tensor w = generate_weights(v, 0.3, -20, 20, 9);
  const ActTensor x = generate_iacts({v.N, v.C, 1, 1}, 0.5, false, 10);
  const LayerProgram p = map_layer(v, ArchConfig{}, w, x);
  EXPECT_EQ(p.layer.C, 320);
  EXPECT_EQ(mapping_fit(v, ArchConfig{}, w, x, p.map), "");
}

}  // namespace
}  // namespace eyeriss
