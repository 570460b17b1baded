#include "models/mapper/sharing.h"

#include <algorithm>

namespace eyeriss {

namespace {

// Column-major order of a cluster (index row * cols + col): consecutive task groups fill down
// a cluster column first.
int cm_order(int cl, int rows, int cols) { return (cl % cols) * rows + cl / cols; }

Grouping make(const ArchConfig& a, std::string name, int (*key)(int r, int c, int p), int p,
              bool interleaved) {
  Grouping g;
  g.name = std::move(name);
  g.interleaved = interleaved;
  const int R = a.cluster_rows, C = a.cluster_cols;
  std::vector<int> keys;
  g.group_of.assign(a.clusters(), -1);
  std::vector<int> order(a.clusters());
  for (int i = 0; i < a.clusters(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](int x, int y) { return cm_order(x, R, C) < cm_order(y, R, C); });
  for (int cl : order) {
    const int k = key(cl / C, cl % C, p);
    auto it = std::find(keys.begin(), keys.end(), k);
    int gi = static_cast<int>(it - keys.begin());
    if (it == keys.end()) {
      keys.push_back(k);
      g.members.emplace_back();
      g.plane.push_back(-1);
    }
    g.group_of[cl] = gi;
    g.members[gi].push_back(cl);
  }
  return g;
}

}  // namespace

int Grouping::largest() const {
  std::size_t n = 1;
  for (const auto& m : members) n = std::max(n, m.size());
  return static_cast<int>(n);
}

std::vector<Grouping> iact_groupings(const ArchConfig& a) {
  const int R = a.cluster_rows, C = a.cluster_cols;
  std::vector<Grouping> v;
  v.push_back(make(
      a, "unicast", [](int r, int c, int) { return r * 65536 + c; }, 0, false));
  for (int k = 2; k <= R; ++k)
    if (R % k == 0)
      v.push_back(make(
          a, "vertical groups of " + std::to_string(k),
          [](int r, int c, int p) { return (r / p) * 65536 + c; }, k, false));
  for (int m = 2; m <= C; ++m)
    if (C % m == 0)
      v.push_back(make(
          a, std::to_string(m) + " whole columns per group",
          [](int, int c, int p) { return c / p; }, m, false));
  // Interleaved: rows r, r+p, r+2p ... of a column share; the p groups of a column cross each
  // other's routers, so each keeps to its own plane (p <= iact routers).
  for (int p = 2; p <= std::min(a.iact_routers, R / 2); ++p)
    if (R % p == 0) {
      Grouping g = make(
          a, "interleaved rows, stride " + std::to_string(p),
          [](int r, int c, int p) { return (r % p) * 65536 + c; }, p, true);
      for (std::size_t i = 0; i < g.members.size(); ++i) g.plane[i] = (g.members[i][0] / C) % p;
      v.push_back(std::move(g));
    }
  return v;
}

std::vector<Grouping> weight_groupings(const ArchConfig& a) {
  const int C = a.cluster_cols;
  std::vector<Grouping> v;
  v.push_back(make(
      a, "unicast", [](int r, int c, int) { return r * 65536 + c; }, 0, false));
  for (int m = 2; m <= C; ++m)
    if (C % m == 0)
      v.push_back(make(
          a, "horizontal groups of " + std::to_string(m),
          [](int r, int c, int p) { return r * 65536 + c / p; }, m, false));
  return v;
}

int group_root(const Grouping& gr, int g, int plane) {
  const auto& m = gr.members[g];
  return gr.interleaved ? m[0] : m[plane % m.size()];
}

std::string add_tree(std::vector<RouterConfig>& cfg, int plane, int planes, int root,
                     const std::vector<int>& members, int cols, bool vertical_links) {
  auto at = [&](int cl) -> RouterConfig& { return cfg[cl * planes + plane]; };
  auto drive = [&](int cl, Port in, Port out) -> std::string {
    RouterConfig& rc = at(cl);
    for (int i = 0; i < kPorts; ++i)
      if (i != static_cast<int>(in) && (rc.drive[i] & bit(out)))
        return "cluster " + std::to_string(cl) + " plane " + std::to_string(plane) + ": output " +
               to_string(out) + " is already driven from " + to_string(static_cast<Port>(i));
    rc.drive[static_cast<int>(in)] |= bit(out);
    return "";
  };
  const int rr = root / cols, rc = root % cols;
  for (int m : members) {
    const int mr = m / cols, mc = m % cols;
    if (mr != rr && !vertical_links)
      return "a member in another cluster row needs vertical links, which this network lacks";
    Port in = Port::Local;
    int r = rr, c = rc;
    // Horizontal along the root's row, then vertical in the member's column.
    while (c != mc) {
      const Port out = mc > c ? Port::E : Port::W;
      if (auto e = drive(r * cols + c, in, out); !e.empty()) return e;
      c += mc > c ? 1 : -1;
      in = out == Port::E ? Port::W : Port::E;
    }
    while (r != mr) {
      const Port out = mr > r ? Port::S : Port::N;
      if (auto e = drive(r * cols + c, in, out); !e.empty()) return e;
      r += mr > r ? 1 : -1;
      in = out == Port::S ? Port::N : Port::S;
    }
    if (auto e = drive(m, in, Port::Local); !e.empty()) return e;
  }
  return "";
}

std::string pattern_name(const Grouping& g, int clusters) {
  const int largest = g.largest();
  if (largest == 1) return "unicast";
  if (largest == clusters && g.members.size() == 1) return "broadcast";
  return std::string(g.interleaved ? "interleaved" : "grouped") + " multicast (" + g.name + ")";
}

}  // namespace eyeriss
