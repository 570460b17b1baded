#include "testbench/simulator.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <regex>
#include <sstream>
#include <systemc>
#include <thread>

#include "models/common/error.h"
#include "models/common/npy.h"
#include "models/common/trace.h"
#include "models/energy/energy_model.h"
#include "models/eyexam/eyexam.h"
#include "models/mapper/mapper.h"
#include "models/top/top.h"
#include "noc/clock.h"
#include "noc/link.h"
#include "noc/progress.h"
#include "pe/rtl_check.h"
#include "pe/rtl_pe.h"
#include "testbench/datagen.h"
#include "testbench/golden.h"
#include "testbench/host_platform.h"
#include "testbench/layer_report_json.h"
#include "testbench/layers_csv.h"
#include "testbench/run_log.h"
#include "testbench/worker_pool.h"

namespace eyeriss {

namespace {

double g_memory_limit = 0;  // 0: the default, a fraction of the machine's memory
uint64_t g_watchdog_cycles = 10'000'000;

}  // namespace

uint64_t watchdog_cycles() { return g_watchdog_cycles; }
void set_watchdog_cycles(uint64_t c) { g_watchdog_cycles = c; }

// The default is 80 % of the machine's physical memory: a run that needs more would swap or be
// killed by the kernel half-way, leaving nothing useful.
double memory_limit_bytes() {
  if (g_memory_limit > 0) return g_memory_limit;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? 0.8 * double(pages) * double(page) : 16e9;
}

void set_memory_limit(double bytes) { g_memory_limit = bytes; }

namespace {

namespace fs = std::filesystem;

struct PreparedLayer {
  LayerSpec spec;
  int index = 0;
  Int8Tensor weights;
  ActTensor iacts;
  Int32Tensor golden_psums;
  Uint8Tensor golden_oacts;
  Uint8Tensor output;  // what later layers read: oacts + residual, pooled (if any reads it)
  int64_t golden_nonzero_macs = 0;
  bool simulate = false;
  // Mapped view (FC as a 1 x 1 convolution) and its program.
  Int8Tensor mweights;
  ActTensor miacts;
  LayerProgram prog;
  LayerData data;  // psums and oacts as read back from the chip's DRAM
  LayerJob job;    // start and end cycles of the layer on the chip
};

// MACs whose iact and weight are both nonzero, counted from the tensors: for each (g, c, r, s)
// the number of output positions whose iact under that tap is nonzero, times the nonzero
// weights of the group's output channels at that tap. Independent of the PE's counting.
int64_t count_nonzero_macs(const Layer& l, const ActTensor& x, const Int8Tensor& w) {
  const int Cg = l.Cg(), Mg = l.Mg(), E = l.E(), F = l.F(), U = l.stride;
  int64_t total = 0;
  for (int g = 0; g < l.G; ++g)
    for (int c = 0; c < Cg; ++c)
      for (int r = 0; r < l.R; ++r)
        for (int s = 0; s < l.S; ++s) {
          int64_t nzw = 0;
          for (int m = 0; m < Mg; ++m) nzw += w.at(g * Mg + m, c, r, s) != 0;
          if (!nzw) continue;
          int64_t cnt = 0;
          for (int n = 0; n < l.N; ++n)
            for (int e = 0; e < E; ++e) {
              const int h = e * U + r - l.pad;
              if (h < 0 || h >= l.H) continue;
              for (int f = 0; f < F; ++f) {
                const int xx = f * U + s - l.pad;
                if (xx >= 0 && xx < l.W) cnt += x.t.at(n, g * Cg + c, h, xx) != 0;
              }
            }
          total += cnt * nzw;
        }
  return total;
}

template <typename T>
Tensor<T> reshaped(const Tensor<T>& t, std::vector<int> shape) {
  Tensor<T> r(std::move(shape));
  if (r.size() != t.size()) throw std::logic_error("reshape: size mismatch");
  r.values() = t.values();
  return r;
}

// Maps one prepared layer (the pinned mapping if the workload gives one); returns seconds taken.
double map_prepared(PreparedLayer& p, const ArchConfig& arch, const Workload& wl) {
  const auto t0 = std::chrono::steady_clock::now();
  const Layer ml = mapped_view(p.spec.layer);
  try {
    try {
      resolve_pe_mode(arch, p.spec.pe_mode);  // sparse on a dense PE: a mapping error
    } catch (const MappingError& e) {
      throw MappingError("layer '" + p.spec.layer.name + "': " + e.what());
    }
    if (p.spec.pinned) {
      Mapping pin = *p.spec.pinned;
      if (pin.F0 == 0)
        pin.F0 = static_cast<int>(std::min<int64_t>(ml.F(), arch.psum_bank_entries() / pin.M0));
      const std::string why = mapping_fit(ml, arch, p.mweights, p.miacts, pin);
      if (!why.empty())
        throw MappingError("layer '" + p.spec.layer.name +
                           "': the pinned mapping does not fit: " + why);
      p.prog = program_for(ml, arch, p.mweights, p.miacts, pin);
    } else {
      ArchConfig a = arch;  // a layer's pinned PE mode overrides the architecture's policy
      if (p.spec.pe_mode != PeMode::Auto) a.mapper_pe_mode = to_string(p.spec.pe_mode);
      p.prog = map_layer(ml, a, p.mweights, p.miacts);
    }
  } catch (const MappingError& e) {
    throw MappingError(wl.source + ": " + e.what() + " (architecture file " + arch.source + ")");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Maps layers on a second thread while the caller prepares the next layers' data (the golden
// chain is sequential; each layer's mapping only needs its own tensors). Errors come out as a
// sequential run would give them: the first layer's, in layer order.
class MappingPipeline {
 public:
  MappingPipeline(std::vector<PreparedLayer>& layers, const ArchConfig& arch, const Workload& wl)
      : layers_(layers), arch_(arch), wl_(wl), errors_(layers.size()), seconds_(layers.size()) {
    worker_ = std::thread([this] { work(); });
  }
  ~MappingPipeline() { join(); }
  void add(std::size_t i) {
    {
      std::lock_guard<std::mutex> g(m_);
      queue_.push_back(i);
    }
    cv_.notify_one();
  }
  // Waits for every queued layer; rethrows the first mapping error of a layer before `limit`.
  void finish(std::size_t limit = SIZE_MAX) {
    join();
    for (std::size_t i = 0; i < errors_.size() && i < limit; ++i)
      if (errors_[i]) std::rethrow_exception(errors_[i]);
  }
  double seconds(std::size_t i) const { return seconds_[i]; }

 private:
  void join() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> g(m_);
      done_ = true;
    }
    cv_.notify_one();
    worker_.join();
  }
  void work() {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> g(m_);
        cv_.wait(g, [this] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        i = queue_.front();
        queue_.pop_front();
      }
      try {
        seconds_[i] = map_prepared(layers_[i], arch_, wl_);
      } catch (...) {
        errors_[i] = std::current_exception();
      }
    }
  }
  std::vector<PreparedLayer>& layers_;
  const ArchConfig& arch_;
  const Workload& wl_;
  std::vector<std::exception_ptr> errors_;
  std::vector<double> seconds_;
  std::deque<std::size_t> queue_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread worker_;
};

// Bytes a run will hold, estimated before anything is allocated: per layer the input, weight,
// psum and output tensors (the testbench keeps every layer's, and the chip's own copy of the
// outputs), the CSC copies of iacts and weights the off-chip memory holds, and the model's
// state per PE (about 32 KB, measured on the 16,384-PE chip). Generous on purpose: it refuses
// what cannot fit, it does not predict the peak.
double estimated_bytes(const ArchConfig& arch, const Workload& wl, int workers) {
  // One chip per process (`--jobs`); the tensors are shared with the workers until written.
  double b =
      std::max(workers, 1) * (64e6 + 32e3 * double(arch.clusters()) * arch.pes_per_cluster());
  double largest = 0;  // the DRAM image and the chip's copies of one layer (HostPlatform)
  for (const LayerSpec& s : wl.layers) {
    const Layer& l = s.layer;
    const double iacts = double(l.N) * l.C * l.H * l.W;
    const double weights = double(l.M) * l.Cg() * l.R * l.S;
    const double outs = double(l.N) * l.M * std::max(l.E(), 0) * std::max(l.F(), 0);
    b += iacts * (2 + 4) + weights * (1 + 4) + outs * (4 + 1) * 2 + outs;  // + graph output
    largest = std::max(largest, iacts * (1 + 2) + weights * (1 + 1) + outs * (4 + 1));
  }
  return b + std::max(workers, 1) * largest;
}

std::vector<PreparedLayer> prepare(const ArchConfig& arch, const Workload& wl,
                                   const std::vector<std::string>& only, bool progress,
                                   bool map = true, int workers = 1) {
  const double need = estimated_bytes(arch, wl, workers), limit = memory_limit_bytes();
  if (need > limit) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  ": the run would need about %.3g GB (tensors of every layer and the model's "
                  "state), more than the limit of %.3g GB (--max-memory)",
                  need / 1e9, limit / 1e9);
    throw InputError(wl.source + buf);
  }
  std::vector<PreparedLayer> out(wl.layers.size());
  int last = -1;
  for (const auto& name : only) {
    auto it = std::find_if(wl.layers.begin(), wl.layers.end(),
                           [&](const LayerSpec& s) { return s.layer.name == name; });
    if (it == wl.layers.end())
      throw InputError(wl.source + ": --layers names '" + name + "', which is not a layer");
    const int idx = static_cast<int>(it - wl.layers.begin());
    out[idx].simulate = true;
    last = std::max(last, idx);
  }
  if (only.empty()) {
    for (auto& p : out) p.simulate = true;
    last = static_cast<int>(wl.layers.size()) - 1;
  }
  out.resize(last + 1);  // not resized again: the mapping thread holds references into it
  // Layers whose output a later layer reads (as an input or a residual): only those keep it.
  std::vector<bool> read(out.size(), false);
  for (int i = 0; i <= last; ++i) {
    for (const int j : wl.layers[i].inputs) read[j] = true;
    if (wl.layers[i].residual >= 0) read[wl.layers[i].residual] = true;
  }
  std::optional<MappingPipeline> mapping;
  if (map) mapping.emplace(out, arch, wl);
  int i = 0;
  try {
    for (; i <= last; ++i) {
      PreparedLayer& p = out[i];
      p.spec = wl.layers[i];
      p.index = i;
      const Layer& l = p.spec.layer;
      const std::string what = "layer '" + l.name + "'";
      if (!p.spec.weights_path.empty())
        p.weights = load_npy_int8(p.spec.weights_path, {l.M, l.Cg(), l.R, l.S}, what + " weights");
      else
        p.weights = generate_weights(l, p.spec.weight_density, p.spec.weight_min, p.spec.weight_max,
                                     derive_seed(wl.seed, i, kWeightStream));
      if (!p.spec.iacts_path.empty()) {
        p.iacts = load_npy_acts(p.spec.iacts_path, {l.N, l.C, l.H, l.W}, what + " iacts");
      } else if (!p.spec.inputs.empty()) {
        // The graph on the host: the input layers' outputs concatenated, then input_pool.
        std::vector<const Uint8Tensor*> parts;
        for (const int j : p.spec.inputs) parts.push_back(&out[j].output);
        const Uint8Tensor x = golden::pool(golden::concat_channels(parts), p.spec.input_pool);
        if (x.shape() != std::vector<int>{l.N, l.C, l.H, l.W})
          throw InputError(wl.source + ": " + what + " expects iacts " +
                           shape_str({l.N, l.C, l.H, l.W}) + " but its inputs give " +
                           shape_str(x.shape()));
        p.iacts.is_signed = false;
        p.iacts.t = Tensor<int16_t>(x.shape());
        std::copy(x.values().begin(), x.values().end(), p.iacts.t.values().begin());
      } else {
        p.iacts = generate_iacts({l.N, l.C, l.H, l.W}, p.spec.iact_density, p.spec.signed_iacts,
                                 derive_seed(wl.seed, i, kIactStream));
      }
      p.golden_psums = golden::conv(l, p.iacts, p.weights, arch.psum_bits);
      p.golden_oacts = golden::requantize(p.golden_psums, l.shift);
      if (read[i]) {
        p.output = golden::pool(
            p.spec.residual >= 0 ? golden::add_saturate(p.golden_oacts, out[p.spec.residual].output)
                                 : p.golden_oacts,
            l.pool);
      }
      if (!p.simulate) continue;  // only feeds the next layer (inspect simulates every layer)
      p.golden_nonzero_macs = count_nonzero_macs(l, p.iacts, p.weights);
      // The chip's view: FC layers as 1 x 1 convolutions over C*H*W channels.
      const Layer ml = mapped_view(l);
      p.mweights = reshaped(p.weights, {ml.M, ml.Cg(), ml.R, ml.S});
      p.miacts.is_signed = p.iacts.is_signed;
      p.miacts.t = reshaped(p.iacts.t, {ml.N, ml.C, ml.H, ml.W});
      if (mapping) mapping->add(i);
    }
  } catch (...) {
    // A layer mapped before this one may have failed first.
    if (mapping) mapping->finish(i);
    throw;
  }
  if (mapping) {
    mapping->finish();
    if (progress)
      for (const PreparedLayer& p : out)
        if (p.simulate)
          run_log(sc_core::SC_HIGH, "mapped layer '" + p.spec.layer.name +
                                        "': " + p.prog.describe() + " (" +
                                        std::to_string(mapping->seconds(p.index)) + " s)");
  }
  return out;
}

LayerReport make_report(const ArchConfig& arch, const PreparedLayer& p, const ChipCounters& now,
                        const ChipCounters& before) {
  LayerReport r;
  const Layer& l = p.spec.layer;
  r.name = l.name;
  r.type = (l.type == LayerType::Conv && l.R == 1 && l.S == 1) ? "pointwise" : to_string(l.type);
  if (l.type == LayerType::Conv && l.G > 1) r.type = "grouped";
  r.mapping = p.prog.describe();
  r.map = p.prog.map;
  r.pinned = p.spec.pinned.has_value();
  r.passes = p.prog.passes.size();
  r.steps = p.prog.passes.empty() ? 0 : p.prog.passes.back().step + 1;
  r.candidates = p.prog.candidates;
  r.est_cycles = p.prog.est_cycles;
  r.planned_offchip_read_bits = p.prog.offchip_read_bits;
  r.loop_nest = p.prog.loop_nest(arch.pe_rows, arch.pe_cols, arch.clusters());
  r.cycles = p.job.end - p.job.start;
  r.macs = l.macs();
  r.golden_nonzero_macs = p.golden_nonzero_macs;
  {
    auto least = [&](std::size_t values, std::size_t nonzeros, int bits) {
      const uint64_t raw = uint64_t(values) * bits;
      const uint64_t csc = uint64_t(nonzeros) * (bits + arch.count_bits);
      return arch.sparse ? std::min(raw, csc) : raw;
    };
    std::size_t nz_i = 0, nz_w = 0;
    for (const int16_t v : p.miacts.t.values()) nz_i += v != 0;
    for (const int8_t v : p.mweights.values()) nz_w += v != 0;
    r.offchip_min_iact_bits = least(p.miacts.t.size(), nz_i, arch.iact_bits);
    r.offchip_min_weight_bits = least(p.mweights.size(), nz_w, arch.weight_bits);
    r.offchip_min_oact_bits = uint64_t(l.N) * l.M * l.E() * l.F() * 8;
  }
  r.total_pes = static_cast<int>(now.pe.size());
  r.busy_min = UINT64_MAX;
  double busy_sum = 0;
  for (std::size_t i = 0; i < now.pe.size(); ++i) {
    const PeStats d = now.pe[i].since(before.pe[i]);
    r.nonzero_macs += d.nonzero_macs;
    r.macs_performed += d.macs;
    r.mac_slots += d.mac_slots;
    if (d.positions > 0) ++r.active_pes;
    r.pe_busy.push_back(d.busy_cycles);
    r.busy_min = std::min<uint64_t>(r.busy_min, d.busy_cycles);
    r.busy_max = std::max<uint64_t>(r.busy_max, d.busy_cycles);
    busy_sum += d.busy_cycles;
  }
  r.busy_mean = now.pe.empty() ? 0 : busy_sum / now.pe.size();
  r.utilization =
      r.cycles ? double(r.macs_performed) / (double(r.cycles) * r.total_pes * arch.simd) : 0;
  auto diff_links = [](const std::vector<std::vector<uint64_t>>& a,
                       const std::vector<std::vector<uint64_t>>& b) {
    std::vector<std::vector<uint64_t>> d = a;
    for (std::size_t i = 0; i < d.size() && i < b.size(); ++i)
      for (std::size_t k = 0; k < d[i].size(); ++k) d[i][k] -= b[i][k];
    return d;
  };
  r.link_iact = diff_links(now.link_iact, before.link_iact);
  r.link_weight = diff_links(now.link_weight, before.link_weight);
  r.link_psum = diff_links(now.link_psum, before.link_psum);
  for (const auto& [name, v] : now.c) {
    auto it = before.c.find(name);
    r.counters[name] = v - (it == before.c.end() ? 0 : it->second);
  }
  // Every PE and cluster is clocked and leaks for the whole layer (no clock gating of idle
  // blocks: the facts name none), and the controller loads the layer's command once.
  r.counters["chip.cycles"] = r.cycles;
  r.counters["chip.pe_cycles"] = r.cycles * uint64_t(r.total_pes);
  r.counters["chip.cluster_cycles"] = r.cycles * uint64_t(arch.clusters());
  r.counters["control.config_bits"] = uint64_t(arch.layer_command_bits());
  const EyexamResult ex =
      eyexam(p.prog, arch, static_cast<uint64_t>(p.golden_nonzero_macs), r.counters, r.cycles);
  r.eyexam = ex.bound;
  r.eyexam_why = ex.why;
  const NocProgram& noc = p.prog.noc;
  r.iact_streams_stored = noc.streams_stored;
  r.iact_streams_reused = noc.streams_reused;
  r.iact_streams_passed = noc.streams_passed;
  r.iact_mode = noc.iact.mode;
  r.weight_mode = noc.weight.mode;
  r.iact_pattern = noc.iact.pattern;
  r.weight_pattern = noc.weight.pattern;
  return r;
}

void check_layer(const PreparedLayer& p, LayerReport& r) {
  // The chip's outputs are [N][M][E][F] in the mapped view; FC is [N][M][1][1] either way.
  // (An output the chip never wrote ends the layer in the chip's error status: exit 3.)
  std::string mm;
  {
    const std::string a = golden::first_mismatch(p.data.psums, p.golden_psums);
    if (!a.empty()) mm = "psum " + a;
  }
  if (mm.empty()) {
    const std::string b = golden::first_mismatch(p.data.oacts, p.golden_oacts);
    if (!b.empty()) mm = "oact " + b;
  }
  if (mm.empty() && int64_t(r.nonzero_macs) != r.golden_nonzero_macs)
    mm = "the PEs counted " + std::to_string(r.nonzero_macs) + " nonzero MACs, the tensors hold " +
         std::to_string(r.golden_nonzero_macs);
  r.bit_exact = mm.empty();
  r.mismatch = mm;
}

// The RTL PEs' lockstep cross-check of the layer just finished: a psum that differs from the
// C++ PE model's fails the layer; a cycle count that differs is reported (and fails the layer
// with rtl.strict_cycles / --strict-cycles).
void check_rtl(const ArchConfig& arch, LayerReport& r) {
  RtlCheck& k = RtlCheck::get();
  r.rtl_pes = k.pes;
  if (k.pes == 0) return;
  r.rtl_positions = k.positions;
  r.rtl_rows = k.rows;
  r.rtl_cycle_divergences = k.cycle_divergences;
  r.rtl_first_cycle_divergence = k.first_cycle_divergence;
  if (r.bit_exact && !k.first_data_divergence.empty()) {
    r.bit_exact = false;
    r.mismatch = "RTL PE psums differ from the C++ PE model: " + k.first_data_divergence;
  } else if (r.bit_exact && arch.rtl_strict_cycles && k.cycle_divergences > 0) {
    r.bit_exact = false;
    r.mismatch =
        "RTL PE cycles differ from the C++ PE model (strict): " + k.first_cycle_divergence + " (" +
        std::to_string(k.cycle_divergences) + " positions)";
  }
  k.new_layer();
}

nlohmann::json to_json(const RunResult& res, const ArchConfig& arch, const Workload& wl,
                       bool whole_network, const RunMeta& meta) {
  nlohmann::json j;
  j["run"] = {{"simulator_version", meta.version},
              {"command_line", meta.command_line},
              {"workload", {{"name", wl.name}, {"path", wl.source}}},
              {"arch", {{"name", arch.name}, {"path", arch.source}}},
              {"overrides", arch.overrides}};
  j["arch"] = {{"name", arch.name},
               {"source", arch.source},
               {"overrides", arch.overrides},
               {"cluster_rows", arch.cluster_rows},
               {"cluster_cols", arch.cluster_cols},
               {"pe_rows", arch.pe_rows},
               {"pe_cols", arch.pe_cols},
               {"simd", arch.simd},
               {"clock_hz", arch.clock_hz},
               {"sparse", arch.sparse},
               {"offchip_bytes_per_cycle", arch.offchip_bytes_per_cycle},
               {"glb_iact_banks", arch.glb_iact_banks},
               {"glb_iact_port_bits", arch.glb_iact_port_bits},
               {"glb_psum_banks", arch.glb_psum_banks},
               {"glb_psum_port_bits", arch.glb_psum_port_bits},
               {"iact_routers", arch.iact_routers},
               {"weight_routers", arch.weight_routers},
               {"psum_routers", arch.psum_routers},
               {"iact_link_bits", arch.iact_link_bits},
               {"weight_link_bits", arch.weight_link_bits},
               {"psum_link_bits", arch.psum_link_bits}};
  j["clock_hz"] = res.clock_hz;
  j["total_cycles"] = res.total_cycles;
  if (whole_network && res.total_cycles)
    j["inferences_per_second"] = res.clock_hz / double(res.total_cycles);
  j["bit_exact"] = res.all_exact();
  j["eyexam_steps"] = EyexamResult::step_names();
  j["eyexam_units"] = "effective MACs (weight and iact nonzero) per cycle";
  for (const LayerReport& r : res.layers) {
    nlohmann::json L;
    L["name"] = r.name;
    L["type"] = r.type;
    L["cycles"] = r.cycles;
    L["macs"] = r.macs;
    L["nonzero_macs"] = r.nonzero_macs;
    L["macs_performed"] = r.macs_performed;
    L["bit_exact"] = r.bit_exact;
    if (!r.bit_exact) L["mismatch"] = r.mismatch;
    if (r.rtl_pes > 0)
      L["rtl"] = {{"pes", r.rtl_pes},
                  {"positions_compared", r.rtl_positions},
                  {"rows_compared", r.rtl_rows},
                  {"cycle_divergences", r.rtl_cycle_divergences},
                  {"first_cycle_divergence", r.rtl_first_cycle_divergence}};
    L["mapping"] = {{"M0", r.map.M0},
                    {"C0", r.map.C0},
                    {"F0", r.map.F0},
                    {"vr", r.map.vr},
                    {"pe_mode", to_string(r.map.pe_mode)},
                    {"order", to_string(r.map.order)},
                    {"offchip_read_bits", r.planned_offchip_read_bits},
                    {"passes", r.passes},
                    {"steps", r.steps},
                    {"pinned", r.pinned},
                    {"candidates", r.candidates},
                    {"estimate_cycles", r.est_cycles}};
    L["noc"] = {{"iact", {{"pattern", r.iact_pattern}, {"router_mode", r.iact_mode}}},
                {"weight", {{"pattern", r.weight_pattern}, {"router_mode", r.weight_mode}}}};
    L["active_pes"] = r.active_pes;
    L["total_pes"] = r.total_pes;
    L["utilization"] = r.utilization;
    L["pe_busy_cycles"] = {{"min", r.busy_min}, {"mean", r.busy_mean}, {"max", r.busy_max}};
    L["pe_busy"] = r.pe_busy;
    L["eyexam"] = r.eyexam;
    L["eyexam_why"] = r.eyexam_why;
    L["link_bits"] = {{"iact", r.link_iact}, {"weight", r.link_weight}, {"psum", r.link_psum}};
    // Counters nested by their dotted names: traffic per level and data type, SPad accesses.
    nlohmann::json counters;
    for (const auto& [name, v] : r.counters)
      counters[nlohmann::json::json_pointer("/" +
                                            std::regex_replace(name, std::regex("\\."), "/"))] = v;
    L["counters"] = counters;
    L["offchip_min_bits"] = {{"iact", r.offchip_min_iact_bits},
                             {"weight", r.offchip_min_weight_bits},
                             {"oact", r.offchip_min_oact_bits}};
    L["iact_streams"] = {{"stored", r.iact_streams_stored},
                         {"reused", r.iact_streams_reused},
                         {"passed", r.iact_streams_passed}};
    j["layers"].push_back(L);
  }
  return j;
}

// Files a run writes into --out; any left from an earlier run that this one does not write are
// removed, so the folder holds one run's outputs only.
bool is_run_output(const std::string& n) {
  auto ends = [&](const char* s) {
    const std::size_t k = std::strlen(s);
    return n.size() > k && n.compare(n.size() - k, k, s) == 0;
  };
  return n == "stats.json" || n == "layers.csv" || n == "trace.json" || ends(".psum.npy") ||
         ends(".oact.npy");
}

// Writes every file into a staging folder first, then moves them into place: the outputs are
// complete or absent.
void write_outputs(const std::string& dir, const std::vector<PreparedLayer>& layers,
                   const nlohmann::json& stats, bool tensors, bool trace_here) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError("--out '" + dir + "': cannot create the folder: " + ec.message());
  const fs::path stage = fs::path(dir) / (".staging-" + std::to_string(::getpid()));
  fs::remove_all(stage, ec);
  fs::create_directories(stage, ec);
  if (ec) throw InputError("--out '" + dir + "': cannot write there: " + ec.message());
  std::vector<std::string> names;
  try {
    for (const PreparedLayer& p : layers) {
      if (!p.simulate || !tensors) continue;
      const std::string base = p.spec.layer.name;
      save_npy((stage / (base + ".psum.npy")).string(), p.data.psums);
      save_npy((stage / (base + ".oact.npy")).string(), p.data.oacts);
      names.push_back(base + ".psum.npy");
      names.push_back(base + ".oact.npy");
    }
    {
      std::ofstream csv(stage / "layers.csv");
      csv << layers_csv(stats);
      if (!csv) throw InputError("--out '" + dir + "': cannot write layers.csv");
    }
    names.push_back("layers.csv");
    std::ofstream js(stage / "stats.json");
    js << stats.dump(2) << "\n";
    if (!js) throw InputError("--out '" + dir + "': cannot write stats.json");
    js.close();
    names.push_back("stats.json");
    for (const auto& n : names) {
      fs::rename(stage / n, fs::path(dir) / n, ec);
      if (ec) throw InputError("--out '" + dir + "': cannot move " + n + ": " + ec.message());
    }
  } catch (...) {
    fs::remove_all(stage, ec);
    throw;
  }
  fs::remove_all(stage, ec);
  if (trace_here) names.push_back("trace.json");  // written next, after the simulation
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (is_run_output(n) && std::find(names.begin(), names.end(), n) == names.end())
      stale.push_back(it->path());
  }
  for (const fs::path& f : stale) fs::remove(f, ec);
}

// Simulates `jobs` in order on one chip: one SystemC elaboration, so once per process. Fills
// each job's output tensors (in the golden reference's shape) and returns its report, checked.
// `who` prefixes progress lines ("" or "[worker k] ").
std::vector<LayerReport> simulate_on_one_chip(const ArchConfig& arch,
                                              const std::vector<PreparedLayer*>& jobs,
                                              const TestHooks& hooks, bool progress,
                                              const std::vector<std::string>& trace_layers,
                                              const std::string& who) {
  Trace& trace = Trace::get();
  ClockDomain::set_period(sc_core::sc_time(1.0 / arch.clock_hz, sc_core::SC_SEC));
  rtl_pe_trace_to(arch.rtl_vcd);
  RtlCheck::get() = RtlCheck{};
  ArchConfig built = arch;
  if (hooks.undersize) built.psum.entries = 1;  // smaller than any plan with M0 > 1
  // The chip behind its platform interface, driven by the host side of eyeriss-sim.
  EyerissChip chip("top", built);
  HostPlatform host("host", chip);
  Top& top = chip;
  top.controller.shuffle_issue(hooks.shuffle_issue);
  top.offchip.inject_psum_fault(hooks.psum_fault);
  std::vector<LayerReport> reports;
  uint64_t total_cycles = 0;
  std::size_t next = 0;
  ChipCounters before = top.counters();
  const auto t_start = std::chrono::steady_clock::now();
  // Layer k: its descriptor and tensors into DRAM; its program is the one prepared for it.
  host.chip.set_program_source([&](const LayerDescriptor&) { return &jobs[next - 1]->prog; });
  host.load = [&](std::size_t k, std::vector<uint8_t>& dram, LayerDescriptor& d) {
    if (k >= jobs.size()) return false;
    PreparedLayer& p = *jobs[k];
    if (progress)
      run_log(sc_core::SC_MEDIUM, who + "layer " + std::to_string(k + 1) + " of " +
                                      std::to_string(jobs.size()) + ": " + p.spec.layer.name);
    const std::string& name = p.spec.layer.name;
    trace.enable(std::find(trace_layers.begin(), trace_layers.end(), name) != trace_layers.end());
    d = LayerDescriptor{};
    d.layer = p.spec.layer;
    d.iacts_signed = p.iacts.is_signed;
    auto align = [](uint64_t a) { return (a + 63) / 64 * 64; };
    d.iact_addr = HostPlatform::kTensorBase;
    d.weight_addr = align(d.iact_addr + d.iact_bytes());
    d.psum_addr = align(d.weight_addr + d.weight_bytes());
    d.oact_addr = align(d.psum_addr + 4 * d.output_count());
    dram.assign(d.oact_addr + d.output_count(), 0);
    const auto& x = p.iacts.t.values();
    for (std::size_t i = 0; i < x.size(); ++i) dram[d.iact_addr + i] = uint8_t(x[i]);
    const auto& w = p.weights.values();
    std::memcpy(dram.data() + d.weight_addr, w.data(), w.size());
    next = k + 1;
    return true;
  };
  ChipCounters at_end;
  host.chip.on_layer_end = [&](const LayerJob& job) {
    PreparedLayer* p = jobs[next - 1];
    p->job.start = job.start;
    p->job.end = job.end;
    trace.layer(p->spec.layer.name, job.start, job.end);
    at_end = top.counters();
  };
  host.unload = [&](std::size_t k, const std::vector<uint8_t>& dram, const LayerDescriptor& d) {
    PreparedLayer* p = jobs[k];
    // The outputs as the chip wrote them into DRAM: psums int32, oacts uint8.
    auto& ps = p->data.psums.values();
    for (std::size_t i = 0; i < ps.size(); ++i) {
      uint32_t v = 0;
      for (int b = 0; b < 4; ++b) v |= uint32_t(dram[d.psum_addr + 4 * i + b]) << (8 * b);
      ps[i] = static_cast<int32_t>(v);
    }
    std::memcpy(p->data.oacts.values().data(), dram.data() + d.oact_addr, ps.size());
    LayerReport r = make_report(arch, *p, at_end, before);
    before = std::move(at_end);
    // FC outputs come back as [N][M][1][1], the same memory as the layer's own shape.
    p->data.psums = reshaped(p->data.psums, p->golden_psums.shape());
    p->data.oacts = reshaped(p->data.oacts, p->golden_oacts.shape());
    check_layer(*p, r);
    check_rtl(arch, r);
    total_cycles += r.cycles;
    reports.push_back(std::move(r));
  };
  // Signs of life: a progress line every 2 s of wall time (unless quiet), and the watchdog: if
  // no link transfer completes for watchdog_cycles of simulated time, the run stops and is
  // reported like a deadlock (it would otherwise only advance time).
  Progress& prog = Progress::get();
  prog.transfers = 0;
  prog.last_transfer_end = ClockDomain::now();
  std::string stalled_why;
  auto last_line = std::chrono::steady_clock::now();
  prog.hook = [&](Cycle now) {
    if (stalled_why.empty() && now > prog.last_transfer_end &&
        now - prog.last_transfer_end > watchdog_cycles()) {
      stalled_why = "no link transfer completed between cycles " +
                    std::to_string(prog.last_transfer_end) + " and " + std::to_string(now) +
                    " (--watchdog-cycles " + std::to_string(watchdog_cycles()) + ")";
      sc_core::sc_stop();
    }
    if (!progress || next == 0) return;
    const auto t = std::chrono::steady_clock::now();
    if (t - last_line < std::chrono::seconds(2)) return;
    last_line = t;
    const double secs = std::chrono::duration<double>(t - t_start).count();
    run_log(sc_core::SC_MEDIUM,
            who + "  ... layer " + std::to_string(next) + " of " + std::to_string(jobs.size()) +
                " ('" + jobs[next - 1]->spec.layer.name + "'): cycle " + std::to_string(now) +
                ", " + std::to_string(static_cast<uint64_t>(now / std::max(secs, 1e-9))) +
                " simulated cycles/s");
  };
  sc_core::sc_start();
  prog.hook = nullptr;
  rtl_pe_trace_close();
  trace.enable(false);
  if (!host.error().empty())
    throw ModelError(host.error() + " (layer '" + jobs[reports.size()]->spec.layer.name + "')");
  if (reports.size() != jobs.size()) {
    // The event queue ran dry with work outstanding: a cycle of full buffers (deadlock).
    std::string why = (stalled_why.empty() ? "deadlock" : "no progress (" + stalled_why + ")") +
                      ": the simulation stopped at cycle " + std::to_string(ClockDomain::now()) +
                      " in layer '" + jobs[reports.size()]->spec.layer.name +
                      "' with work outstanding" +
                      (stalled_why.empty() ? " and nothing left to happen" : "") +
                      ".\n  links offering a packet nobody accepts:";
    // The longest-waiting first: the head of the jam is where to look.
    auto list = [&](std::vector<std::string> v) {
      constexpr std::size_t kShown = 12;
      for (std::size_t i = 0; i < v.size() && i < kShown; ++i) why += "\n    " + v[i];
      if (v.size() > kShown) why += "\n    ... and " + std::to_string(v.size() - kShown) + " more";
    };
    list(LinkOut::stalled());
    why += "\n  blocks with work left:";
    list(top.busy_blocks());
    throw ModelError(why);
  }
  if (progress) {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", wall);
    run_log(sc_core::SC_MEDIUM,
            who + "simulated " + std::to_string(total_cycles) + " cycles in " + buf + " s");
  }
  return reports;
}

// `run --jobs N`: the layers spread over N worker processes by the mapper's estimate of their
// cycles, each worker simulating its share in layer order on its own chip (every layer starts
// from an empty chip anyway); reports and output tensors come back in layer order, byte for byte
// what one process gives (test jobs_equal).
std::vector<LayerReport> simulate_in_workers(const ArchConfig& arch,
                                             const std::vector<PreparedLayer*>& jobs, int workers,
                                             const TestHooks& hooks, bool progress) {
  std::vector<double> cost;
  for (const PreparedLayer* p : jobs) cost.push_back(p->prog.est_cycles);
  const auto lists =
      assign_by_cost(cost, static_cast<int>(std::min<std::size_t>(workers, jobs.size())));
  auto work = [&](std::size_t k, const std::vector<std::size_t>& items) {
    std::vector<PreparedLayer*> mine;
    for (const std::size_t i : items) mine.push_back(jobs[i]);
    std::vector<LayerReport> reps;
    try {
      reps = simulate_on_one_chip(arch, mine, hooks, progress, {},
                                  "[worker " + std::to_string(k + 1) + "] ");
    } catch (const sc_core::sc_report& e) {
      throw ModelError(sc_report_text(e));
    }
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t j = 0; j < mine.size(); ++j) {
      const LayerData& d = mine[j]->data;
      const auto* ps = reinterpret_cast<const uint8_t*>(d.psums.values().data());
      const auto* os = reinterpret_cast<const uint8_t*>(d.oacts.values().data());
      out.push_back(
          {{"report", layer_report_to_json(reps[j])},
           {"psums", nlohmann::json::binary(std::vector<uint8_t>(
                         ps, ps + d.psums.values().size() * sizeof(d.psums.values()[0])))},
           {"oacts", nlohmann::json::binary(std::vector<uint8_t>(
                         os, os + d.oacts.values().size() * sizeof(d.oacts.values()[0])))}});
    }
    const std::vector<uint8_t> cbor = nlohmann::json::to_cbor(out);
    return std::string(cbor.begin(), cbor.end());
  };
  auto what = [&](const std::vector<std::size_t>& items) {
    std::string names;
    for (const std::size_t i : items)
      names += (names.empty() ? "" : ", ") + jobs[i]->spec.layer.name;
    return "layers " + names;
  };
  const std::vector<std::string> blobs = run_in_workers(lists, work, what);
  std::vector<LayerReport> reports(jobs.size());
  for (std::size_t k = 0; k < lists.size(); ++k) {
    if (lists[k].empty()) continue;
    const nlohmann::json in = nlohmann::json::from_cbor(blobs[k]);
    for (std::size_t j = 0; j < lists[k].size(); ++j) {
      PreparedLayer& p = *jobs[lists[k][j]];
      reports[lists[k][j]] = layer_report_from_json(in[j]["report"]);
      p.data.psums = Int32Tensor(p.golden_psums.shape());
      p.data.oacts = Uint8Tensor(p.golden_oacts.shape());
      const auto& pb = in[j]["psums"].get_binary();
      const auto& ob = in[j]["oacts"].get_binary();
      if (pb.size() != p.data.psums.values().size() * sizeof(int32_t) ||
          ob.size() != p.data.oacts.values().size())
        throw ModelError("--jobs: worker " + std::to_string(k + 1) +
                         " returned outputs of the wrong size for layer '" + p.spec.layer.name +
                         "'");
      std::memcpy(p.data.psums.values().data(), pb.data(), pb.size());
      std::memcpy(p.data.oacts.values().data(), ob.data(), ob.size());
    }
  }
  return reports;
}

}  // namespace

std::string sc_report_text(const sc_core::sc_report& e) {
  std::string t = e.get_msg();
  if (e.get_process_name() && *e.get_process_name())
    t += std::string(" (in ") + e.get_process_name() + " at " + e.get_time().to_string() + ")";
  return t;
}

bool RunResult::all_exact() const {
  return std::all_of(layers.begin(), layers.end(),
                     [](const LayerReport& r) { return r.bit_exact; });
}

RunResult run_simulation(const ArchConfig& arch, const Workload& wl,
                         const std::vector<std::string>& only, const std::string& out_dir,
                         bool progress, const std::string& energy_table,
                         const std::vector<std::string>& trace_layers,
                         const std::string& trace_file, const TestHooks& hooks, int workers,
                         const RunMeta& meta) {
  // Bad input is found before anything runs: the energy table, then every layer's data/mapping.
  std::optional<EnergyTable> table;
  if (!energy_table.empty()) table = load_energy_table(energy_table);
  if (!arch.rtl_pe.empty() && !rtl_pe_available())
    throw InputError(arch.source +
                     ": rtl.pe / --rtl-pe: RTL co-simulation is off in this build (verilator was "
                     "not found when it was configured; scripts/setup.sh installs it)");
  if (!arch.rtl_vcd.empty()) {
    if (arch.rtl_pe.empty()) throw InputError("--vcd '" + arch.rtl_vcd + "': needs --rtl-pe");
    const fs::path parent = fs::absolute(arch.rtl_vcd).parent_path();
    if (!fs::is_directory(parent))
      throw InputError("--vcd '" + arch.rtl_vcd + "': folder '" + parent.string() +
                       "' does not exist");
  }
  if (workers > 1 && !trace_layers.empty())
    throw InputError("--jobs " + std::to_string(workers) +
                     " with --trace: a trace comes from one process (use --jobs 1)");
  if (workers > 1 && !arch.rtl_vcd.empty())
    throw InputError("--jobs " + std::to_string(workers) +
                     " with --vcd: a VCD file comes from one process (use --jobs 1)");
  std::vector<PreparedLayer> layers = prepare(arch, wl, only, progress, true, workers);
  for (const std::string& t : trace_layers)
    if (std::none_of(layers.begin(), layers.end(),
                     [&](const PreparedLayer& p) { return p.simulate && p.spec.layer.name == t; }))
      throw InputError(wl.source + ": --trace names '" + t + "', which is not a simulated layer");
  if (!trace_layers.empty() && trace_file.empty() && out_dir.empty())
    throw InputError("--trace needs --out DIR or --trace-file FILE");
  // Checked before simulating, so a bad path costs no work and leaves nothing written.
  if (!trace_layers.empty() && !trace_file.empty()) {
    const fs::path parent = fs::absolute(trace_file).parent_path();
    if (!fs::is_directory(parent))
      throw InputError("--trace-file '" + trace_file + "': folder '" + parent.string() +
                       "' does not exist");
    if (fs::is_directory(trace_file))
      throw InputError("--trace-file '" + trace_file + "': is a folder, expected a file name");
  }
  Trace& trace = Trace::get();
  trace.set_cycle_ns(1e9 / arch.clock_hz);
  std::vector<PreparedLayer*> jobs;
  for (auto& p : layers)
    if (p.simulate) {
      // The chip loads the layer from DRAM itself; the host keeps the outputs it reads back.
      const Layer& ml = p.prog.layer;
      p.data.psums = Int32Tensor({ml.N, ml.M, ml.E(), ml.F()});
      p.data.oacts = Uint8Tensor({ml.N, ml.M, ml.E(), ml.F()});
      if (hooks.starve)
        for (auto& port : p.prog.noc.iact_ports)
          if (!port.empty() && !port[0].streams.empty()) {
            port[0].streams.erase(port[0].streams.begin());
            break;
          }
      jobs.push_back(&p);
    }

  RunResult res;
  res.clock_hz = arch.clock_hz;
  res.arch = arch;
  res.whole_network = only.empty();
  res.layers = workers > 1 && jobs.size() > 1
                   ? simulate_in_workers(arch, jobs, workers, hooks, progress)
                   : simulate_on_one_chip(arch, jobs, hooks, progress, trace_layers, "");
  for (const LayerReport& r : res.layers) res.total_cycles += r.cycles;
  nlohmann::json stats = to_json(res, arch, wl, only.empty(), meta);
  if (table) {
    stats = recost_stats(stats, *table, "this run");
    res.energy_pj = stats["energy_pj"].get<double>();
    res.energy_onchip_pj = stats["energy_onchip_pj"].get<double>();
    res.energy_table = table->name;
    for (std::size_t i = 0; i < res.layers.size(); ++i)
      res.layers[i].energy_pj = stats["layers"][i]["energy_pj"].get<double>();
  }
  if (!out_dir.empty())
    write_outputs(out_dir, layers, stats, meta.tensors,
                  !trace_layers.empty() && trace_file.empty());
  if (!trace_layers.empty()) {
    const std::string path =
        trace_file.empty() ? (fs::path(out_dir) / "trace.json").string() : trace_file;
    const std::string tmp = path + ".tmp";
    std::ofstream f(tmp);
    trace.write(f);
    f.close();
    if (!f || std::rename(tmp.c_str(), path.c_str()) != 0)
      throw InputError("--trace-file '" + path + "': cannot write");
    if (progress)
      run_log(sc_core::SC_MEDIUM,
              "trace: " + std::to_string(trace.events()) + " events in " + path);
  }
  return res;
}

RunResult run_simulation(const RunOptions& opt) {
  ArchConfig arch = load_arch_config(opt.arch_path, opt.arch_overrides);
  arch.source = opt.arch_path;
  if (!opt.rtl_pe.empty()) {
    for (const std::string& n : split_rtl_list(opt.rtl_pe)) arch.rtl_pe.push_back(n);
    validate_arch_config(arch, "--rtl-pe");
  }
  arch.rtl_strict_cycles |= opt.strict_cycles;
  arch.rtl_vcd = opt.vcd;
  const Workload wl = load_workload(opt.workload_path);
  std::vector<std::string> traced;
  for (std::size_t p = 0; !opt.trace_layers.empty() && p != std::string::npos;) {
    const std::size_t q = opt.trace_layers.find(',', p);
    traced.push_back(opt.trace_layers.substr(p, q == std::string::npos ? q : q - p));
    p = q == std::string::npos ? q : q + 1;
  }
  return run_simulation(arch, wl, opt.layers, opt.out_dir, opt.progress, opt.energy_table, traced,
                        opt.trace_file, opt.hooks, opt.jobs, opt.meta);
}

void inspect_workload(const ArchConfig& arch, const Workload& wl, std::ostream& os) {
  std::vector<PreparedLayer> layers = prepare(arch, wl, {}, false, false);
  char buf[512];
  // The name column fits the longest name (graph networks have long ones: inc4a_3x3_reduce).
  int nw = 10;
  for (const PreparedLayer& p : layers)
    nw = std::max(nw, static_cast<int>(p.spec.layer.name.size()));
  nw = std::min(nw, 64);
  std::snprintf(buf, sizeof buf, "%-*s %13s %13s %7s %7s %7s %7s %7s\n", nw, "layer", "MACs",
                "effective", "eff/nom", "w dens", "i dens", "o dens", "o sat");
  os << buf;
  int64_t tm = 0, te = 0;
  for (const PreparedLayer& p : layers) {
    const Layer& l = p.spec.layer;
    std::size_t onz = 0, osat = 0;
    for (auto v : p.golden_oacts.values()) onz += v != 0, osat += v == 255;
    const double on = double(p.golden_oacts.size());
    std::snprintf(buf, sizeof buf, "%-*s %13lld %13lld %7.3f %7.3f %7.3f %7.3f %7.3f\n", nw,
                  l.name.c_str(), (long long)l.macs(), (long long)p.golden_nonzero_macs,
                  double(p.golden_nonzero_macs) / l.macs(), nonzero_fraction(p.weights),
                  nonzero_fraction(p.iacts.t), onz / on, osat / on);
    os << buf;
    tm += l.macs();
    te += p.golden_nonzero_macs;
  }
  std::snprintf(buf, sizeof buf, "%-*s %13lld %13lld %7.3f\n", nw, "total", (long long)tm,
                (long long)te, double(te) / tm);
  os << buf;
}

void print_mapping_report(const RunResult& r, std::ostream& os) {
  for (const LayerReport& l : r.layers) {
    os << "layer " << l.name << " (" << l.type << "): " << l.mapping
       << (l.pinned ? " [pinned]"
                    : " [chosen from " + std::to_string(l.candidates) + " candidates, estimate " +
                          std::to_string(static_cast<int64_t>(l.est_cycles)) + " cycles]")
       << ", simulated " << l.cycles << " cycles\n"
       << l.loop_nest << "  NoC: iacts " << l.iact_pattern << " (routers: " << l.iact_mode
       << "), weights " << l.weight_pattern << " (routers: " << l.weight_mode << ")\n";
  }
}

void print_eyexam(const RunResult& r, std::ostream& os, bool explain) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-10s %10s %10s %10s %10s %10s %10s %10s\n", "Eyexam", "1 shape",
                "2 dataflow", "3 PEs", "4 array", "5 storage", "6 bandwidth", "7 measured");
  os << "Eyexam bounds in effective MACs per cycle (docs/eyexam.md)\n" << buf;
  for (const LayerReport& l : r.layers) {
    std::snprintf(buf, sizeof buf, "%-10s %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g\n",
                  l.name.c_str(), l.eyexam[0], l.eyexam[1], l.eyexam[2], l.eyexam[3], l.eyexam[4],
                  l.eyexam[5], l.eyexam[6]);
    os << buf;
    if (explain)
      for (int k = 0; k < 7; ++k)
        os << "    " << k + 1 << " " << EyexamResult::step_names()[k] << ": " << l.eyexam_why[k]
           << "\n";
  }
}

void print_table(const RunResult& r, std::ostream& os) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-10s %-10s %10s %11s %11s %6s %8s %19s  %s\n", "layer", "type",
                "cycles", "MACs", "nonzero", "util", "PEs", "busy min/mean/max", "check");
  os << buf;
  uint64_t macs = 0, nz = 0;
  for (const LayerReport& l : r.layers) {
    std::snprintf(buf, sizeof buf,
                  "%-10s %-10s %10llu %11lld %11llu %5.1f%% %4d/%-3d %5llu/%5.0f/%5llu  %s\n",
                  l.name.c_str(), l.type.c_str(), (unsigned long long)l.cycles, (long long)l.macs,
                  (unsigned long long)l.nonzero_macs, 100 * l.utilization, l.active_pes,
                  l.total_pes, (unsigned long long)l.busy_min, l.busy_mean,
                  (unsigned long long)l.busy_max, l.bit_exact ? "PASS" : "FAIL");
    os << buf;
    if (!l.bit_exact) os << "    first mismatch: " << l.mismatch << "\n";
    if (l.rtl_pes > 0)
      os << "    RTL PEs " << l.rtl_pes << ": " << l.rtl_positions << " positions and "
         << l.rtl_rows << " psum rows compared with the C++ PE model, " << l.rtl_cycle_divergences
         << " cycle divergences"
         << (l.rtl_cycle_divergences ? " (first: " + l.rtl_first_cycle_divergence + ")" : "")
         << "\n";
    macs += l.macs;
    nz += l.nonzero_macs;
  }
  const double secs = r.total_cycles / r.clock_hz;
  std::snprintf(
      buf, sizeof buf,
      "total: %llu cycles at %.1f MHz = %.3f ms%s; %llu MACs (%llu nonzero), %.1f GOPS "
      "nominal\n",
      (unsigned long long)r.total_cycles, r.clock_hz / 1e6, 1e3 * secs,
      r.whole_network && secs > 0
          ? (" -> " + std::to_string(static_cast<int64_t>(1 / secs + 0.5)) + " inferences/s")
                .c_str()
          : "",
      (unsigned long long)macs, (unsigned long long)nz, secs > 0 ? 2.0 * macs / secs / 1e9 : 0.0);
  os << buf;
  if (r.energy_pj > 0) {
    std::snprintf(buf, sizeof buf, "energy: %.4g uJ with DRAM, %.4g uJ on chip (table %s)",
                  r.energy_pj * 1e-6, r.energy_onchip_pj * 1e-6, r.energy_table.c_str());
    os << buf;
    if (r.whole_network && r.energy_onchip_pj > 0) {
      std::snprintf(buf, sizeof buf, " -> %.0f inferences/J with DRAM, %.0f on chip",
                    1e12 / r.energy_pj, 1e12 / r.energy_onchip_pj);
      os << buf;
    }
    os << "\n";
  }
}

}  // namespace eyeriss
