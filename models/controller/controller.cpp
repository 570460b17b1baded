#include "models/controller/controller.h"

#include <algorithm>
#include <set>

#include "models/mapper/mapper.h"
#include "noc/packet_bits.h"
#include "noc/psum_router.h"
#include "noc/router_mode.h"
#include "noc/timing.h"

namespace eyeriss {

Controller::Controller(sc_core::sc_module_name name, const ArchConfig& arch, OffChip& offchip)
    : sc_module(name),
      to_offchip("to_offchip"),
      to_iact_bank("to_iact_bank"),
      to_psum_bank("to_psum_bank"),
      cfg("cfg"),
      arch_(arch),
      offchip_(offchip) {
  dirs_.resize(arch.clusters() * arch.glb_iact_banks);
  tlm_utils::tlm_quantumkeeper::set_global_quantum(ClockDomain::period() * 10000.0);
  SC_THREAD(run);
}

int Controller::cfg_stride() const {
  return arch_.iact_routers + arch_.weight_routers + arch_.pes_per_cluster() + arch_.psum_routers;
}

Cycle Controller::send_to(tlm_utils::multi_passthrough_initiator_socket<Controller>& s, int idx,
                          NocPacket& p, Cycle at) {
  PacketTransaction t(p);
  sc_core::sc_time d = ClockDomain::delay_to(at);
  s[idx]->b_transport(t.gp(), d);
  if (t.gp().is_response_error()) SC_REPORT_FATAL("eyeriss/controller", "transaction failed");
  return ClockDomain::cycle_of(d);
}

Cycle Controller::send_offchip(NocPacket& p, Cycle at) {
  PacketTransaction t(p);
  sc_core::sc_time d = ClockDomain::delay_to(at);
  to_offchip->b_transport(t.gp(), d);
  return ClockDomain::cycle_of(d);
}

void Controller::run() {
  qk_.reset();
  while (LayerJob* job = next_job ? next_job() : nullptr) {
    run_layer(*job);
    // Temporal decoupling: the layers run back to back; synchronise with the kernel between
    // layers so sc_time_stamp() follows the simulated chip.
    qk_.set(ClockDomain::delay_to(job->end));
    qk_.sync();
    if (job_done) job_done(*job);
  }
}

namespace {

void add_dest(std::vector<ClusterDest>& d, int cluster, uint32_t bits) {
  for (ClusterDest& x : d)
    if (x.cluster == cluster) {
      x.pe_mask |= bits;
      return;
    }
  d.push_back({cluster, bits});
}

// The chip-level pattern the sets of clusters sharing each packet form.
std::string classify(const std::vector<std::vector<int>>& sets, int clusters, int rows) {
  std::size_t largest = 1;
  bool contiguous = true;
  for (const auto& s : sets) {
    largest = std::max(largest, s.size());
    // Contiguous in the column-major fill order (a run of clusters).
    std::vector<int> order;
    for (int c : s)
      order.push_back((c % std::max(1, clusters / rows)) * rows + c / (clusters / rows));
    std::sort(order.begin(), order.end());
    for (std::size_t i = 1; i < order.size(); ++i) contiguous &= order[i] == order[i - 1] + 1;
  }
  if (largest == 1) return "unicast";
  if (int(largest) == clusters) return "broadcast";
  return std::string(contiguous ? "grouped" : "interleaved") + " multicast (up to " +
         std::to_string(largest) + " clusters)";
}

}  // namespace

Controller::StepPlan Controller::plan_step(const LayerProgram& prog, std::size_t first,
                                           std::size_t end) const {
  const ArchConfig& a = arch_;
  const Layer& l = prog.layer;
  const int cols = a.pe_cols, rows = a.pe_rows, U = l.stride;
  StepPlan sp;
  sp.first = first;
  sp.end = end;
  for (std::size_t pi = first; pi < end; ++pi) {
    const Pass& pass = prog.passes[pi];
    for (int vi = 0; vi < static_cast<int>(pass.row_item.size()); ++vi) {
      const int ii = pass.row_item[vi];
      if (ii < 0) continue;
      // Row vi of the span: PE row i of the vi / pe_rows-th cluster south of the pass's cluster.
      const int cl = pass.cluster + (vi / rows) * a.cluster_cols, i = vi % rows;
      const RedItem& it = prog.items[ii];
      for (int j = 0; j < cols; ++j) {
        const int ti = pass.col_task[j];
        if (ti < 0) continue;
        const RowTask& t = prog.tasks[ti];
        const uint32_t pe = 1u << (i * cols + j);
        // Weights: one block per (output-channel chunk, reduction item); shared along a
        // cluster row only (weight routers have no vertical links).
        const int crow = cl / a.cluster_cols;
        auto b = std::find_if(sp.blocks.begin(), sp.blocks.end(), [&](const BlockPlan& x) {
          return x.row == i && x.m_base == t.m_base && x.src / a.cluster_cols == crow;
        });
        if (b == sp.blocks.end()) {
          BlockPlan nb;
          nb.src = cl;
          nb.row = i;
          nb.g = t.g, nb.m_base = t.m_base, nb.mc = t.mc;
          nb.c_base = it.c_base, nb.cc = it.cc, nb.r = it.r;
          sp.blocks.push_back(nb);
          b = sp.blocks.end() - 1;
        }
        b->src = std::min(b->src, cl);  // enters at the westmost cluster that needs it
        add_dest(b->dests, cl, pe);
        // Iacts: one stream per (n, g, channel chunk, input row, column chunk).
        const IactStreamKey k{t.n, t.g, it.c_base, t.e * U + it.r - l.pad, t.f0};
        auto s = std::find_if(sp.streams.begin(), sp.streams.end(),
                              [&](const StreamPlan& x) { return x.key == k && x.cc == it.cc; });
        if (s == sp.streams.end()) {
          StreamPlan ns;
          ns.key = k;
          ns.cc = it.cc;
          ns.fc = t.fc;
          ns.home = cl;
          const int chunk = it.c_base / std::max(1, prog.map.C0);
          ns.bank = ((chunk + k.h) % a.glb_iact_banks + a.glb_iact_banks) % a.glb_iact_banks;
          sp.streams.push_back(ns);
          s = sp.streams.end() - 1;
        }
        add_dest(s->dests, cl, pe);
      }
    }
  }
  // Spread the source of shared streams over their destination clusters so no single GLB port
  // feeds a whole column.
  for (std::size_t i = 0; i < sp.streams.size(); ++i) {
    StreamPlan& s = sp.streams[i];
    const auto h = static_cast<std::size_t>(s.key.h + 7 * s.key.ci + 13 * s.key.n + 17 * s.key.g);
    s.home = s.dests[(h + i) % s.dests.size()].cluster;
  }
  return sp;
}

namespace {

template <typename Plan>
double clusters_per_packet(const std::vector<Plan>& v) {
  double n = 0, d = 0;
  for (const Plan& p : v) n += 1, d += p.dests.size();
  return n ? d / n : 1;
}

// Splits every shared packet into one per destination cluster, fetched through that cluster's
// own GLB port.
template <typename Plan, typename SetSource>
void unshare(std::vector<Plan>& v, SetSource set_source) {
  std::vector<Plan> out;
  for (const Plan& p : v)
    for (const ClusterDest& d : p.dests) {
      Plan q = p;
      q.dests = {d};
      set_source(q, d.cluster);
      out.push_back(std::move(q));
    }
  v = std::move(out);
}

}  // namespace

namespace {

// Transfers each directed mesh link and each cluster's local link would carry if every packet
// went along its XY multicast tree (horizontal along the source row, then vertical), per
// router index (each router index has its own mesh). Returns {busiest mesh link, busiest
// local link}.
struct LinkLoad {
  uint64_t mesh = 0, local = 0;
};
LinkLoad xy_tree_load(
    const std::vector<std::tuple<int, int, uint64_t, const std::vector<ClusterDest>*>>& packets,
    int cols) {
  std::map<std::tuple<int, int, int>, uint64_t> mesh;  // (router index, from cluster, to cluster)
  std::map<std::pair<int, int>, uint64_t> local;       // (router index, cluster)
  std::set<std::pair<int, int>> links;
  for (const auto& [router, src, n, dests] : packets) {
    links.clear();
    const int rs = src / cols, cs = src % cols;
    for (const ClusterDest& d : *dests) {
      local[{router, d.cluster}] += n;
      const int rd = d.cluster / cols, cd = d.cluster % cols;
      for (int c = cs; c != cd; c += cd > cs ? 1 : -1)  // along the source row
        links.insert({rs * cols + c, rs * cols + c + (cd > cs ? 1 : -1)});
      for (int r = rs; r != rd; r += rd > rs ? 1 : -1)  // then down or up the column
        links.insert({r * cols + cd, (r + (rd > rs ? 1 : -1)) * cols + cd});
    }
    for (const auto& [a, b] : links) mesh[{router, a, b}] += n;  // once per link per packet
  }
  LinkLoad l;
  for (const auto& [k, v] : mesh) l.mesh = std::max(l.mesh, v);
  for (const auto& [k, v] : local) l.local = std::max(l.local, v);
  return l;
}

}  // namespace

// Multicast over the mesh saves GLB and off-chip traffic, but a packet travels its whole XY
// tree and is delivered to all its destinations together (the clusters sharing it advance in
// lockstep). Auto policy, per data type per layer: multicast when the packets serve at least
// kMinSharing clusters on average and the busiest mesh link would carry no more transfers than
// the busiest cluster-local link carries anyway; otherwise (depthwise halo rows, or large
// arrays where trees funnel through a few links) every cluster fetches its own copy.
void Controller::choose_sharing(std::vector<StepPlan>& steps, const LayerProgram& prog) const {
  constexpr double kMinSharing = 1.5;
  const Mapping& m = prog.map;
  double si = 0, sw = 0, ni = 0, nw = 0;
  std::vector<std::tuple<int, int, uint64_t, const std::vector<ClusterDest>*>> ip, wp;
  for (const StepPlan& sp : steps) {
    si += clusters_per_packet(sp.streams) * sp.streams.size();
    ni += sp.streams.size();
    sw += clusters_per_packet(sp.blocks) * sp.blocks.size();
    nw += sp.blocks.size();
    for (const StreamPlan& st : sp.streams)
      ip.emplace_back(st.bank, st.home, uint64_t(st.fc - 1 + prog.window_segs), &st.dests);
    for (const BlockPlan& b : sp.blocks) wp.emplace_back(b.row, b.src, 1, &b.dests);
  }
  const LinkLoad il = xy_tree_load(ip, arch_.cluster_cols);
  const LinkLoad wl = xy_tree_load(wp, arch_.cluster_cols);
  auto decide = [](Sharing pin, bool automatic) {
    return pin == Sharing::Auto ? automatic : pin == Sharing::Multicast;
  };
  const bool share_iacts =
      decide(m.iact_sharing, ni > 0 && si / ni >= kMinSharing && il.mesh <= il.local);
  const bool share_weights =
      decide(m.weight_sharing, nw > 0 && sw / nw >= kMinSharing && wl.mesh <= wl.local);
  for (StepPlan& sp : steps) {
    if (!share_iacts) unshare(sp.streams, [](StreamPlan& p, int cl) { p.home = cl; });
    if (!share_weights) unshare(sp.blocks, [](BlockPlan& p, int cl) { p.src = cl; });
  }
}

// Sets every router's mode for the layer (circuit switched: once per layer) from how the
// layer's packets are shared between clusters.
void Controller::configure_noc(const std::vector<StepPlan>& steps, LayerJob& job, Cycle t0) {
  const ArchConfig& a = arch_;
  bool iact_h = false, iact_v = false, weight_h = false;
  std::set<std::vector<int>> iact_sets, weight_sets;
  for (const StepPlan& sp : steps) {
    for (const StreamPlan& s : sp.streams) {
      std::vector<int> cl;
      for (const ClusterDest& d : s.dests) {
        cl.push_back(d.cluster);
        iact_h |= d.cluster % a.cluster_cols != s.home % a.cluster_cols;
        iact_v |= d.cluster / a.cluster_cols != s.home / a.cluster_cols;
      }
      std::sort(cl.begin(), cl.end());
      iact_sets.insert(cl);
    }
    for (const BlockPlan& b : sp.blocks) {
      std::vector<int> cl;
      for (const ClusterDest& d : b.dests) {
        cl.push_back(d.cluster);
        weight_h |= d.cluster != b.src;
      }
      std::sort(cl.begin(), cl.end());
      weight_sets.insert(cl);
    }
  }
  const RouterMode im = iact_h && iact_v ? RouterMode::Broadcast
                        : iact_v         ? RouterMode::VerticalMulticast
                        : iact_h         ? RouterMode::HorizontalMulticast
                                         : RouterMode::Unicast;
  const RouterMode wm = weight_h ? RouterMode::HorizontalMulticast : RouterMode::Unicast;
  for (int cl = 0; cl < a.clusters(); ++cl) {
    NocPacket c;
    c.op = Op::Config;
    c.router_mode = static_cast<int>(im);
    for (int i = 0; i < a.iact_routers; ++i) send_to(cfg, cfg_iact_router(cl, i), c, t0);
    c.router_mode = static_cast<int>(wm);
    for (int i = 0; i < a.weight_routers; ++i) send_to(cfg, cfg_weight_router(cl, i), c, t0);
  }
  job.iact_mode = to_string(im);
  job.weight_mode = to_string(wm);
  job.iact_pattern = classify({iact_sets.begin(), iact_sets.end()}, a.clusters(), a.cluster_rows);
  job.weight_pattern =
      classify({weight_sets.begin(), weight_sets.end()}, a.clusters(), a.cluster_rows);
}

// GLB policy at the stream's home bank: reuse a stored stream; else store it if it fits
// (evicting the least recently used streams), else pass it straight on. Returns true on a hit.
bool Controller::glb_holds(const StreamPlan& s, LayerJob& job, bool& store, Cycle t0) {
  const ArchConfig& a = arch_;
  const int idx = s.home * a.glb_iact_banks + s.bank;
  BankDir& dir = dirs_[idx];
  store = false;
  for (auto it = dir.fifo.begin(); it != dir.fifo.end(); ++it)
    if (it->key == s.key && it->cc == s.cc) {
      // Used again: it must survive this step's evictions, and goes to the back (LRU).
      StoredStream hit = *it;
      hit.step = current_step_;
      dir.fifo.erase(it);
      dir.fifo.push_back(hit);
      ++job.iact_streams_reused;
      return true;
    }
  int64_t bits = 0;
  std::vector<int16_t> v;
  for (int k = 0; k < s.fc - 1 + job.prog->window_segs; ++k) {
    OffChip::build_segment(*job.data, s.key, s.cc, k, v);
    const int n = static_cast<int>(v.size());
    bits += iact_segment_bits(a, a.sparse ? csc_entries(v.data(), n, 1, a.max_count()) : n);
  }
  const int64_t cap = a.iact_bank_bits();
  if (bits > cap) {
    ++job.iact_streams_passed;
    return false;
  }
  // Streams stored or hit earlier in this step are still to be read: only older ones may go.
  while (dir.used + bits > cap && !dir.fifo.empty() && dir.fifo.front().step != current_step_) {
    NocPacket ev;
    ev.op = Op::Evict;
    ev.stream = dir.fifo.front().key;
    send_to(to_iact_bank, idx, ev, t0);
    dir.used -= dir.fifo.front().bits;
    dir.fifo.pop_front();
  }
  if (dir.used + bits > cap) {
    ++job.iact_streams_passed;
    return false;
  }
  dir.fifo.push_back({s.key, s.cc, bits, current_step_});
  dir.used += bits;
  store = true;
  ++job.iact_streams_stored;
  return false;
}

void Controller::run_step(const LayerProgram& prog, const StepPlan& sp, LayerJob& job, Cycle t0,
                          Cycle& end) {
  const ArchConfig& a = arch_;
  const Layer& l = prog.layer;
  const int cols = a.pe_cols, rows = a.pe_rows, wsegs = prog.window_segs;
  // Per-pass configuration of PEs and psum routers (part of the per-layer command).
  const int span = prog.map.vr;
  for (std::size_t pi = sp.first; pi < sp.end; ++pi) {
    const Pass& pass = prog.passes[pi];
    for (int vi = 0; vi < span * rows; ++vi)
      for (int j = 0; j < cols; ++j) {
        const int cl = pass.cluster + (vi / rows) * a.cluster_cols, i = vi % rows;
        NocPacket c;
        c.op = Op::Config;
        PePassConfig& pc = c.pe_cfg;
        const int ti = pass.col_task[j], ii = pass.row_item[vi];
        pc.active = ti >= 0 && ii >= 0;
        if (pc.active) {
          pc.mc = prog.tasks[ti].mc;
          pc.cc = prog.items[ii].cc;
          pc.S = l.S;
          pc.U = l.stride;
          pc.positions = prog.tasks[ti].fc;
        }
        send_to(cfg, cfg_pe(cl, i * cols + j), c, t0);
      }
    // The psum chain of each column: the north cluster takes its GLB bank's partial sums (or a
    // start token), every cluster hands its column's sum south, the south-most one stores it
    // (partial) or sends it off-chip (final).
    for (int k = 0; k < span; ++k)
      for (int j = 0; j < cols; ++j) {
        using PR = PsumRouter;
        NocPacket c;
        c.op = Op::Config;
        c.router_mode =
            PR::encode(k == 0 ? PR::Source::Glb : PR::Source::North, k < span - 1 ? PR::Sink::South
                                                                     : pass.last ? PR::Sink::Offchip
                                                                                 : PR::Sink::Glb);
        send_to(cfg, cfg_psum_router(pass.cluster + k * a.cluster_cols, j), c, t0);
      }
  }
  // Weights: each block enters at its source cluster's GLB port and is multicast along the row.
  for (const BlockPlan& b : sp.blocks) {
    NocPacket w;
    w.op = Op::SendWeights;
    w.cluster = b.src;
    w.src_cluster = b.src;
    w.port = b.row;
    w.dests = b.dests;
    w.g = b.g, w.m_base = b.m_base, w.mc = b.mc, w.c_base = b.c_base, w.cc = b.cc, w.r = b.r;
    end = std::max(end, send_offchip(w, t0));
  }
  // Iacts: decide where each stream comes from, then stream the segments position by
  // position, each followed by the psum rows it completes.
  std::vector<char> from_bank(sp.streams.size()), store(sp.streams.size());
  for (std::size_t s = 0; s < sp.streams.size(); ++s) {
    bool st = false;
    from_bank[s] = glb_holds(sp.streams[s], job, st, t0);
    store[s] = st;
  }
  int maxf = 0;
  for (const StreamPlan& s : sp.streams) maxf = std::max(maxf, s.fc);
  for (int f = 0; f < maxf; ++f) {
    for (std::size_t si = 0; si < sp.streams.size(); ++si) {
      const StreamPlan& s = sp.streams[si];
      if (f >= s.fc) continue;
      for (int k = f == 0 ? 0 : f + wsegs - 1; k <= f + wsegs - 1; ++k) {
        NocPacket q;
        q.op = Op::SendIact;
        q.cluster = s.home;
        q.src_cluster = s.home;
        q.port = s.bank;
        q.stream = s.key;
        q.seg = k;
        q.cc = s.cc;
        q.dests = s.dests;
        q.store = store[si];
        end = std::max(end, from_bank[si]
                                ? send_to(to_iact_bank, s.home * a.glb_iact_banks + s.bank, q, t0)
                                : send_offchip(q, t0));
      }
    }
    for (std::size_t pi = sp.first; pi < sp.end; ++pi) {
      const Pass& pass = prog.passes[pi];
      for (int j = 0; j < cols; ++j) {
        const int ti = pass.col_task[j];
        if (ti < 0 || f >= prog.tasks[ti].fc) continue;
        const RowTask& t = prog.tasks[ti];
        NocPacket q;
        q.op = Op::SendPsum;
        q.type = DataType::Psum;
        q.cluster = pass.cluster;
        q.port = j;
        q.task = ti;
        q.f = f;
        q.n = t.n;
        q.e = t.e;
        q.f_out = t.f0 + f;
        q.m_base = t.m_base;
        q.mc = t.mc;
        q.has_psums = !pass.first;
        end = std::max(end, send_to(to_psum_bank, pass.cluster * cols + j, q, t0));
      }
    }
  }
}

void Controller::run_layer(LayerJob& job) {
  const LayerProgram& prog = *job.prog;
  job.data->seg_cols = prog.seg_cols;
  offchip_.set_layer(job.data);
  const Cycle t0 = ClockDomain::cycle_of(sc_core::SC_ZERO_TIME);
  job.start = t0;
  if (layer_start) layer_start(t0);
  // Streams a previous layer left in the banks are stale: evict them.
  for (std::size_t idx = 0; idx < dirs_.size(); ++idx) {
    for (const StoredStream& st : dirs_[idx].fifo) {
      NocPacket ev;
      ev.op = Op::Evict;
      ev.stream = st.key;
      send_to(to_iact_bank, static_cast<int>(idx), ev, t0);
    }
    dirs_[idx].fifo.clear();
    dirs_[idx].used = 0;
  }
  std::vector<StepPlan> steps;
  for (std::size_t i = 0; i < prog.passes.size();) {
    std::size_t e = i;
    while (e < prog.passes.size() && prog.passes[e].step == prog.passes[i].step) ++e;
    steps.push_back(plan_step(prog, i, e));
    i = e;
  }
  choose_sharing(steps, prog);
  configure_noc(steps, job, t0);
  Cycle end = t0;
  for (const StepPlan& sp : steps) {
    current_step_ = prog.passes[sp.first].step;
    run_step(prog, sp, job, t0, end);
  }
  job.end = end;
}

}  // namespace eyeriss
