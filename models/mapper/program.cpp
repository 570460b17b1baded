// Builds the per-layer program (program.h) from the mapper's passes: which clusters need which
// iact streams and weight blocks in each step, how they share them (sharing.h), the static
// router settings, the GLB iact policy, and every block's part.
#include "models/mapper/program.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "models/common/error.h"
#include "models/common/tensor.h"
#include "models/mapper/mapper.h"
#include "models/mapper/sharing.h"
#include "noc/packet_bits.h"

namespace eyeriss {

const char* to_string(PsumSource s) {
  switch (s) {
    case PsumSource::None:
      return "none";
    case PsumSource::Glb:
      return "glb";
    case PsumSource::North:
      return "north";
  }
  return "?";
}

const char* to_string(PsumSink s) {
  switch (s) {
    case PsumSink::None:
      return "none";
    case PsumSink::Glb:
      return "glb";
    case PsumSink::Offchip:
      return "offchip";
    case PsumSink::South:
      return "south";
  }
  return "?";
}

// The narrowest of the router's modes (router_mode.h) whose muxes allow every input's outputs.
RouterMode RouterConfig::mode() const {
  for (RouterMode m : {RouterMode::Unicast, RouterMode::HorizontalMulticast,
                       RouterMode::VerticalMulticast, RouterMode::Broadcast}) {
    bool ok = true;
    for (int i = 0; i < kPorts; ++i)
      ok &= (drive[i] & ~allowed_outputs(m, static_cast<Port>(i))) == 0;
    if (ok) return m;
  }
  return RouterMode::Invalid;
}

bool RouterConfig::used() const {
  for (PortSet s : drive)
    if (s) return true;
  return false;
}

void stream_segment(const Layer& l, const ActTensor& x, int seg_cols, const StreamKey& k, int cc,
                    int seg, std::vector<int16_t>& v) {
  const int U = l.stride, Cg = l.Cg(), c0 = k.g * Cg + k.ci;
  v.assign(std::size_t(seg_cols) * cc, 0);
  if (k.h < 0 || k.h >= l.H) return;  // padding row
  for (int u = 0; u < seg_cols; ++u) {
    const int xx = (k.f0 + seg) * U + u - l.pad;
    if (xx < 0 || xx >= l.W) continue;
    for (int c = 0; c < cc; ++c) v[std::size_t(u) * cc + c] = x.t.at(k.n, c0 + c, k.h, xx);
  }
}

void weight_block(const Layer& l, const Int8Tensor& w, const WeightSend& ws,
                  std::vector<int16_t>& v) {
  const int K = ws.cc * l.S;
  v.assign(std::size_t(K) * ws.mc, 0);
  for (int cc = 0; cc < ws.cc; ++cc)
    for (int s = 0; s < l.S; ++s)
      for (int m = 0; m < ws.mc; ++m)
        v[std::size_t(cc * l.S + s) * ws.mc + m] =
            w.at(ws.key.m_base + m, ws.key.c_base + cc, ws.key.r, s);
}

uint64_t offchip_read_bits(const LayerProgram& prog, const ArchConfig& arch, const Int8Tensor& w) {
  const ArchConfig a = mode_arch(arch, prog.map.pe_mode);
  uint64_t bits = 0;
  for (const auto& port : prog.noc.iact_ports)
    for (const PortStep& ps : port)
      for (const StreamSend& s : ps.streams)
        if (!s.from_bank) bits += uint64_t(s.bits);
  std::vector<int16_t> v;
  CscMatrix csc;
  for (const auto& channel : prog.noc.weight_channels)
    for (const WeightSend& ws : channel) {
      weight_block(prog.layer, w, ws, v);
      if (a.sparse) {
        csc_encode_into(csc, v.data(), ws.mc, ws.cc * prog.layer.S, a.count_bits);
        bits += weight_block_bits(a, csc);
      } else {
        bits += uint64_t(v.size()) * a.weight_bits;
      }
    }
  return bits;
}

namespace {

// What one step needs: every stream and weight block and the clusters that take it.
struct StreamNeed {
  StreamKey key;
  int cc = 0, fc = 0, bank = 0;
  std::vector<int> clusters;
};
struct BlockNeed {
  BlockKey key;
  int row = 0, mc = 0, cc = 0;
  std::vector<int> clusters;
};
struct StepNeeds {
  int step = 0;
  std::size_t first = 0, end = 0;  // passes [first, end)
  std::vector<StreamNeed> streams;
  std::vector<BlockNeed> blocks;
};

void add_unique(std::vector<int>& v, int x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

StepNeeds step_needs(const LayerProgram& prog, const ArchConfig& a, std::size_t first,
                     std::size_t end) {
  const Layer& l = prog.layer;
  const int cols = a.pe_cols, rows = a.pe_rows, U = l.stride;
  StepNeeds sn;
  sn.step = prog.passes[first].step;
  sn.first = first;
  sn.end = end;
  for (std::size_t pi = first; pi < end; ++pi) {
    const Pass& pass = prog.passes[pi];
    for (int vi = 0; vi < static_cast<int>(pass.row_item.size()); ++vi) {
      const int ii = pass.row_item[vi];
      if (ii < 0) continue;
      const int cl = pass.cluster + (vi / rows) * a.cluster_cols, i = vi % rows;
      const RedItem& it = prog.items[ii];
      for (int j = 0; j < cols; ++j) {
        const int ti = pass.col_task[j];
        if (ti < 0) continue;
        const RowTask& t = prog.tasks[ti];
        const BlockKey bk{t.g, t.m_base, it.c_base, it.r};
        auto b = std::find_if(sn.blocks.begin(), sn.blocks.end(),
                              [&](const BlockNeed& x) { return x.row == i && x.key == bk; });
        if (b == sn.blocks.end()) {
          sn.blocks.push_back({bk, i, t.mc, it.cc, {}});
          b = sn.blocks.end() - 1;
        }
        add_unique(b->clusters, cl);
        const StreamKey k{t.n, t.g, it.c_base, t.e * U + it.r - l.pad, t.f0};
        auto s = std::find_if(sn.streams.begin(), sn.streams.end(),
                              [&](const StreamNeed& x) { return x.key == k; });
        if (s == sn.streams.end()) {
          const int chunk = it.c_base / std::max(1, prog.map.C0);
          const int bank = ((chunk + k.h) % a.glb_iact_banks + a.glb_iact_banks) % a.glb_iact_banks;
          sn.streams.push_back({k, it.cc, t.fc, bank, {}});
          s = sn.streams.end() - 1;
        }
        add_unique(s->clusters, cl);
      }
    }
  }
  return sn;
}

// Load a grouping puts on the busiest cluster-local link or root port of any plane, in
// segment entries (iacts) or weight words (weights), and the packets roots inject.
struct GroupingCost {
  int64_t bottleneck = 0, sends = 0;
};

template <typename Need, typename PlaneOf, typename SizeOf>
GroupingCost cost_of(const Grouping& g, const std::vector<StepNeeds>& steps, int clusters,
                     int planes, const std::vector<Need> StepNeeds::*list, PlaneOf plane_of,
                     SizeOf size_of) {
  GroupingCost c;
  std::vector<int64_t> link(std::size_t(clusters) * planes, 0), port(link.size(), 0);
  std::vector<char> touched;
  for (const StepNeeds& sn : steps)
    for (const Need& n : sn.*list) {
      const int64_t size = size_of(n);
      for_each_send(g, n.clusters, plane_of(n), touched, [&](int gi, int plane, int root) {
        ++c.sends;
        port[std::size_t(root) * planes + plane] += size;
        for (int m : g.members[gi]) link[std::size_t(m) * planes + plane] += size;
      });
    }
  for (std::size_t i = 0; i < link.size(); ++i)
    c.bottleneck = std::max({c.bottleneck, link[i], port[i]});
  return c;
}

// Static router settings of one data type for a grouping; "" or the conflict.
std::string build_routes(const Grouping& g, const ArchConfig& a, int planes, bool vertical,
                         std::vector<RouterConfig>& cfg) {
  cfg.assign(std::size_t(a.clusters()) * planes, RouterConfig{});
  for (int p = 0; p < planes; ++p)
    for (std::size_t gi = 0; gi < g.members.size(); ++gi) {
      if (g.plane[gi] >= 0 && g.plane[gi] != p) continue;
      const std::string e = add_tree(cfg, p, planes, group_root(g, static_cast<int>(gi), p),
                                     g.members[gi], a.cluster_cols, vertical);
      if (!e.empty()) return e;
    }
  return "";
}

// Whether a candidate grouping is of the kind a pin asks for.
bool pinned_kind(const Grouping& g, Sharing pin, int clusters) {
  const bool unicast = g.largest() == 1;
  const bool broadcast = g.members.size() == 1 && g.largest() == clusters && clusters > 1;
  switch (pin) {
    case Sharing::Auto:
      return true;
    case Sharing::Unicast:
      return unicast;
    case Sharing::Multicast:
      return !unicast;
    case Sharing::Grouped:
      return !unicast && !broadcast && !g.interleaved;
    case Sharing::Interleaved:
      return g.interleaved;
    case Sharing::Broadcast:
      return broadcast;
  }
  return false;
}

// Picks the grouping with the least-loaded busiest link or port; ties go to fewer injected
// packets (more sharing). A pin keeps only unicast, or only the multicast groupings.
template <typename Need, typename PlaneOf, typename SizeOf>
std::size_t choose(const std::vector<Grouping>& cands, Sharing pin, const ArchConfig& a, int planes,
                   bool vertical, const std::vector<StepNeeds>& steps,
                   const std::vector<Need> StepNeeds::*list, PlaneOf plane_of, SizeOf size_of,
                   SharingPlan& plan, std::vector<RouterConfig>& cfg) {
  std::size_t best = cands.size();
  GroupingCost bc;
  std::vector<RouterConfig> tmp;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (!pinned_kind(cands[i], pin, a.clusters())) continue;
    if (!build_routes(cands[i], a, planes, vertical, tmp).empty()) continue;
    const GroupingCost c = cost_of(cands[i], steps, a.clusters(), planes, list, plane_of, size_of);
    if (best == cands.size() || c.bottleneck < bc.bottleneck ||
        (c.bottleneck == bc.bottleneck && c.sends < bc.sends)) {
      best = i;
      bc = c;
    }
  }
  if (best == cands.size()) {
    if (pin != Sharing::Auto && pin != Sharing::Unicast)
      throw MappingError(std::string("the pinned sharing '") + to_string(pin) +
                         "' has no grouping " + "the routers can carry on this cluster array");
    best = 0;  // unicast always routes
    bc = cost_of(cands[0], steps, a.clusters(), planes, list, plane_of, size_of);
  }
  build_routes(cands[best], a, planes, vertical, cfg);
  plan.pattern = pattern_name(cands[best], a.clusters());
  plan.largest_group = cands[best].largest();
  plan.sends = bc.sends;
  plan.bottleneck = bc.bottleneck;
  // The layer's routers as one mode: broadcast if any router turns or both kinds occur.
  bool h = false, v = false;
  for (const RouterConfig& rc : cfg) {
    const RouterMode rm = rc.mode();
    h |= rm == RouterMode::HorizontalMulticast || rm == RouterMode::Broadcast;
    v |= rm == RouterMode::VerticalMulticast || rm == RouterMode::Broadcast;
  }
  const RouterMode m = h && v ? RouterMode::Broadcast
                       : v    ? RouterMode::VerticalMulticast
                       : h    ? RouterMode::HorizontalMulticast
                              : RouterMode::Unicast;
  plan.mode = to_string(m);
  return best;
}

// The GLB iact policy at one port: reuse a stored stream; else store it if it fits (evicting
// the least recently used streams not needed by the current step), else pass it straight on.
struct BankDir {
  struct Stored {
    StreamKey key;
    int64_t bits = 0;
    int step = 0;
  };
  std::vector<Stored> lru;  // front = least recently used
  int64_t used = 0;
};

void glb_policy(BankDir& dir, int64_t cap, StreamSend& s, NocProgram& noc) {
  for (std::size_t i = 0; i < dir.lru.size(); ++i)
    if (dir.lru[i].key == s.key) {
      BankDir::Stored hit = dir.lru[i];
      hit.step = s.step;  // it must survive this step's evictions
      dir.lru.erase(dir.lru.begin() + i);
      dir.lru.push_back(hit);
      s.from_bank = true;
      ++noc.streams_reused;
      return;
    }
  if (s.bits > cap) {
    ++noc.streams_passed;
    return;
  }
  // Streams stored or read in this step are still to be sent: only older ones may go.
  std::vector<StreamKey> evict;
  int64_t used = dir.used;
  std::size_t n = 0;
  while (used + s.bits > cap && n < dir.lru.size() && dir.lru[n].step != s.step)
    used -= dir.lru[n++].bits;
  if (used + s.bits > cap) {
    ++noc.streams_passed;
    return;
  }
  for (std::size_t i = 0; i < n; ++i) s.evict.push_back(dir.lru[i].key);
  dir.lru.erase(dir.lru.begin(), dir.lru.begin() + n);
  dir.used = used + s.bits;
  dir.lru.push_back({s.key, s.bits, s.step});
  s.store = true;
  ++noc.streams_stored;
}

}  // namespace

void plan_program(LayerProgram& prog, const ArchConfig& arch, const ActTensor& x) {
  const ArchConfig a = mode_arch(arch, prog.map.pe_mode);
  const Layer& l = prog.layer;
  NocProgram& noc = prog.noc;
  noc = NocProgram{};
  noc.signed_iacts = x.is_signed;
  const int P = a.pes_per_cluster(), rows = a.pe_rows, cols = a.pe_cols;
  noc.iact_ports.assign(std::size_t(a.clusters()) * a.glb_iact_banks, {});
  noc.weight_channels.assign(std::size_t(a.clusters()) * a.weight_routers, {});
  noc.pes.assign(std::size_t(a.clusters()) * P, {});
  noc.psum_routers.assign(std::size_t(a.clusters()) * a.psum_routers, {});
  noc.psum_banks.assign(std::size_t(a.clusters()) * a.glb_psum_banks, {});

  std::vector<StepNeeds> steps;
  for (std::size_t i = 0; i < prog.passes.size();) {
    std::size_t e = i;
    while (e < prog.passes.size() && prog.passes[e].step == prog.passes[i].step) ++e;
    steps.push_back(step_needs(prog, a, i, e));
    i = e;
  }

  // Sharing and the static router settings.
  const auto ig = iact_groupings(a);
  const auto wg = weight_groupings(a);
  const int wsegs = prog.window_segs;
  const std::size_t ich = choose(
      ig, prog.map.iact_sharing, a, a.iact_routers, true, steps, &StepNeeds::streams,
      [](const StreamNeed& s) { return s.bank; },
      [&](const StreamNeed& s) { return int64_t(s.fc - 1 + wsegs) * s.cc; }, noc.iact,
      noc.iact_routers);
  const std::size_t wch = choose(
      wg, prog.map.weight_sharing, a, a.weight_routers, false, steps, &StepNeeds::blocks,
      [](const BlockNeed& b) { return b.row; },
      [&](const BlockNeed& b) { return int64_t(b.mc) * b.cc * l.S; }, noc.weight,
      noc.weight_routers);
  const Grouping& igr = ig[ich];
  const Grouping& wgr = wg[wch];

  // Per step: stream sends at the roots' GLB ports (with the GLB policy), weight sends at the
  // roots' weight channels, PE passes, psum routers and psum bank reads.
  std::vector<BankDir> dirs(noc.iact_ports.size());
  std::vector<int16_t> v;
  std::vector<char> touched;
  for (const StepNeeds& sn : steps) {
    std::map<int, PortStep*> port_step;
    for (const StreamNeed& s : sn.streams) {
      int64_t bits = 0;
      for (int k = 0; k < s.fc - 1 + wsegs; ++k) {
        stream_segment(l, x, prog.seg_cols, s.key, s.cc, k, v);
        const int n = static_cast<int>(v.size());
        bits += iact_segment_bits(a, a.sparse ? csc_entries(v.data(), n, 1, a.max_count()) : n);
      }
      for_each_send(igr, s.clusters, s.bank, touched, [&](int, int plane, int root) {
        const int idx = root * a.glb_iact_banks + plane;
        PortStep*& ps = port_step[idx];
        if (!ps) {
          noc.iact_ports[idx].push_back({sn.step, {}});
          ps = &noc.iact_ports[idx].back();
        }
        StreamSend send;
        send.step = sn.step;
        send.key = s.key;
        send.cc = s.cc;
        send.fc = s.fc;
        send.bits = bits;
        glb_policy(dirs[idx], a.iact_bank_bits(), send, noc);
        ps->streams.push_back(std::move(send));
      });
    }
    for (const BlockNeed& b : sn.blocks)
      for_each_send(wgr, b.clusters, b.row, touched, [&](int, int plane, int root) {
        noc.weight_channels[root * a.weight_routers + plane].push_back(
            {sn.step, b.key, b.mc, b.cc});
      });
    for (std::size_t pi = sn.first; pi < sn.end; ++pi) {
      const Pass& pass = prog.passes[pi];
      const int span = prog.map.vr;
      for (int j = 0; j < cols; ++j) {
        const int ti = pass.col_task[j];
        if (ti < 0) continue;
        const RowTask& t = prog.tasks[ti];
        const RowKey rk{ti, t.n, t.e, t.f0, t.m_base, t.mc};
        // The psum chain of column j: up each cluster's column (bottom PE first), north
        // cluster first, handed south between clusters.
        bool has = !pass.first;
        for (int k = 0; k < span; ++k) {
          const int cl = pass.cluster + k * a.cluster_cols;
          PsumRouterPass rp;
          rp.step = sn.step;
          rp.source = k == 0 ? (has ? PsumSource::Glb : PsumSource::None)
                             : (has ? PsumSource::North : PsumSource::None);
          rp.rows_in = has ? t.fc : 0;
          if (k == 0 && has)
            noc.psum_banks[cl * a.glb_psum_banks + j].push_back({sn.step, rk, t.fc});
          for (int i = rows - 1; i >= 0; --i) {
            const int vi = k * rows + i;
            const int ii = pass.row_item[vi];
            PePass pp;
            pp.step = sn.step;
            pp.psum_in = has;
            pp.row = rk;
            if (ii >= 0) {
              const RedItem& it = prog.items[ii];
              pp.cfg.active = true;
              pp.cfg.sparse = a.sparse;  // the layer's PE mode (mode_arch)
              pp.cfg.mc = t.mc;
              pp.cfg.cc = it.cc;
              pp.cfg.S = l.S;
              pp.cfg.U = l.stride;
              pp.cfg.positions = t.fc;
              pp.iact = {t.n, t.g, it.c_base, t.e * l.stride + it.r - l.pad, t.f0};
              pp.weight = {t.g, t.m_base, it.c_base, it.r};
              has = true;
            }
            pp.rows = has ? t.fc : 0;
            if (pp.cfg.active || pp.rows > 0) noc.pes[cl * P + i * cols + j].push_back(pp);
          }
          rp.sink = !has           ? PsumSink::None
                    : k < span - 1 ? PsumSink::South
                    : pass.last    ? PsumSink::Offchip
                                   : PsumSink::Glb;
          rp.rows_out = has ? t.fc : 0;
          if (rp.sink == PsumSink::Offchip) noc.output_rows += t.fc;
          if (rp.rows_in > 0 || rp.rows_out > 0)
            noc.psum_routers[cl * a.psum_routers + j].push_back(rp);
        }
      }
    }
  }
}

}  // namespace eyeriss
