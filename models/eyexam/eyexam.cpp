#include "models/eyexam/eyexam.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <vector>

namespace eyeriss {

const std::array<const char*, EyexamResult::kSteps>& EyexamResult::step_names() {
  static const std::array<const char*, kSteps> n = {
      "layer size and shape", "dataflow",  "number of PEs", "physical dimensions",
      "storage capacity",     "bandwidth", "measured"};
  return n;
}

namespace {

uint64_t get(const std::map<std::string, uint64_t>& c, const std::string& k) {
  auto it = c.find(k);
  return it == c.end() ? 0 : it->second;
}

std::string fmt(double v) {
  std::ostringstream o;
  o.precision(4);
  o << v;
  return o.str();
}

}  // namespace

EyexamResult eyexam(const LayerProgram& prog, const ArchConfig& a, uint64_t effective_macs,
                    const std::map<std::string, uint64_t>& c, uint64_t cycles) {
  EyexamResult r;
  const Layer& l = prog.layer;
  const double W = static_cast<double>(effective_macs);
  const double simd = a.simd;
  const double pes = double(a.clusters()) * a.pes_per_cluster();
  auto step = [&](int k, double own, std::string why) {
    const double prev = k == 0 ? std::numeric_limits<double>::infinity() : r.bound[k - 1];
    r.bound[k] = std::min(prev, own);
    r.why[k] = own < prev ? std::move(why) : "not limiting (" + why + ")";
  };

  // 1. Layer size and shape: every MAC in parallel.
  step(0, W, "all " + fmt(W) + " effective MACs in one cycle");

  // 2. Dataflow (RS+): a PE runs one 1-D primitive (an output row over one filter row and one
  // input channel, S x F MACs in sequence); primitives are N x G x M/G x C/G x R x E.
  const double prims = double(l.N) * l.G * l.Mg() * l.Cg() * l.R * l.E();
  step(1, simd * prims, fmt(prims) + " RS+ primitives at " + fmt(simd) + " MACs/cycle each");

  // 3. Number of PEs.
  step(2, simd * pes, fmt(pes) + " PEs x SIMD " + fmt(simd));

  // 4. Physical dimensions: the mapping puts reduction items on PE rows, row tasks on PE
  // columns and task groups on clusters; the array's shape leaves PE slots empty when the
  // counts do not divide (fraction of PE slots filled, averaged over steps).
  double used = 0;
  int steps = 0;
  for (std::size_t i = 0; i < prog.passes.size(); ++i) {
    const Pass& p = prog.passes[i];
    if (i == 0 || p.step != prog.passes[i - 1].step) ++steps;
    int rows = 0, cols = 0;
    for (int it : p.row_item) rows += it >= 0;
    for (int t : p.col_task) cols += t >= 0;
    used += double(rows) * cols;
  }
  const double fill = steps ? used / (double(steps) * pes) : 0;
  step(3, simd * pes * fill,
       "the mapping fills " + fmt(100 * fill) + " % of the PE slots over " + std::to_string(steps) +
           " steps");

  // 5. Storage capacity: SPad sizes fix the tiles (M0 psums, C0 x S weight columns), and a
  // weight column occupies whole SIMD words, so lanes go idle; explicit zeros and gated MACs
  // take lanes too. True bound: cycles >= MAC slots / (SIMD x PEs).
  const double slots = double(get(c, "pe.mac_slots"));
  if (slots > 0)
    step(4, simd * pes * W / slots,
         "effective MACs fill " + fmt(100 * W / slots) + " % of the SIMD lanes the tiles use");
  else
    step(4, r.bound[3], "no MAC issued");

  // 6. Bandwidth (roofline): per level, aggregate bits/cycle x effective MACs per bit.
  struct Level {
    const char* name;
    double capacity;  // bits per cycle, whole chip
    double bits;
  };
  const double cl = a.clusters(), rows = a.cluster_rows, cols = a.cluster_cols;
  const double iact_mesh_links = 2 * (rows - 1) * cols + 2 * rows * (cols - 1);
  const double offchip_bpc = a.offchip_bytes_per_cycle * 8;
  const std::vector<Level> levels = {
      {"off-chip", offchip_bpc > 0 ? offchip_bpc : std::numeric_limits<double>::infinity(),
       double(get(c, "offchip.iact_bits") + get(c, "offchip.weight_bits") +
              get(c, "offchip.oact_bits"))},
      {"GLB iact ports", cl * a.glb_iact_banks * a.glb_iact_port_bits,
       double(get(c, "glb.iact.port_bits"))},
      {"GLB psum ports", cl * a.glb_psum_banks * a.glb_psum_port_bits,
       double(get(c, "glb.psum.port_bits"))},
      {"iact router-to-PE links", cl * a.iact_routers * a.iact_link_bits,
       double(get(c, "noc.iact.local_bits"))},
      {"weight router-to-PE links", cl * a.weight_routers * a.weight_link_bits,
       double(get(c, "noc.weight.local_bits"))},
      {"psum router-to-PE links", cl * a.psum_routers * a.psum_link_bits,
       double(get(c, "noc.psum.local_bits"))},
      {"iact mesh links", iact_mesh_links * a.iact_routers * a.iact_link_bits,
       double(get(c, "noc.iact.mesh_bits"))},
      {"weight mesh links", 2 * rows * (cols - 1) * a.weight_routers * a.weight_link_bits,
       double(get(c, "noc.weight.mesh_bits"))},
      {"psum mesh links", (rows - 1) * cols * a.psum_routers * a.psum_link_bits,
       double(get(c, "noc.psum.mesh_bits"))},
  };
  double bw = std::numeric_limits<double>::infinity();
  std::string bw_why = "no traffic";
  for (const Level& lv : levels) {
    if (lv.bits <= 0 || lv.capacity <= 0) continue;
    const double b = lv.capacity * W / lv.bits;
    if (b < bw) {
      bw = b;
      bw_why = std::string(lv.name) + ": " + fmt(lv.capacity) + " bits/cycle x " +
               fmt(W / lv.bits) + " MACs/bit";
    }
  }
  step(5, bw, bw_why);

  // 7. Measured: varying access patterns, stalls and imbalance (busiest PE).
  const double measured = cycles ? W / double(cycles) : 0;
  r.bound[6] = measured;
  r.why[6] = "simulated: " + fmt(W) + " MACs in " + std::to_string(cycles) + " cycles";
  if (measured > r.bound[5] * (1 + 1e-9))
    r.why[6] += " (exceeds step 6: a bound's assumption does not hold for this layer)";
  return r;
}

}  // namespace eyeriss
