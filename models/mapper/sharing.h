// How clusters share iacts or weights over the hierarchical mesh: candidate groupings of the
// cluster array (unicast, grouped multicast, interleaved multicast, broadcast), the root that
// injects a group's packets on each router plane, and the static XY tree from that root to the
// group's members, as router settings. Pure C++ (models/mapper).
#pragma once
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "models/mapper/program.h"

namespace eyeriss {

struct Grouping {
  std::string name;                       // e.g. "vertical groups of 4"
  std::vector<int> group_of;              // per cluster
  std::vector<std::vector<int>> members;  // per group, column-major order
  std::vector<int> plane;  // per group: the only plane it may use (interleaved), or -1
  bool interleaved = false;
  int largest() const;
};

// Candidates, unicast first. Iacts: vertical runs, whole columns side by side, interleaved
// columns (one plane per interleaved group); weights: horizontal runs (no vertical links).
std::vector<Grouping> iact_groupings(const ArchConfig& a);
std::vector<Grouping> weight_groupings(const ArchConfig& a);

// The member whose GLB port injects group g's packets on `plane`.
int group_root(const Grouping& gr, int g, int plane);

// Calls fn(group, plane, root) once for every group of `gr` that holds one of `clusters`: the
// packets a stream or block needs to reach them, each injected at `root` on `plane` (the
// group's own plane if interleaved, else `plane`). `touched` is scratch space.
template <typename Fn>
void for_each_send(const Grouping& gr, const std::vector<int>& clusters, int plane,
                   std::vector<char>& touched, Fn&& fn) {
  touched.assign(gr.members.size(), 0);
  for (int cl : clusters) touched[gr.group_of[cl]] = 1;
  for (std::size_t gi = 0; gi < touched.size(); ++gi) {
    if (!touched[gi]) continue;
    const int g = static_cast<int>(gi), p = gr.plane[gi] >= 0 ? gr.plane[gi] : plane;
    fn(g, p, group_root(gr, g, p));
  }
}

// Adds the XY multicast tree from `root` to `members` (horizontal along the root's cluster row,
// then vertical) to the router settings of one plane (`cfg[cluster]`). Returns "" or what
// conflicts (an output already driven by another input: two trees cannot share a link).
std::string add_tree(std::vector<RouterConfig>& cfg, int plane, int planes, int root,
                     const std::vector<int>& members, int cols, bool vertical_links);

// The chip-level pattern name of a grouping ("unicast", "grouped multicast (up to 4
// clusters)", "interleaved multicast (...)", "broadcast").
std::string pattern_name(const Grouping& g, int clusters);

}  // namespace eyeriss
