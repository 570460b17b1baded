#include "models/mapper/mapper.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <sstream>

#include "models/common/error.h"

namespace eyeriss {

namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

struct Candidate {
  Mapping map;
  double est = 0;
  int64_t passes = 0;
  double data_bits = 0;  // the layer's iacts and weights as this mode encodes them
};

// Largest number of weight words any PE would hold for (M0, C0), from the actual weights.
// Columns are (c, s) of one filter row r; each occupies ceil(entries / simd) words.
int max_weight_words(const Layer& l, const ArchConfig& a, const Int8Tensor& w, int M0, int C0) {
  const int Mg = l.Mg(), Cg = l.Cg(), R = l.R, S = l.S;
  std::vector<int16_t> col(M0);
  int worst = 0;
  for (int g = 0; g < l.G; ++g)
    for (int mi = 0; mi < ceil_div(Mg, M0); ++mi) {
      const int mc = std::min(M0, Mg - mi * M0);
      for (int ci = 0; ci < ceil_div(Cg, C0); ++ci) {
        const int cc = std::min(C0, Cg - ci * C0);
        for (int r = 0; r < R; ++r) {
          int words = 0;
          for (int c = 0; c < cc; ++c)
            for (int s = 0; s < S; ++s) {
              int entries = mc;
              if (a.sparse) {
                for (int m = 0; m < mc; ++m) col[m] = w.at(g * Mg + mi * M0 + m, ci * C0 + c, r, s);
                entries = csc_entries(col.data(), mc, 1, a.max_count());
              }
              words += ceil_div(entries, a.simd);
            }
          worst = std::max(worst, words);
        }
      }
    }
  return worst;
}

// Largest iact window (entries in the window's segments) any PE would hold for C0. Segment k
// of an iact row covers padded columns [k*U, k*U + seg_cols), rows ordered u-major.
int max_window_entries(const Layer& l, const ArchConfig& a, const ActTensor& x, int C0,
                       int seg_cols, int window_segs) {
  const int Cg = l.Cg(), U = l.stride, Wp = l.W + 2 * l.pad;
  const int nsegs = l.F() - 1 + window_segs;
  if (!a.sparse) return window_segs * seg_cols * std::min(C0, Cg);
  std::vector<int16_t> v;
  std::vector<int> seg_entries(nsegs);
  int worst = 0;
  for (int n = 0; n < l.N; ++n)
    for (int g = 0; g < l.G; ++g)
      for (int ci = 0; ci < ceil_div(Cg, C0); ++ci) {
        const int cc = std::min(C0, Cg - ci * C0);
        v.assign(seg_cols * cc, 0);
        for (int h = 0; h < l.H; ++h) {  // padding rows are all zero: no entries
          for (int k = 0; k < nsegs; ++k) {
            for (int u = 0; u < seg_cols; ++u) {
              const int xp = k * U + u, xx = xp - l.pad;
              for (int c = 0; c < cc; ++c)
                v[u * cc + c] =
                    (xx >= 0 && xx < l.W && xp < Wp) ? x.t.at(n, g * Cg + ci * C0 + c, h, xx) : 0;
            }
            seg_entries[k] = csc_entries(v.data(), seg_cols * cc, 1, a.max_count());
          }
          for (int f = 0; f < l.F(); ++f) {
            int sum = 0;
            for (int t = 0; t < window_segs; ++t) sum += seg_entries[f + t];
            worst = std::max(worst, sum);
          }
        }
      }
  return worst;
}

}  // namespace

int csc_entries(const int16_t* v, int n, int stride, int max_count) {
  int entries = 0, run = 0;
  for (int i = 0; i < n; ++i) {
    if (v[i * stride] == 0) {
      ++run;
      continue;
    }
    entries += run / (max_count + 1) + 1;  // explicit zeros break runs over max_count
    run = 0;
  }
  return entries;
}

Layer mapped_view(const Layer& l) {
  if (l.type != LayerType::FC) return l;
  Layer m = l;
  m.C = l.C * l.H * l.W;
  m.H = m.W = m.R = m.S = 1;
  m.stride = 1;
  m.pad = 0;
  return m;
}

namespace {

// The names of the mapping enums, as the workload YAML, stats.json and reports spell them.
template <typename E>
using Names = std::initializer_list<std::pair<E, const char*>>;
const Names<Sharing> kSharing = {{Sharing::Auto, "auto"},
                                 {Sharing::Multicast, "multicast"},
                                 {Sharing::Unicast, "unicast"},
                                 {Sharing::Grouped, "grouped"},
                                 {Sharing::Interleaved, "interleaved"},
                                 {Sharing::Broadcast, "broadcast"}};
const Names<PeMode> kPeMode = {
    {PeMode::Auto, "auto"}, {PeMode::Sparse, "sparse"}, {PeMode::Dense, "dense"}};
const Names<TaskOrder> kTaskOrder = {{TaskOrder::Auto, "auto"},
                                     {TaskOrder::IactReuse, "iact_reuse"},
                                     {TaskOrder::WeightReuse, "weight_reuse"}};

template <typename E>
const char* name_of(const Names<E>& names, E v) {
  for (const auto& [e, n] : names)
    if (e == v) return n;
  return "?";
}

template <typename E>
bool parse_name(const Names<E>& names, const std::string& s, E& out) {
  for (const auto& [e, n] : names)
    if (s == n) {
      out = e;
      return true;
    }
  return false;
}

}  // namespace

const char* to_string(Sharing s) { return name_of(kSharing, s); }
bool parse_sharing(const std::string& s, Sharing& out) { return parse_name(kSharing, s, out); }
const char* to_string(PeMode m) { return name_of(kPeMode, m); }
bool parse_pe_mode(const std::string& s, PeMode& out) { return parse_name(kPeMode, s, out); }
const char* to_string(TaskOrder o) { return name_of(kTaskOrder, o); }
bool parse_task_order(const std::string& s, TaskOrder& out) {
  return parse_name(kTaskOrder, s, out);
}

PeMode resolve_pe_mode(const ArchConfig& a, PeMode m) {
  if (m == PeMode::Sparse && !a.sparse)
    throw MappingError("the PE mode 'sparse' needs a sparse PE, but the architecture '" + a.name +
                       "' has a dense one (pe.sparse: false)");
  if (m != PeMode::Auto) return m;
  // A mapping with no mode of its own: the architecture's policy, else the PE's own kind.
  if (a.mapper_pe_mode == "dense" || !a.sparse) return PeMode::Dense;
  return PeMode::Sparse;
}

ArchConfig mode_arch(const ArchConfig& a, PeMode m) {
  ArchConfig r = a;
  r.sparse = resolve_pe_mode(a, m) == PeMode::Sparse;
  return r;
}

std::string LayerProgram::loop_nest(int pe_rows, int pe_cols, int clusters) const {
  const Layer& l = layer;
  const int mch = ceil_div(l.Mg(), map.M0), cch = ceil_div(l.Cg(), map.C0);
  const int fch = ceil_div(l.F(), map.F0), ebs = ceil_div(l.E(), pe_cols);
  const int vrows = map.vr * pe_rows;
  const int steps = passes.empty() ? 0 : passes.back().step + 1;
  std::ostringstream o;
  const std::string eb = " e-block<" + std::to_string(ebs), m1 = " m1<" + std::to_string(mch);
  o << "  level 3/2 (off-chip, GLB; temporal, " << to_string(map.order) << "): for n<" << l.N
    << " g<" << l.G << " f1<" << fch << (map.order == TaskOrder::WeightReuse ? m1 + eb : eb + m1)
    << "  -> " << (tasks.size() + pe_cols - 1) / pe_cols << " task groups of " << pe_cols
    << " row tasks\n";
  o << "                                       for reduction pass<"
    << ceil_div(static_cast<int>(items.size()), vrows)
    << "  (partial psums in the GLB psum bank)\n";
  o << "  level 1 (spatial, clusters): " << clusters / map.vr << " task groups in parallel"
    << (map.vr > 1 ? ", each psum chain spanning " + std::to_string(map.vr) + " clusters" : "")
    << "  -> " << steps << " steps\n";
  o << "  level 1 (spatial, PE array " << pe_rows << "x" << pe_cols
    << "): rows <- reduction items (c1<" << cch << " x r<" << l.R
    << "), columns <- row tasks (e within block, then m1, g, n)\n";
  o << "  level 0 (SPad): M0=" << map.M0 << " psums x C0=" << map.C0 << " channels x S=" << l.S
    << " weights; iact window " << window_segs << " segments of " << seg_cols << " x " << map.C0
    << "; F0=" << map.F0 << " positions per row task\n";
  return o.str();
}

std::string LayerProgram::describe() const {
  std::ostringstream o;
  o << "M0=" << map.M0 << " C0=" << map.C0 << " F0=" << map.F0 << " vr=" << map.vr << " "
    << to_string(map.pe_mode) << " " << to_string(map.order) << " tasks=" << tasks.size()
    << " items=" << items.size() << " passes=" << passes.size();
  return o.str();
}

LayerProgram map_layer(const Layer& l, const ArchConfig& arch, const Int8Tensor& w,
                       const ActTensor& x) {
  const int U = l.stride, S = l.S, Mg = l.Mg(), Cg = l.Cg();
  const int seg_cols = U <= S ? U : S;
  const int window_segs = U <= S ? ceil_div(S, U) : 1;
  auto fail = [&](const std::string& why) {
    throw MappingError("layer '" + l.name + "' does not fit the architecture '" + arch.name +
                       "': " + why);
  };
  const double dw = nonzero_fraction(w);
  const double di = nonzero_fraction(x.t);
  const int64_t bank = arch.psum_bank_entries();

  // A sparse PE can run a layer in either mode; both compete on the same estimate.
  std::vector<Candidate> cands;
  std::string sparse_misfit;  // why no sparse-mode tile size can exist, if so
  std::vector<PeMode> modes;
  if (arch.sparse && arch.mapper_pe_mode != "dense") modes.push_back(PeMode::Sparse);
  if (!arch.sparse || arch.mapper_pe_mode != "sparse") modes.push_back(PeMode::Dense);
  for (const PeMode mode : modes) {
    const ArchConfig a = mode_arch(arch, mode);
    // Between equal estimates the smaller encoding wins: raw where CSC would be larger.
    const double data_bits =
        a.sparse ? (x.t.size() * di + w.size() * dw) * double(a.iact_bits + a.count_bits)
                 : double(x.t.size() + w.size()) * a.iact_bits;
    if (a.sparse && window_segs > a.iact_addr.entries) {
      sparse_misfit = "its iact window spans " + std::to_string(window_segs) +
                      " segments (S=" + std::to_string(S) + ", stride " + std::to_string(U) +
                      ") but the iact address SPad has " + std::to_string(a.iact_addr.entries) +
                      " entries";
      continue;
    }
    if (a.sparse && S > a.weight_addr.entries) {
      sparse_misfit = "filter width S=" + std::to_string(S) + " needs " + std::to_string(S) +
                      " weight columns even with C0=1, but the weight address SPad has " +
                      std::to_string(a.weight_addr.entries) + " entries";
      continue;
    }
    const int max_m0 = std::min({Mg, a.psum.entries});
    const int max_c0 = std::min(Cg, a.sparse ? a.weight_addr.entries / S : Cg);
    for (int M0 = 1; M0 <= max_m0; ++M0) {
      if (M0 > bank) break;
      for (int C0 = 1; C0 <= max_c0; ++C0)
        for (int vr = 1; vr <= a.cluster_rows; ++vr) {
          if (a.cluster_rows % vr != 0) continue;
          // A chain over several clusters must finish the reduction in one pass.
          if (vr > 1 && ceil_div(Cg, C0) * l.R > vr * a.pe_rows) continue;
          // Cheap necessary conditions before the exact, data-dependent checks.
          if (!a.sparse && window_segs * seg_cols * C0 > a.iact_data.entries) continue;
          if (!a.sparse && C0 * S * ceil_div(M0, a.simd) > a.weight_data.entries) continue;
          const double exp_words =
              C0 * S * std::max(1.0, std::ceil(M0 * (a.sparse ? dw : 1.0) / a.simd));
          if (exp_words > a.weight_data.entries * 1.25) continue;
          if (a.sparse && window_segs * seg_cols * C0 * di > a.iact_data.entries * 1.25) continue;
          Candidate c;
          c.map = {M0, C0, static_cast<int>(std::min<int64_t>(l.F(), bank / M0)), vr};
          c.map.pe_mode = mode;
          c.data_bits = data_bits;
          const int mchunks = ceil_div(Mg, M0), cchunks = ceil_div(Cg, C0);
          const int fchunks = ceil_div(l.F(), c.map.F0);
          const int64_t tasks = int64_t(l.N) * l.G * mchunks * l.E() * fchunks;
          const int64_t groups = (tasks + a.pe_cols - 1) / a.pe_cols;
          // Spanning clusters vertically exists to put clusters to work that would otherwise
          // have no task group; with enough groups every cluster reduces on its own.
          if (vr > 1 && groups >= a.clusters()) continue;
          const int64_t red_groups = ceil_div(cchunks * l.R, vr * a.pe_rows);
          const int64_t spans = a.clusters() / vr;
          const int64_t waves = (groups + spans - 1) / spans;
          c.passes = waves * red_groups;
          // Per-position cost of the busiest stage: iact front end, weight words, psum link,
          // iact segment delivery (12-bit entries) through the cluster's iact routers.
          const double d_i = a.sparse ? di : 1.0, d_w = a.sparse ? dw : 1.0;
          const double fe = C0 * S * d_i;
          const double words = fe * std::max(1.0, std::ceil(M0 * d_w / a.simd));
          const double psum = std::ceil(M0 * double(a.psum_bits) / a.psum_link_bits);
          const double seg_bits =
              seg_cols * C0 * d_i * (a.iact_bits + (a.sparse ? a.count_bits : 0));
          const double streams = std::min(a.pes_per_cluster(), a.pe_cols * a.pe_rows);
          const double iact = streams * seg_bits / (a.iact_routers * a.iact_link_bits);
          // Each PE of a psum chain adds the incoming psums (psum SPad ports) and sends them on.
          const double chain = std::ceil(double(M0) / a.psum_spad_ports) + psum;
          double per_pos = std::max({fe, words, chain, iact, 1.0});
          if (2 * M0 > a.psum.entries) per_pos += a.pipeline_stages + psum;  // no double buffer
          const double wload = C0 * S * std::ceil(M0 * d_w / a.simd) * a.pe_cols;
          c.est = c.passes * (c.map.F0 * per_pos + wload + a.pipeline_stages * vr);
          cands.push_back(c);
        }
    }
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& p, const Candidate& q) {
    if (p.est != q.est) return p.est < q.est;
    if (p.data_bits != q.data_bits) return p.data_bits < q.data_bits;
    return p.passes < q.passes;
  });

  LayerProgram prog;
  bool found = false;
  std::string last_reason = "no candidate tile size passes the quick capacity checks";
  for (const Candidate& c : cands) {
    const std::string why = mapping_fit(l, arch, w, x, c.map);
    if (!why.empty()) {
      last_reason = why;
      continue;
    }
    prog = program_for(l, arch, w, x, c.map);
    prog.est_cycles = c.est;
    found = true;
    break;
  }
  if (!found) {
    if (!sparse_misfit.empty() && cands.empty()) fail(sparse_misfit);
    // Smallest tiles are the last resort; say why even they fail.
    const int win1 = max_window_entries(l, arch, x, 1, seg_cols, window_segs);
    if (win1 > arch.iact_data.entries)
      fail("even with C0=1 an iact window holds " + std::to_string(win1) +
           " entries, more than the " + std::to_string(arch.iact_data.entries) +
           "-entry iact data SPad");
    fail(last_reason);
  }
  prog.candidates = static_cast<int>(cands.size());
  return prog;
}

LayerProgram program_for(const Layer& l, const ArchConfig& arch, const Int8Tensor& w,
                         const ActTensor& x, const Mapping& m) {
  auto build = [&](TaskOrder o) {
    Mapping mo = m;
    mo.order = o;
    LayerProgram p = build_program(l, arch, mo);
    plan_program(p, arch, x);
    p.offchip_read_bits = offchip_read_bits(p, arch, w);  // counted once, reported later
    return p;
  };
  if (m.order != TaskOrder::Auto) return build(m.order);
  LayerProgram iact = build(TaskOrder::IactReuse);
  // Both orders give the same tasks when there is one output-row block or one channel chunk.
  if (ceil_div(l.E(), arch.pe_cols) <= 1 || ceil_div(l.Mg(), m.M0) <= 1) return iact;
  LayerProgram weight = build(TaskOrder::WeightReuse);
  // The cycle estimate does not tell the orders apart; the off-chip traffic does.
  return weight.offchip_read_bits < iact.offchip_read_bits ? weight : iact;
}

std::string mapping_fit(const Layer& l, const ArchConfig& arch, const Int8Tensor& w,
                        const ActTensor& x, const Mapping& m) {
  const ArchConfig a = mode_arch(arch, m.pe_mode);
  const int U = l.stride, S = l.S;
  const int seg_cols = U <= S ? U : S;
  const int window_segs = U <= S ? ceil_div(S, U) : 1;
  auto num = [](int64_t v) { return std::to_string(v); };
  if (m.M0 < 1 || m.C0 < 1 || m.F0 < 1 || m.vr < 1) return "M0, C0, F0 and vr must be >= 1";
  if (m.M0 > l.Mg())
    return "M0=" + num(m.M0) + " exceeds the output channels per group (" + num(l.Mg()) + ")";
  if (m.C0 > l.Cg())
    return "C0=" + num(m.C0) + " exceeds the input channels per group (" + num(l.Cg()) + ")";
  if (m.F0 > l.F()) return "F0=" + num(m.F0) + " exceeds the output width (" + num(l.F()) + ")";
  if (m.M0 > a.psum.entries)
    return "M0=" + num(m.M0) + " psums exceed the psum SPad (" + num(a.psum.entries) + " entries)";
  if (int64_t(m.M0) * m.F0 > a.psum_bank_entries())
    return "a psum row of M0 x F0 = " + num(int64_t(m.M0) * m.F0) +
           " psums exceeds a GLB psum bank (" + num(a.psum_bank_entries()) + " entries)";
  if (a.sparse && window_segs > a.iact_addr.entries)
    return "an iact window of " + num(window_segs) + " segments exceeds the iact address SPad (" +
           num(a.iact_addr.entries) + " entries)";
  if (a.sparse && m.C0 * S > a.weight_addr.entries)
    return "C0 x S = " + num(m.C0 * S) + " weight columns exceed the weight address SPad (" +
           num(a.weight_addr.entries) + " entries)";
  if (a.cluster_rows % m.vr != 0)
    return "vr=" + num(m.vr) + " does not divide the cluster array's " + num(a.cluster_rows) +
           " rows";
  if (m.vr > 1 && ceil_div(l.Cg(), m.C0) * l.R > m.vr * a.pe_rows)
    return "a psum chain over vr=" + num(m.vr) +
           " clusters must finish the reduction in one "
           "pass, but it has " +
           num(ceil_div(l.Cg(), m.C0) * l.R) + " reduction items for " + num(m.vr * a.pe_rows) +
           " PE rows";
  const int win = max_window_entries(l, a, x, m.C0, seg_cols, window_segs);
  if (win > a.iact_data.entries)
    return "with C0=" + num(m.C0) + " an iact window holds up to " + num(win) +
           " entries, the iact data SPad " + num(a.iact_data.entries);
  const int words = max_weight_words(l, a, w, m.M0, m.C0);
  if (words > a.weight_data.entries)
    return "with M0=" + num(m.M0) + ", C0=" + num(m.C0) + " a PE needs up to " + num(words) +
           " weight words, the weight data SPad has " + num(a.weight_data.entries);
  return "";
}

LayerProgram build_program(const Layer& l, const ArchConfig& arch, const Mapping& map) {
  const ArchConfig a = mode_arch(arch, map.pe_mode);
  const int U = l.stride, S = l.S, Mg = l.Mg(), Cg = l.Cg();
  LayerProgram prog;
  prog.layer = l;
  prog.map = map;
  prog.map.pe_mode = a.sparse ? PeMode::Sparse : PeMode::Dense;
  if (prog.map.order == TaskOrder::Auto) prog.map.order = TaskOrder::IactReuse;
  prog.seg_cols = U <= S ? U : S;
  prog.window_segs = U <= S ? ceil_div(S, U) : 1;
  // Row tasks: n, g, fi, e-block (PE columns), mi, e within block, so that consecutive task
  // groups share iact rows (reuse from the GLB) and a group shares weights across columns.
  const Mapping& m = prog.map;
  const int E = l.E(), F = l.F();
  const int ebs = ceil_div(E, a.pe_cols), mis = ceil_div(Mg, m.M0);
  const bool weight_reuse = prog.map.order == TaskOrder::WeightReuse;
  for (int n = 0; n < l.N; ++n)
    for (int g = 0; g < l.G; ++g)
      for (int fi = 0; fi < ceil_div(F, m.F0); ++fi)
        for (int outer = 0; outer < (weight_reuse ? mis : ebs); ++outer)
          for (int inner = 0; inner < (weight_reuse ? ebs : mis); ++inner) {
            const int eb = weight_reuse ? inner : outer, mi = weight_reuse ? outer : inner;
            for (int e = eb * a.pe_cols; e < std::min(E, (eb + 1) * a.pe_cols); ++e) {
              RowTask t;
              t.n = n, t.g = g, t.mi = mi, t.e = e, t.fi = fi;
              t.m_base = g * Mg + mi * m.M0;
              t.mc = std::min(m.M0, Mg - mi * m.M0);
              t.f0 = fi * m.F0;
              t.fc = std::min(m.F0, F - t.f0);
              prog.tasks.push_back(t);
            }
          }
  for (int ci = 0; ci < ceil_div(Cg, m.C0); ++ci)
    for (int r = 0; r < l.R; ++r)
      prog.items.push_back({ci, r, ci * m.C0, std::min(m.C0, Cg - ci * m.C0)});

  // Waves: each cluster takes one task group; a wave runs every reduction group as one step
  // per group. Clusters are filled column-major, so consecutive task groups (other output
  // channels, same iact rows) sit down a cluster column and share iacts over vertical links,
  // while a cluster row tends to hold the same output channels and can share weights over the
  // horizontal links.
  const int ntasks = static_cast<int>(prog.tasks.size());
  const int nitems = static_cast<int>(prog.items.size());
  const int ngroups = (ntasks + a.pe_cols - 1) / a.pe_cols;
  const int vr = m.vr, span_rows = a.cluster_rows / vr, V = span_rows * a.cluster_cols;
  const int vrows = vr * a.pe_rows;  // PE rows one psum chain crosses
  int step = 0;
  for (int w0 = 0; w0 < ngroups; w0 += V) {
    for (int i0 = 0; i0 < nitems; i0 += vrows, ++step) {
      for (int v = 0; v < V && w0 + v < ngroups; ++v) {
        const int t0 = (w0 + v) * a.pe_cols;
        Pass p;
        p.step = step;
        // Iact reuse fills cluster columns (iacts travel N/S), weight reuse cluster rows
        // (weights travel W/E only), so a step's neighbours share what the order shares.
        const int span = weight_reuse ? v / a.cluster_cols : v % span_rows;
        const int col = weight_reuse ? v % a.cluster_cols : v / span_rows;
        p.cluster = span * vr * a.cluster_cols + col;
        p.col_task.assign(a.pe_cols, -1);
        p.row_item.assign(vrows, -1);
        for (int j = 0; j < a.pe_cols && t0 + j < ntasks; ++j) p.col_task[j] = t0 + j;
        for (int i = 0; i < vrows && i0 + i < nitems; ++i) p.row_item[i] = i0 + i;
        p.first = i0 == 0;
        p.last = i0 + vrows >= nitems;
        prog.passes.push_back(std::move(p));
      }
    }
  }
  return prog;
}

}  // namespace eyeriss
