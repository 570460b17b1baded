// The hierarchical-mesh NoC (eyeriss-v2-facts.md, "Router cluster and hierarchical-mesh NoC"):
//  - NocModes: which outputs each per-layer router mode opens for a packet on each input
//    (noc/router_mode.h), and the mode names;
//  - XyTree: the static XY multicast tree the mapper sets up from a group's root to its members
//    (horizontal along the root's cluster row first, then vertical in each member's column), as
//    per-router drive sets (models/mapper/sharing.h), and the conflicts between trees on one
//    router plane;
//  - Grouping: the candidate groupings of the published 8 x 2 array for iacts and weights,
//    their roots per plane and their chip-level pattern names;
//  - MeshRouterCfg: which drive sets a mesh router accepts (no output or input without a
//    neighbour, no vertical links on a weight router, no output driven from two inputs), that a
//    rejected setting leaves the old one in place, and the mode the settings amount to;
//  - MeshWiring: the mesh between router clusters as Top builds it for several cluster arrays
//    (iact routers N/S/W/E, weight routers W/E only, psum routers north to south only, edge
//    ports unbound), the ports in use per router (4/4 in the published 8 x 2 array, 5/5 inside
//    wider arrays), the instance names, and, by socket identity after elaboration, that every
//    mesh link reaches the neighbour's matching input and no other, and that the local sides
//    (GLB bank / off-chip -> router -> PEs) are bound to the right blocks;
//  - PsumRouterCfg: a psum router refuses a pass list that needs a neighbour it lacks.
// Every SystemC elaboration (a Top, or routers built on their own) runs in a forked child
// (SystemC elaborates one design per process); gtest failures inside the child are printed by
// the child and fail the test.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <tlm_utils/multi_socket_bases.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "models/common/arch_config.h"
#include "models/mapper/program.h"
#include "models/mapper/sharing.h"
#include "models/top/top.h"
#include "noc/id_table.h"
#include "noc/mesh_router.h"
#include "noc/psum_router.h"
#include "noc/router_mode.h"
#include "testbench/tests/sc/block_harness.h"

namespace eyeriss {
namespace {

constexpr PortSet L = bit(Port::Local), N = bit(Port::N), S = bit(Port::S), W = bit(Port::W),
                  E = bit(Port::E);
constexpr Port kAllPorts[] = {Port::Local, Port::N, Port::S, Port::W, Port::E};
constexpr RouterMode kAllModes[] = {RouterMode::Unicast, RouterMode::HorizontalMulticast,
                                    RouterMode::VerticalMulticast, RouterMode::Broadcast};

std::string ports_str(PortSet s) {
  std::string r = "{";
  for (Port p : kAllPorts)
    if (s & bit(p)) r += std::string(r.size() > 1 ? "," : "") + to_string(p);
  return r + "}";
}

// A Top for a forked child. It is never destroyed: the child ends with _exit, and tearing down
// a large design costs SystemC quadratic time in its port registries.
Top& make_top(const ArchConfig& a) { return *new Top("top", a); }

using test::in_child;

// ---------------------------------------------------------------------------------------------
// NocModes

struct ModeRow {
  RouterMode mode;
  Port in;
  PortSet out;
};

// By hand from router_mode.h: unicast goes local -> local only; horizontal multicast takes
// packets from local/W/E to local + W + E; vertical multicast from local/N/S to local + N + S;
// broadcast from local/W/E to everything and from N/S to local + N + S (a vertical packet never
// turns horizontal). Never back out of the input port.
const ModeRow kModeTable[] = {
    {RouterMode::Unicast, Port::Local, L},
    {RouterMode::Unicast, Port::N, 0},
    {RouterMode::Unicast, Port::S, 0},
    {RouterMode::Unicast, Port::W, 0},
    {RouterMode::Unicast, Port::E, 0},
    {RouterMode::HorizontalMulticast, Port::Local, L | W | E},
    {RouterMode::HorizontalMulticast, Port::N, 0},
    {RouterMode::HorizontalMulticast, Port::S, 0},
    {RouterMode::HorizontalMulticast, Port::W, L | E},
    {RouterMode::HorizontalMulticast, Port::E, L | W},
    {RouterMode::VerticalMulticast, Port::Local, L | N | S},
    {RouterMode::VerticalMulticast, Port::N, L | S},
    {RouterMode::VerticalMulticast, Port::S, L | N},
    {RouterMode::VerticalMulticast, Port::W, 0},
    {RouterMode::VerticalMulticast, Port::E, 0},
    {RouterMode::Broadcast, Port::Local, L | N | S | W | E},
    {RouterMode::Broadcast, Port::N, L | S},
    {RouterMode::Broadcast, Port::S, L | N},
    {RouterMode::Broadcast, Port::W, L | N | S | E},
    {RouterMode::Broadcast, Port::E, L | N | S | W},
};

TEST(NocModes, AllowedOutputsTable) {
  int rows = 0;
  for (RouterMode m : kAllModes)
    for (Port in : kAllPorts) {
      int found = 0;
      for (const ModeRow& r : kModeTable) {
        if (r.mode != m || r.in != in) continue;
        ++found;
        EXPECT_EQ(ports_str(allowed_outputs(m, in)), ports_str(r.out))
            << "mode " << to_string(m) << ", input " << to_string(in);
      }
      EXPECT_EQ(found, 1) << "table row for " << to_string(m) << "/" << to_string(in);
      ++rows;
    }
  EXPECT_EQ(rows, 20);
}

TEST(NocModes, NeverBackOutOfTheInput) {
  for (RouterMode m : kAllModes)
    for (Port in : kAllPorts)
      if (in != Port::Local) {
        EXPECT_FALSE(allowed_outputs(m, in) & bit(in)) << to_string(m) << "/" << to_string(in);
      }
}

TEST(NocModes, ParseAcceptsTheFourNames) {
  EXPECT_EQ(parse_router_mode("unicast"), RouterMode::Unicast);
  EXPECT_EQ(parse_router_mode("horizontal_multicast"), RouterMode::HorizontalMulticast);
  EXPECT_EQ(parse_router_mode("vertical_multicast"), RouterMode::VerticalMulticast);
  EXPECT_EQ(parse_router_mode("broadcast"), RouterMode::Broadcast);
  for (RouterMode m : kAllModes) EXPECT_EQ(parse_router_mode(to_string(m)), m);
}

TEST(NocModes, ParseRejectsOthersListingTheNames) {
  for (const char* bad :
       {"", "Unicast", "multicast", "horizontal", "broadcast ", "grouped", "vertical-multicast"}) {
    try {
      parse_router_mode(bad);
      ADD_FAILURE() << "'" << bad << "' accepted";
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      for (const char* name :
           {"unicast", "horizontal_multicast", "vertical_multicast", "broadcast"})
        EXPECT_NE(msg.find(name), std::string::npos) << "'" << name << "' not in: " << msg;
      EXPECT_NE(msg.find("'" + std::string(bad) + "'"), std::string::npos) << msg;
    }
  }
}

TEST(NocModes, PortNames) {
  EXPECT_STREQ(to_string(Port::Local), "local");
  EXPECT_STREQ(to_string(Port::N), "north");
  EXPECT_STREQ(to_string(Port::S), "south");
  EXPECT_STREQ(to_string(Port::W), "west");
  EXPECT_STREQ(to_string(Port::E), "east");
}

// ---------------------------------------------------------------------------------------------
// Router settings: helpers

// Settings from (input, outputs) pairs.
RouterConfig drives(std::initializer_list<std::pair<Port, PortSet>> d) {
  RouterConfig c;
  for (const auto& [in, out] : d) c.drive[static_cast<int>(in)] |= out;
  return c;
}

// "west->{local,east} north->{south}", or "-" when nothing is driven.
std::string cfg_str(const RouterConfig& c) {
  std::string s;
  for (Port in : kAllPorts)
    if (c.drive[static_cast<int>(in)])
      s += std::string(s.empty() ? "" : " ") + to_string(in) + "->" +
           ports_str(c.drive[static_cast<int>(in)]);
  return s.empty() ? "-" : s;
}

// Expects `f` to raise an SC error (thrown as sc_report in a child) whose message holds every
// part of `parts` and none of `absent`.
void expect_sc_error(const std::function<void()>& f, const std::vector<std::string>& parts,
                     const std::vector<std::string>& absent = {}) {
  try {
    f();
    std::string all;
    for (const auto& p : parts) all += " '" + p + "'";
    ADD_FAILURE() << "no SystemC error; expected one mentioning" << all;
  } catch (const sc_core::sc_report& r) {
    const std::string msg = r.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
    for (const auto& p : absent)
      EXPECT_EQ(msg.find(p), std::string::npos) << "'" << p << "' in: " << msg;
  }
}

// ---------------------------------------------------------------------------------------------
// XyTree: add_tree on its own (pure C++, no SystemC). Cluster index = row * cols + col.

using Drives = std::map<int, RouterConfig>;  // cluster -> its expected settings on the plane

// Every entry of `cfg` (clusters x planes, [cluster * planes + plane]) is the expected one:
// `want` on `plane`, nothing anywhere else.
void expect_plane(const std::vector<RouterConfig>& cfg, int clusters, int planes, int plane,
                  const Drives& want) {
  ASSERT_EQ(cfg.size(), std::size_t(clusters) * planes);
  for (const auto& w : want) ASSERT_TRUE(w.first >= 0 && w.first < clusters) << w.first;
  for (int cl = 0; cl < clusters; ++cl)
    for (int p = 0; p < planes; ++p) {
      RouterConfig exp;
      if (p == plane)
        if (auto it = want.find(cl); it != want.end()) exp = it->second;
      EXPECT_EQ(cfg_str(cfg[std::size_t(cl) * planes + p]), cfg_str(exp))
          << "cluster " << cl << " plane " << p;
    }
}

// An XY tree never turns from vertical to horizontal and never leaves through the input it
// came in on: every drive set lies within what broadcast mode allows.
void expect_xy_turns_only(const std::vector<RouterConfig>& cfg) {
  for (std::size_t k = 0; k < cfg.size(); ++k)
    for (Port in : kAllPorts) {
      const PortSet d = cfg[k].drive[static_cast<int>(in)];
      EXPECT_EQ(d & PortSet(~allowed_outputs(RouterMode::Broadcast, in)), 0)
          << "entry " << k << ": " << to_string(in) << " drives " << ports_str(d);
    }
}

// One tree on empty settings of a rows x cols array; it must be accepted.
std::vector<RouterConfig> one_tree(int rows, int cols, int planes, int plane, int root,
                                   const std::vector<int>& members, bool vertical_links = true) {
  std::vector<RouterConfig> cfg(std::size_t(rows) * cols * planes);
  const std::string e = add_tree(cfg, plane, planes, root, members, cols, vertical_links);
  EXPECT_EQ(e, "") << "root " << root;
  expect_xy_turns_only(cfg);
  return cfg;
}

// 4 x 4: (1,1) = 5 is the root; its column holds 1, 9, 13.
TEST(XyTree, RootColumnOnly4x4) {
  // Members 1 (north), 5 (the root itself), 13 (two rows south): the root's GLB port feeds its
  // own PEs and both vertical legs; 9 passes the packet on south without taking it.
  expect_plane(one_tree(4, 4, 1, 0, 5, {1, 5, 13}), 16, 1, 0,
               {{5, drives({{Port::Local, L | N | S}})},
                {1, drives({{Port::S, L}})},
                {9, drives({{Port::N, S}})},
                {13, drives({{Port::N, L}})}});
  // The root not a member: it only forwards.
  expect_plane(one_tree(4, 4, 1, 0, 5, {9, 13}), 16, 1, 0,
               {{5, drives({{Port::Local, S}})},
                {9, drives({{Port::N, L | S}})},
                {13, drives({{Port::N, L}})}});
  expect_plane(one_tree(4, 4, 1, 0, 5, {1}), 16, 1, 0,
               {{5, drives({{Port::Local, N}})}, {1, drives({{Port::S, L}})}});
  expect_plane(one_tree(4, 4, 1, 0, 5, {5}), 16, 1, 0, {{5, drives({{Port::Local, L}})}});
}

TEST(XyTree, MemberInAnotherColumn4x4) {
  // Root 5 = (1,1). Member 7 = (1,3): east twice along row 1. Member 14 = (3,2): east once to
  // 6, which turns south; 10 passes it on, 14 takes it.
  expect_plane(one_tree(4, 4, 1, 0, 5, {7, 14}), 16, 1, 0,
               {{5, drives({{Port::Local, E}})},
                {6, drives({{Port::W, E | S}})},
                {7, drives({{Port::W, L}})},
                {10, drives({{Port::N, S}})},
                {14, drives({{Port::N, L}})}});
  // Member 8 = (2,0): west to 4 = (1,0), which turns south to 8.
  expect_plane(
      one_tree(4, 4, 1, 0, 5, {8}), 16, 1, 0,
      {{5, drives({{Port::Local, W}})}, {4, drives({{Port::E, S}})}, {8, drives({{Port::N, L}})}});
}

TEST(XyTree, MembersInEveryDirection4x4) {
  // Root 6 = (1,2); members 4 = (1,0), 1 = (0,1), 15 = (3,3), 11 = (2,3), 2 = (0,2).
  //  4: west via 5 (E->W) to 4 (E->L);
  //  1: west to 5, which also turns north (E->N), 1 takes it from the south (S->L);
  //  15: east to 7, which turns south (W->S); 11 passes it on (N->S); 15 takes it (N->L);
  //  11: same path, 11 also takes it (N->L);
  //  2: straight north from the root (L->N), 2 takes it (S->L).
  // The root itself is not a member: its own PEs get nothing.
  expect_plane(one_tree(4, 4, 1, 0, 6, {4, 1, 15, 11, 2}), 16, 1, 0,
               {{6, drives({{Port::Local, N | W | E}})},
                {5, drives({{Port::E, N | W}})},
                {4, drives({{Port::E, L}})},
                {1, drives({{Port::S, L}})},
                {7, drives({{Port::W, S}})},
                {11, drives({{Port::N, L | S}})},
                {15, drives({{Port::N, L}})},
                {2, drives({{Port::S, L}})}});
}

TEST(XyTree, PlaneIndexing) {
  // The same tree as RootColumnOnly4x4 on plane 2 of 3: entries [cluster * 3 + 2] only.
  expect_plane(one_tree(4, 4, 3, 2, 5, {1, 5, 13}), 16, 3, 2,
               {{5, drives({{Port::Local, L | N | S}})},
                {1, drives({{Port::S, L}})},
                {9, drives({{Port::N, S}})},
                {13, drives({{Port::N, L}})}});
}

// 8 x 2 (published): cluster index = row * 2 + col; column 0 holds the even clusters.
TEST(XyTree, Published8x2) {
  // "Vertical groups of 4", the group {1, 3, 5, 7} (column 1, rows 0-3) on plane 1 of 3: its
  // root there is the second member, 3 = (1,1). North to 1, south to 5 and on to 7; 9 (row 4,
  // the next group) gets nothing.
  expect_plane(one_tree(8, 2, 3, 1, 3, {1, 3, 5, 7}), 16, 3, 1,
               {{3, drives({{Port::Local, L | N | S}})},
                {1, drives({{Port::S, L}})},
                {5, drives({{Port::N, L | S}})},
                {7, drives({{Port::N, L}})}});
  // Broadcast from 0 = (0,0) to all 16 (column-major member order): down column 0, and east
  // to 1, which runs down column 1.
  Drives all = {{0, drives({{Port::Local, L | S | E}})},
                {1, drives({{Port::W, L | S}})},
                {14, drives({{Port::N, L}})},
                {15, drives({{Port::N, L}})}};
  for (int r = 1; r <= 6; ++r) {
    all[2 * r] = drives({{Port::N, L | S}});
    all[2 * r + 1] = drives({{Port::N, L | S}});
  }
  const std::vector<RouterConfig> b =
      one_tree(8, 2, 3, 0, 0, {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15}, true);
  expect_plane(b, 16, 3, 0, all);
  EXPECT_STREQ(to_string(b[0].mode()), "broadcast");
  EXPECT_STREQ(to_string(b[1 * 3].mode()), "broadcast");  // turns from W to S: only broadcast
  EXPECT_STREQ(to_string(b[2 * 3].mode()), "vertical_multicast");
  // From 7 = (3,1) to 6 = (3,0), 0 = (0,0), 14 = (7,0), 15 = (7,1): west to 6, which takes it
  // and runs both ways up and down column 0; the root also sends south down column 1.
  expect_plane(one_tree(8, 2, 1, 0, 7, {6, 0, 14, 15}), 16, 1, 0,
               {{7, drives({{Port::Local, W | S}})},
                {6, drives({{Port::E, L | N | S}})},
                {4, drives({{Port::S, N}})},
                {2, drives({{Port::S, N}})},
                {0, drives({{Port::S, L}})},
                {8, drives({{Port::N, S}})},
                {10, drives({{Port::N, S}})},
                {12, drives({{Port::N, S}})},
                {14, drives({{Port::N, L}})},
                {9, drives({{Port::N, S}})},
                {11, drives({{Port::N, S}})},
                {13, drives({{Port::N, S}})},
                {15, drives({{Port::N, L}})}});
}

TEST(XyTree, WeightNetworkStaysInTheRootRow) {
  // Weight routers link W/E only. Along the root's row: 6 = (3,0) to itself and 7 = (3,1).
  expect_plane(one_tree(8, 2, 3, 0, 6, {6, 7}, false), 16, 3, 0,
               {{6, drives({{Port::Local, L | E}})}, {7, drives({{Port::W, L}})}});
  expect_plane(one_tree(8, 2, 3, 2, 7, {6, 7}, false), 16, 3, 2,
               {{7, drives({{Port::Local, L | W}})}, {6, drives({{Port::E, L}})}});
  // A member in another cluster row cannot be reached.
  for (const std::vector<int>& members :
       {std::vector<int>{6, 9}, std::vector<int>{4}, std::vector<int>{6, 7, 14}}) {
    std::vector<RouterConfig> cfg(16 * 3);
    const std::string e = add_tree(cfg, 0, 3, 6, members, 2, false);
    EXPECT_NE(e, "") << "member " << members.back() << " accepted without vertical links";
    EXPECT_NE(e.find("vertical"), std::string::npos) << e;
  }
  // The same members are fine with vertical links.
  std::vector<RouterConfig> cfg(16 * 3);
  EXPECT_EQ(add_tree(cfg, 0, 3, 6, {6, 7, 14}, 2, true), "");
}

TEST(XyTree, TreesSharingAnOutputOnOnePlaneConflict) {
  // 4 x 4, plane 0. Root 5 to 7: 5 L->E, 6 W->E, 7 W->L. Root 6 to 7 then needs 6's east
  // output from its local input, which 6 already drives from the west.
  {
    std::vector<RouterConfig> cfg(16);
    ASSERT_EQ(add_tree(cfg, 0, 1, 5, {7}, 4, true), "");
    const std::string e = add_tree(cfg, 0, 1, 6, {7}, 4, true);
    EXPECT_NE(e, "");
    EXPECT_NE(e.find("east"), std::string::npos) << e;
    EXPECT_NE(e.find("cluster 6"), std::string::npos) << e;
    EXPECT_NE(e.find("west"), std::string::npos) << e << " (the input already driving it)";
  }
  // Roots 5 and 7 both reaching 6: 6's local output (its PE bus) from W and from E.
  {
    std::vector<RouterConfig> cfg(16);
    ASSERT_EQ(add_tree(cfg, 0, 1, 5, {6}, 4, true), "");
    const std::string e = add_tree(cfg, 0, 1, 7, {6}, 4, true);
    EXPECT_NE(e, "");
    EXPECT_NE(e.find("local"), std::string::npos) << e;
    EXPECT_NE(e.find("cluster 6"), std::string::npos) << e;
  }
  // The published interleaved groups of one column on one plane: {0, 4, 8, 12} from 0 makes
  // 2 pass the packet south (N->S); {2, 6, 10, 14} from 2 then needs 2's south output from its
  // local input.
  {
    std::vector<RouterConfig> cfg(16);
    ASSERT_EQ(add_tree(cfg, 0, 1, 0, {0, 4, 8, 12}, 2, true), "");
    const std::string e = add_tree(cfg, 0, 1, 2, {2, 6, 10, 14}, 2, true);
    EXPECT_NE(e, "");
    EXPECT_NE(e.find("south"), std::string::npos) << e;
    EXPECT_NE(e.find("cluster 2"), std::string::npos) << e;
  }
  // On different planes the same two trees do not meet.
  {
    std::vector<RouterConfig> cfg(16 * 2);
    EXPECT_EQ(add_tree(cfg, 0, 2, 5, {7}, 4, true), "");
    EXPECT_EQ(add_tree(cfg, 1, 2, 6, {7}, 4, true), "");
  }
}

TEST(XyTree, DisjointTreesShareAPlane) {
  // 4 x 4, plane 0: root 0 down to 4; root 2 to itself and east to 3; root 15 west along row
  // 3 to 12; and the two directions of the 5 <-> 6 link pair, 5 to 6 and 6 to 5 (different
  // outputs at each end: 5 drives E from local and local from E).
  std::vector<RouterConfig> cfg(16);
  EXPECT_EQ(add_tree(cfg, 0, 1, 0, {0, 4}, 4, true), "");
  EXPECT_EQ(add_tree(cfg, 0, 1, 2, {2, 3}, 4, true), "");
  EXPECT_EQ(add_tree(cfg, 0, 1, 15, {12, 15}, 4, true), "");
  EXPECT_EQ(add_tree(cfg, 0, 1, 5, {6}, 4, true), "");
  EXPECT_EQ(add_tree(cfg, 0, 1, 6, {5}, 4, true), "");
  expect_xy_turns_only(cfg);
  expect_plane(cfg, 16, 1, 0,
               {{0, drives({{Port::Local, L | S}})},
                {4, drives({{Port::N, L}})},
                {2, drives({{Port::Local, L | E}})},
                {3, drives({{Port::W, L}})},
                {15, drives({{Port::Local, L | W}})},
                {14, drives({{Port::E, W}})},
                {13, drives({{Port::E, W}})},
                {12, drives({{Port::E, L}})},
                {5, drives({{Port::Local, E}, {Port::E, L}})},
                {6, drives({{Port::W, L}, {Port::Local, W}})}});
  // Adding a tree again that is already there changes nothing.
  const std::vector<RouterConfig> before = cfg;
  EXPECT_EQ(add_tree(cfg, 0, 1, 0, {0, 4}, 4, true), "");
  for (std::size_t k = 0; k < cfg.size(); ++k) EXPECT_EQ(cfg_str(cfg[k]), cfg_str(before[k]));
}

// ---------------------------------------------------------------------------------------------
// Grouping: the candidates of the published 8 x 2 array (3 iact and 3 weight routers).

std::vector<std::string> names_of(const std::vector<Grouping>& v) {
  std::vector<std::string> n;
  for (const Grouping& g : v) n.push_back(g.name);
  return n;
}

// group_of and members agree, every cluster is in exactly one group.
void expect_consistent(const Grouping& g, int clusters) {
  ASSERT_EQ(g.group_of.size(), std::size_t(clusters)) << g.name;
  EXPECT_EQ(g.plane.size(), g.members.size()) << g.name;
  std::vector<int> seen(clusters, 0);
  for (std::size_t gi = 0; gi < g.members.size(); ++gi)
    for (int cl : g.members[gi]) {
      ASSERT_TRUE(cl >= 0 && cl < clusters) << g.name;
      ++seen[cl];
      EXPECT_EQ(g.group_of[cl], int(gi)) << g.name << ", cluster " << cl;
    }
  for (int cl = 0; cl < clusters; ++cl) EXPECT_EQ(seen[cl], 1) << g.name << ", cluster " << cl;
}

using Groups = std::vector<std::vector<int>>;

TEST(Grouping, IactCandidatesPublished8x2) {
  const ArchConfig a;  // published: 8 x 2 clusters, 3 iact routers
  ASSERT_EQ(a.cluster_rows, 8);
  ASSERT_EQ(a.cluster_cols, 2);
  ASSERT_EQ(a.iact_routers, 3);
  const std::vector<Grouping> v = iact_groupings(a);
  // Vertical runs of k | 8 rows (2, 4, 8); whole columns m | 2 (2); interleaved strides
  // 2 .. min(3 routers, 8 / 2) dividing 8: only 2 (8 % 3 != 0).
  EXPECT_EQ(names_of(v),
            (std::vector<std::string>{"unicast", "vertical groups of 2", "vertical groups of 4",
                                      "vertical groups of 8", "2 whole columns per group",
                                      "interleaved rows, stride 2"}));
  ASSERT_EQ(v.size(), 6u);
  for (const Grouping& g : v) expect_consistent(g, 16);
  // Groups are numbered in column-major order of their first member (column 0 = even
  // clusters, top to bottom, then column 1).
  Groups uni;
  for (int cl : {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15}) uni.push_back({cl});
  EXPECT_EQ(v[0].members, uni);
  EXPECT_EQ(v[1].members,
            (Groups{{0, 2}, {4, 6}, {8, 10}, {12, 14}, {1, 3}, {5, 7}, {9, 11}, {13, 15}}));
  EXPECT_EQ(v[2].members, (Groups{{0, 2, 4, 6}, {8, 10, 12, 14}, {1, 3, 5, 7}, {9, 11, 13, 15}}));
  EXPECT_EQ(v[3].members, (Groups{{0, 2, 4, 6, 8, 10, 12, 14}, {1, 3, 5, 7, 9, 11, 13, 15}}));
  EXPECT_EQ(v[4].members, (Groups{{0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15}}));
  // Stride 2: rows 0, 2, 4, 6 and rows 1, 3, 5, 7 of each column.
  EXPECT_EQ(v[5].members, (Groups{{0, 4, 8, 12}, {2, 6, 10, 14}, {1, 5, 9, 13}, {3, 7, 11, 15}}));
  EXPECT_EQ(v[1].group_of[9], 6);
  EXPECT_EQ(v[2].group_of[10], 1);
  EXPECT_EQ(v[5].group_of[11], 3);
  // Only the interleaved groups are pinned to a plane: the even-row groups to plane 0, the
  // odd-row groups to plane 1.
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_FALSE(v[i].interleaved) << v[i].name;
    for (int p : v[i].plane) EXPECT_EQ(p, -1) << v[i].name;
  }
  EXPECT_TRUE(v[5].interleaved);
  EXPECT_EQ(v[5].plane, (std::vector<int>{0, 1, 0, 1}));
  EXPECT_EQ(v[0].largest(), 1);
  EXPECT_EQ(v[1].largest(), 2);
  EXPECT_EQ(v[2].largest(), 4);
  EXPECT_EQ(v[3].largest(), 8);
  EXPECT_EQ(v[4].largest(), 16);
  EXPECT_EQ(v[5].largest(), 4);
}

TEST(Grouping, WeightCandidatesPublished8x2) {
  const ArchConfig a;
  const std::vector<Grouping> v = weight_groupings(a);
  // Horizontal runs of m | 2 clusters only (no vertical links).
  EXPECT_EQ(names_of(v), (std::vector<std::string>{"unicast", "horizontal groups of 2"}));
  ASSERT_EQ(v.size(), 2u);
  for (const Grouping& g : v) {
    expect_consistent(g, 16);
    EXPECT_FALSE(g.interleaved) << g.name;
  }
  EXPECT_EQ(v[1].members,
            (Groups{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}, {10, 11}, {12, 13}, {14, 15}}));
  EXPECT_EQ(v[1].group_of[13], 6);
}

TEST(Grouping, RootsPublished8x2) {
  const ArchConfig a;
  const std::vector<Grouping> iact = iact_groupings(a);
  ASSERT_EQ(iact.size(), 6u);
  // Unicast: each cluster is its own root on every plane.
  for (int p = 0; p < 3; ++p) EXPECT_EQ(group_root(iact[0], 9, p), 3) << p;  // group 9 = {3}
  // Not interleaved: plane p injects at member p (mod the group size).
  EXPECT_EQ(group_root(iact[1], 4, 0), 1);  // {1, 3}
  EXPECT_EQ(group_root(iact[1], 4, 1), 3);
  EXPECT_EQ(group_root(iact[1], 4, 2), 1);
  EXPECT_EQ(group_root(iact[2], 1, 0), 8);  // {8, 10, 12, 14}
  EXPECT_EQ(group_root(iact[2], 1, 1), 10);
  EXPECT_EQ(group_root(iact[2], 1, 2), 12);
  EXPECT_EQ(group_root(iact[4], 0, 0), 0);  // all 16, column-major
  EXPECT_EQ(group_root(iact[4], 0, 1), 2);
  EXPECT_EQ(group_root(iact[4], 0, 2), 4);
  // Interleaved: the first member, whatever the plane.
  for (int p = 0; p < 3; ++p) {
    EXPECT_EQ(group_root(iact[5], 1, p), 2) << p;  // {2, 6, 10, 14}
    EXPECT_EQ(group_root(iact[5], 2, p), 1) << p;  // {1, 5, 9, 13}
  }
  const std::vector<Grouping> w = weight_groupings(a);
  EXPECT_EQ(group_root(w[1], 3, 0), 6);  // {6, 7}
  EXPECT_EQ(group_root(w[1], 3, 1), 7);
  EXPECT_EQ(group_root(w[1], 3, 2), 6);
}

TEST(Grouping, PatternNamesPublished8x2) {
  const ArchConfig a;
  const std::vector<Grouping> iact = iact_groupings(a), w = weight_groupings(a);
  ASSERT_EQ(iact.size(), 6u);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(pattern_name(iact[0], 16), "unicast");
  EXPECT_EQ(pattern_name(iact[1], 16), "grouped multicast (vertical groups of 2)");
  EXPECT_EQ(pattern_name(iact[2], 16), "grouped multicast (vertical groups of 4)");
  EXPECT_EQ(pattern_name(iact[3], 16), "grouped multicast (vertical groups of 8)");
  EXPECT_EQ(pattern_name(iact[4], 16), "broadcast");  // one group of all 16 clusters
  EXPECT_EQ(pattern_name(iact[5], 16), "interleaved multicast (interleaved rows, stride 2)");
  EXPECT_EQ(pattern_name(w[0], 16), "unicast");
  EXPECT_EQ(pattern_name(w[1], 16), "grouped multicast (horizontal groups of 2)");
}

// Every candidate's trees, on every plane it may use, fit together (as the mapper builds them).
std::string build_all(const Grouping& g, int clusters, int planes, int cols, bool vertical,
                      std::vector<RouterConfig>& cfg) {
  cfg.assign(std::size_t(clusters) * planes, RouterConfig{});
  for (int p = 0; p < planes; ++p)
    for (std::size_t gi = 0; gi < g.members.size(); ++gi) {
      if (g.plane[gi] >= 0 && g.plane[gi] != p) continue;
      const std::string e =
          add_tree(cfg, p, planes, group_root(g, int(gi), p), g.members[gi], cols, vertical);
      if (!e.empty()) return e;
    }
  return "";
}

TEST(Grouping, EveryCandidateRoutesPublished8x2) {
  const ArchConfig a;
  std::vector<RouterConfig> cfg;
  for (const Grouping& g : iact_groupings(a)) {
    EXPECT_EQ(build_all(g, 16, 3, 2, true, cfg), "") << g.name;
    expect_xy_turns_only(cfg);
  }
  for (const Grouping& g : weight_groupings(a)) {
    EXPECT_EQ(build_all(g, 16, 3, 2, false, cfg), "") << g.name;
    for (const RouterConfig& rc : cfg)
      for (Port in : kAllPorts)
        EXPECT_EQ(rc.drive[static_cast<int>(in)] & (N | S), 0) << g.name << ": " << cfg_str(rc);
  }
  // The interleaved groups by hand. Plane 0: {0, 4, 8, 12} from 0 down column 0, the odd rows
  // passing it on; {1, 5, 9, 13} from 1 the same way down column 1. Plane 1: {2, 6, 10, 14}
  // from 2 and {3, 7, 11, 15} from 3; rows 0 see nothing. Plane 2 is unused.
  const Grouping inter = iact_groupings(a)[5];
  ASSERT_EQ(build_all(inter, 16, 3, 2, true, cfg), "");
  Drives p0, p1;
  for (int c = 0; c < 2; ++c) {
    p0[c] = drives({{Port::Local, L | S}});
    for (int r = 1; r <= 5; ++r) p0[2 * r + c] = drives({{Port::N, r % 2 ? S : L | S}});
    p0[12 + c] = drives({{Port::N, L}});
    p1[2 + c] = drives({{Port::Local, L | S}});
    for (int r = 2; r <= 6; ++r) p1[2 * r + c] = drives({{Port::N, r % 2 ? L | S : S}});
    p1[14 + c] = drives({{Port::N, L}});
  }
  std::vector<RouterConfig> only0 = cfg, only1 = cfg;
  for (int cl = 0; cl < 16; ++cl) {
    only0[cl * 3 + 1] = only0[cl * 3 + 2] = RouterConfig{};
    only1[cl * 3 + 0] = only1[cl * 3 + 2] = RouterConfig{};
    EXPECT_FALSE(cfg[cl * 3 + 2].used()) << "plane 2, cluster " << cl;
  }
  expect_plane(only0, 16, 3, 0, p0);
  expect_plane(only1, 16, 3, 1, p1);
}

// ---------------------------------------------------------------------------------------------
// MeshRouterCfg: routers built on their own in a child (no Top), configured during elaboration,
// and the routers of a Top configured after elaboration.

// Configures `r` with `c`, which it must accept; then checks the settings and the mode.
void expect_accepts(MeshRouter& r, const RouterConfig& c, RouterMode mode) {
  try {
    r.configure(c);
  } catch (const sc_core::sc_report& e) {
    ADD_FAILURE() << r.name() << " rejected " << cfg_str(c) << ": " << e.what();
    return;
  }
  EXPECT_EQ(cfg_str(r.config()), cfg_str(c)) << r.name();
  EXPECT_STREQ(to_string(r.mode()), to_string(mode)) << r.name() << ": " << cfg_str(c);
}

// Configures `r` with `c`, which it must reject with an SC error naming the router and every
// part; the settings it had stay.
void expect_rejects(MeshRouter& r, const RouterConfig& c, const std::vector<std::string>& parts) {
  const RouterConfig before = r.config();
  const RouterMode mode = r.mode();
  std::vector<std::string> all = parts;
  all.push_back(r.name());
  all.push_back("configuration rejected");
  expect_sc_error([&] { r.configure(c); }, all);
  EXPECT_EQ(cfg_str(r.config()), cfg_str(before))
      << r.name() << ": the rejected " << cfg_str(c) << " was applied";
  EXPECT_STREQ(to_string(r.mode()), to_string(mode)) << r.name();
}

TEST(MeshRouterCfg, InnerIactRouterTakesEverySettingSomeModeAllows) {
  in_child([] {
    const ArchConfig a = [] {
      ArchConfig x;
      x.cluster_rows = 4;
      x.cluster_cols = 4;
      return x;
    }();
    MeshRouter r("iact_1_1", MeshPosition{1, 1, 4, 4}, RouterParams::iact(a));
    for (Port p : kAllPorts) EXPECT_TRUE(r.has_neighbour(p)) << to_string(p);
    EXPECT_EQ(cfg_str(r.config()), "-");
    EXPECT_EQ(r.mode(), RouterMode::Unicast);
    // The mode: the narrowest one whose muxes allow every input's outputs (router_mode.h:
    // unicast only local -> local; horizontal multicast from local/W/E to local/W/E;
    // vertical multicast from local/N/S to local/N/S; broadcast also turns W/E to N/S).
    expect_accepts(r, drives({{Port::Local, L}}), RouterMode::Unicast);
    expect_accepts(r, drives({{Port::W, L}}), RouterMode::HorizontalMulticast);  // a chain's end
    expect_accepts(r, drives({{Port::Local, L | W | E}}), RouterMode::HorizontalMulticast);
    expect_accepts(r, drives({{Port::E, L | W}}), RouterMode::HorizontalMulticast);
    expect_accepts(r, drives({{Port::N, L | S}}), RouterMode::VerticalMulticast);
    expect_accepts(r, drives({{Port::W, N | S}}), RouterMode::Broadcast);  // turning
    expect_accepts(r, drives({{Port::Local, L | N | S | W | E}}), RouterMode::Broadcast);
    expect_accepts(r, drives({{Port::W, L | N | E}, {Port::E, S | W}}), RouterMode::Broadcast);
    // Every output from a different input (four pass-throughs and the local loop).
    expect_accepts(
        r, drives({{Port::Local, L}, {Port::N, S}, {Port::S, N}, {Port::W, E}, {Port::E, W}}),
        RouterMode::Broadcast);
    expect_accepts(r, RouterConfig{}, RouterMode::Unicast);
  });
}

TEST(MeshRouterCfg, EdgeIactRoutersRejectMissingNeighbours) {
  in_child([] {
    ArchConfig a;
    a.cluster_rows = 4;
    a.cluster_cols = 4;
    MeshRouter nw("iact_0_0", MeshPosition{0, 0, 4, 4}, RouterParams::iact(a));
    MeshRouter se("iact_3_3", MeshPosition{3, 3, 4, 4}, RouterParams::iact(a));
    EXPECT_FALSE(nw.has_neighbour(Port::N));
    EXPECT_FALSE(nw.has_neighbour(Port::W));
    EXPECT_TRUE(nw.has_neighbour(Port::S));
    EXPECT_TRUE(nw.has_neighbour(Port::E));
    EXPECT_TRUE(nw.has_neighbour(Port::Local));
    expect_accepts(nw, drives({{Port::Local, L | S | E}}), RouterMode::Broadcast);
    expect_rejects(nw, drives({{Port::Local, N}}), {"output north"});
    expect_rejects(nw, drives({{Port::Local, L | W}}), {"output west"});
    expect_rejects(nw, drives({{Port::S, N}}), {"output north"});
    expect_rejects(nw, drives({{Port::N, L}}), {"input north"});
    expect_rejects(nw, drives({{Port::W, E}}), {"input west"});
    // A packet travelling vertically never turns horizontal: no mode allows S -> E.
    expect_rejects(nw, drives({{Port::E, L | S}, {Port::S, E}}), {"no router mode allows"});
    expect_accepts(nw, drives({{Port::E, L | S}}), RouterMode::Broadcast);
    expect_accepts(se, drives({{Port::W, L | N}}), RouterMode::Broadcast);
    expect_rejects(se, drives({{Port::Local, S}}), {"output south"});
    expect_rejects(se, drives({{Port::W, E}}), {"output east"});
    expect_rejects(se, drives({{Port::S, L}}), {"input south"});
    expect_rejects(se, drives({{Port::E, L}}), {"input east"});
    // The published array: (7,1) is the south-east corner, (0,0) the north-west.
    const ArchConfig pub;
    MeshRouter c71("iact_7_1", MeshPosition{7, 1, 8, 2}, RouterParams::iact(pub));
    expect_accepts(c71, drives({{Port::W, L | N}}), RouterMode::Broadcast);
    expect_rejects(c71, drives({{Port::N, S}}), {"output south"});
    expect_rejects(c71, drives({{Port::Local, E}}), {"output east"});
    // A single cluster has no mesh neighbours at all.
    MeshRouter one("iact_single", MeshPosition{0, 0, 1, 1}, RouterParams::iact(a));
    expect_accepts(one, drives({{Port::Local, L}}), RouterMode::Unicast);
    for (Port p : {Port::N, Port::S, Port::W, Port::E}) {
      expect_rejects(one, drives({{Port::Local, bit(p)}}), {std::string("output ") + to_string(p)});
      expect_rejects(one, drives({{p, L}}), {std::string("input ") + to_string(p)});
    }
  });
}

TEST(MeshRouterCfg, WeightRoutersHaveNoVerticalLinks) {
  in_child([] {
    const ArchConfig pub;  // 8 x 2
    // (3,0): an inner row, so only the missing vertical links stop N/S.
    MeshRouter w("weight_3_0", MeshPosition{3, 0, 8, 2}, RouterParams::weight(pub));
    EXPECT_FALSE(w.has_neighbour(Port::N));
    EXPECT_FALSE(w.has_neighbour(Port::S));
    EXPECT_FALSE(w.has_neighbour(Port::W));
    EXPECT_TRUE(w.has_neighbour(Port::E));
    expect_accepts(w, drives({{Port::Local, L | E}}), RouterMode::HorizontalMulticast);
    expect_rejects(w, drives({{Port::Local, L | S}}), {"output south", "vertical links"});
    expect_rejects(w, drives({{Port::E, N}}), {"output north", "vertical links"});
    expect_rejects(w, drives({{Port::N, L}}), {"input north"});
    expect_rejects(w, drives({{Port::S, E}}), {"input south"});
    expect_rejects(w, drives({{Port::Local, W}}), {"output west"});
    expect_accepts(w, drives({{Port::E, L}}), RouterMode::HorizontalMulticast);
    MeshRouter w1("weight_3_1", MeshPosition{3, 1, 8, 2}, RouterParams::weight(pub));
    expect_accepts(w1, drives({{Port::W, L}}), RouterMode::HorizontalMulticast);
    expect_accepts(w1, drives({{Port::Local, L | W}}), RouterMode::HorizontalMulticast);
    expect_rejects(w1, drives({{Port::Local, L | W | E}}), {"output east"});
    // The iact router at the same place has the vertical links.
    MeshRouter i("iact_3_0", MeshPosition{3, 0, 8, 2}, RouterParams::iact(pub));
    expect_accepts(i, drives({{Port::Local, L | N | S}}), RouterMode::VerticalMulticast);
  });
}

TEST(MeshRouterCfg, OneOutputIsDrivenFromOneInput) {
  in_child([] {
    ArchConfig a;
    a.cluster_rows = 4;
    a.cluster_cols = 4;
    MeshRouter r("iact_1_2", MeshPosition{1, 2, 4, 4}, RouterParams::iact(a));
    expect_accepts(r, drives({{Port::W, E | S}, {Port::Local, N}}), RouterMode::Broadcast);
    expect_rejects(r, drives({{Port::Local, E}, {Port::W, E}}), {"two inputs"});
    expect_rejects(r, drives({{Port::N, L}, {Port::S, L}}), {"two inputs"});
    expect_rejects(r, drives({{Port::Local, L}, {Port::E, L | W}}), {"two inputs"});
    expect_rejects(r, drives({{Port::W, L | S}, {Port::E, S}}), {"two inputs"});
    expect_rejects(r, drives({{Port::Local, L | N | S | W | E}, {Port::N, S}}), {"two inputs"});
    // Both directions through the router at once are separate outputs.
    expect_accepts(r, drives({{Port::N, S}, {Port::S, N}, {Port::W, E}, {Port::E, W}}),
                   RouterMode::Broadcast);
  });
}

TEST(MeshRouterCfg, TopRoutersAfterElaboration) {
  in_child([] {
    const ArchConfig a;  // 8 x 2
    Top& top = *new Top("top", a);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    MeshRouter& i31 = *top.group(3, 1).router.iact[1];
    expect_accepts(i31, drives({{Port::W, L | N | S}}), RouterMode::Broadcast);
    expect_rejects(i31, drives({{Port::Local, E}}), {"output east"});
    MeshRouter& w00 = *top.group(0, 0).router.weight[2];
    expect_accepts(w00, drives({{Port::Local, L | E}}), RouterMode::HorizontalMulticast);
    expect_rejects(w00, drives({{Port::Local, S}}), {"output south", "vertical links"});
    // Every candidate grouping's trees, as the mapper builds them, are settings the routers
    // take (iact on the iact routers, weight on the weight routers; [cluster * 3 + plane]).
    std::vector<RouterConfig> cfg;
    for (const Grouping& g : iact_groupings(a)) {
      ASSERT_EQ(build_all(g, 16, 3, 2, true, cfg), "") << g.name;
      for (int cl = 0; cl < 16; ++cl)
        for (int p = 0; p < 3; ++p) {
          MeshRouter& r = *top.group(cl / 2, cl % 2).router.iact[p];
          EXPECT_NO_THROW(r.configure(cfg[cl * 3 + p])) << g.name << ": " << r.name();
          EXPECT_EQ(cfg_str(r.config()), cfg_str(cfg[cl * 3 + p])) << g.name << ": " << r.name();
        }
    }
    for (const Grouping& g : weight_groupings(a)) {
      ASSERT_EQ(build_all(g, 16, 3, 2, false, cfg), "") << g.name;
      for (int cl = 0; cl < 16; ++cl)
        for (int p = 0; p < 3; ++p) {
          MeshRouter& r = *top.group(cl / 2, cl % 2).router.weight[p];
          EXPECT_NO_THROW(r.configure(cfg[cl * 3 + p])) << g.name << ": " << r.name();
        }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// MeshWiring

ArchConfig arch_of(int rows, int cols) {
  ArchConfig a;
  a.name = "wiring_" + std::to_string(rows) + "x" + std::to_string(cols);
  a.cluster_rows = rows;
  a.cluster_cols = cols;
  return a;
}

std::string where(int r, int c, const char* what, int i) {
  return "cluster (" + std::to_string(r) + "," + std::to_string(c) + ") " + what +
         std::to_string(i);
}

// Mesh output ports bound per direction, and counts of the router vectors, for every cluster.
void check_bindings(Top& top, const ArchConfig& a) {
  ASSERT_EQ(top.groups.size(), std::size_t(a.clusters()));
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c) {
      ClusterGroup& g = top.group(r, c);
      RouterCluster& rc = g.router;
      ASSERT_EQ(rc.iact.size(), 3u);
      ASSERT_EQ(rc.weight.size(), 3u);
      ASSERT_EQ(rc.psum.size(), 4u);
      ASSERT_EQ(g.pe_cluster.pes.size(), 12u);
      const unsigned n = r > 0, s = r + 1 < a.cluster_rows, w = c > 0, e = c + 1 < a.cluster_cols;
      for (int i = 0; i < 3; ++i) {
        MeshRouter& ir = *rc.iact[i];
        const std::string at = where(r, c, "iact", i);
        EXPECT_EQ(ir.position().row, r) << at;
        EXPECT_EQ(ir.position().col, c) << at;
        EXPECT_EQ(ir.position().rows, a.cluster_rows) << at;
        EXPECT_EQ(ir.position().cols, a.cluster_cols) << at;
        EXPECT_EQ(ir.to_n.size(), n) << at;
        EXPECT_EQ(ir.to_s.size(), s) << at;
        EXPECT_EQ(ir.to_w.size(), w) << at;
        EXPECT_EQ(ir.to_e.size(), e) << at;
        EXPECT_EQ(ir.to_pe.size(), 12u) << at << ": all 12 PEs of the cluster";
        EXPECT_EQ(ir.has_neighbour(Port::N), bool(n)) << at;
        EXPECT_EQ(ir.has_neighbour(Port::S), bool(s)) << at;
        EXPECT_EQ(ir.has_neighbour(Port::W), bool(w)) << at;
        EXPECT_EQ(ir.has_neighbour(Port::E), bool(e)) << at;
        MeshRouter& wr = *rc.weight[i];
        const std::string wat = where(r, c, "weight", i);
        EXPECT_EQ(wr.position().row, r) << wat;
        EXPECT_EQ(wr.position().col, c) << wat;
        EXPECT_EQ(wr.to_w.size(), w) << wat;
        EXPECT_EQ(wr.to_e.size(), e) << wat;
        EXPECT_EQ(wr.to_n.size(), 0u) << wat << ": weight routers have no vertical links";
        EXPECT_EQ(wr.to_s.size(), 0u) << wat << ": weight routers have no vertical links";
        EXPECT_EQ(wr.to_pe.size(), 4u) << wat << ": one PE row";
        EXPECT_FALSE(wr.has_neighbour(Port::N)) << wat;
        EXPECT_FALSE(wr.has_neighbour(Port::S)) << wat;
        EXPECT_THROW(wr.configure(drives({{Port::Local, S}})), sc_core::sc_report) << wat;
        EXPECT_EQ(cfg_str(wr.config()), "-") << wat;
      }
      for (int j = 0; j < 4; ++j) {
        PsumRouter& pr = *rc.psum[j];
        EXPECT_EQ(pr.to_south.size(), s) << where(r, c, "psum", j);
      }
    }
}

// Ports in use, counting the local side: outputs = link to the PEs + bound mesh outputs;
// inputs = the local GLB-cluster port (always fed: GLB bank or off-chip) + each neighbour whose
// output facing this router is bound (check_links shows those links arrive here).
int outputs_in_use(MeshRouter& m) {
  return int(m.to_pe.size() > 0) +
         int(m.to_n.size() + m.to_s.size() + m.to_w.size() + m.to_e.size());
}

int inputs_in_use(Top& top, const ArchConfig& a, int r, int c, int i, bool iact) {
  auto rt = [&](int rr, int cc) -> MeshRouter& {
    RouterCluster& rc = top.group(rr, cc).router;
    return iact ? *rc.iact[i] : *rc.weight[i];
  };
  int k = 1;
  if (r > 0) k += int(rt(r - 1, c).to_s.size());
  if (r + 1 < a.cluster_rows) k += int(rt(r + 1, c).to_n.size());
  if (c > 0) k += int(rt(r, c - 1).to_e.size());
  if (c + 1 < a.cluster_cols) k += int(rt(r, c + 1).to_w.size());
  return k;
}

// Expected ports in use (inputs = outputs) of an iact / weight router at (r, c).
int expected_ports(const ArchConfig& a, int r, int c, bool iact) {
  int k = 1 + (c > 0) + (c + 1 < a.cluster_cols);
  if (iact) k += (r > 0) + (r + 1 < a.cluster_rows);
  return k;
}

void check_port_use(Top& top, const ArchConfig& a) {
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c)
      for (int i = 0; i < 3; ++i) {
        RouterCluster& rc = top.group(r, c).router;
        EXPECT_EQ(outputs_in_use(*rc.iact[i]), expected_ports(a, r, c, true))
            << where(r, c, "iact", i);
        EXPECT_EQ(inputs_in_use(top, a, r, c, i, true), expected_ports(a, r, c, true))
            << where(r, c, "iact", i);
        EXPECT_EQ(outputs_in_use(*rc.weight[i]), expected_ports(a, r, c, false))
            << where(r, c, "weight", i);
        EXPECT_EQ(inputs_in_use(top, a, r, c, i, false), expected_ports(a, r, c, false))
            << where(r, c, "weight", i);
      }
}

template <typename T>
void expect_named(const std::string& name, T* obj) {
  sc_core::sc_object* found = sc_core::sc_find_object(name.c_str());
  EXPECT_NE(found, nullptr) << name << " not found";
  EXPECT_EQ(found, static_cast<sc_core::sc_object*>(obj)) << name << " is another object";
}

void check_names(Top& top, const ArchConfig& a) {
  expect_named("top", &top);
  expect_named("top.offchip", &top.offchip);
  expect_named("top.controller", &top.controller);
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c) {
      ClusterGroup& g = top.group(r, c);
      const std::string cg = "top.cg_r" + std::to_string(r) + "_c" + std::to_string(c);
      expect_named(cg, &g);
      expect_named(cg + ".router", &g.router);
      expect_named(cg + ".glb", &g.glb);
      expect_named(cg + ".pe_cluster", &g.pe_cluster);
      for (int i = 0; i < 3; ++i) {
        expect_named(cg + ".router.iact" + std::to_string(i), g.router.iact[i].get());
        expect_named(cg + ".router.weight" + std::to_string(i), g.router.weight[i].get());
        expect_named(cg + ".glb.iact" + std::to_string(i), g.glb.iact[i].get());
      }
      for (int j = 0; j < 4; ++j) {
        expect_named(cg + ".router.psum" + std::to_string(j), g.router.psum[j].get());
        expect_named(cg + ".glb.psum" + std::to_string(j), g.glb.psum[j].get());
      }
      for (int pi = 0; pi < 3; ++pi)
        for (int pj = 0; pj < 4; ++pj)
          expect_named(cg + ".pe_cluster.pe_r" + std::to_string(pi) + "_c" + std::to_string(pj),
                       &g.pe_cluster.pe(pi, pj));
    }
  const std::string past_rows = "top.cg_r" + std::to_string(a.cluster_rows) + "_c0";
  const std::string past_cols = "top.cg_r0_c" + std::to_string(a.cluster_cols);
  EXPECT_EQ(sc_core::sc_find_object(past_rows.c_str()), nullptr) << past_rows;
  EXPECT_EQ(sc_core::sc_find_object(past_cols.c_str()), nullptr) << past_cols;
}

// The callback binders of a multi target socket: one per initiator bound to it (the one made
// when the callbacks were registered is taken by the first binding); what an initiator bound
// to it calls on the forward path is its binder.
template <typename Socket>
std::vector<tlm_utils::callback_binder_fw<tlm::tlm_base_protocol_types>*>& fw_binders(Socket& s) {
  return static_cast<tlm_utils::multi_target_base_if<>&>(s).get_binders();
}
// What an initiator bound to a (simple) target socket reaches on the forward path.
tlm::tlm_fw_transport_if<>* fw_of(sc_core::sc_export<tlm::tlm_fw_transport_if<>>& target) {
  return dynamic_cast<tlm::tlm_fw_transport_if<>*>(target.get_interface());
}

MeshRouter::InSocket& mesh_in(MeshRouter& m, Port p) {
  switch (p) {
    case Port::N:
      return m.from_n;
    case Port::S:
      return m.from_s;
    case Port::W:
      return m.from_w;
    default:
      return m.from_e;
  }
}

// After elaboration, by socket identity (no packets): every bound mesh output of every iact
// and weight router reaches (forward) the matching input of the same router of
// the neighbouring cluster and the input of no other router, and that input's backward path
// leads to that output; one binding per input.
void check_links(Top& top, const ArchConfig& a) {
  const int rows = a.cluster_rows, cols = a.cluster_cols;
  struct In {
    MeshRouter* r;
    Port p;
  };
  std::map<const tlm::tlm_fw_transport_if<>*, std::vector<In>> inputs;
  for (auto& g : top.groups)
    for (auto* v : {&g->router.iact, &g->router.weight})
      for (auto& m : *v)
        for (Port p : {Port::N, Port::S, Port::W, Port::E})
          inputs[fw_of(mesh_in(*m, p))].push_back({m.get(), p});
  int links = 0;
  for (bool iact : {true, false})
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        for (int i = 0; i < 3; ++i) {
          RouterCluster& rc = top.group(r, c).router;
          MeshRouter& here = iact ? *rc.iact[i] : *rc.weight[i];
          struct Side {
            MeshRouter::OutSocket* sock;
            int dr, dc;
            Port arrives_on;
          };
          const Side sides[] = {{&here.to_n, -1, 0, Port::S},
                                {&here.to_s, 1, 0, Port::N},
                                {&here.to_w, 0, -1, Port::E},
                                {&here.to_e, 0, 1, Port::W}};
          for (const Side& sd : sides) {
            if (sd.sock->size() == 0) continue;
            ASSERT_EQ(sd.sock->size(), 1u) << here.name();
            const int nr = r + sd.dr, nc = c + sd.dc;
            ASSERT_TRUE(nr >= 0 && nr < rows && nc >= 0 && nc < cols) << here.name();
            RouterCluster& nrc = top.group(nr, nc).router;
            MeshRouter& there = iact ? *nrc.iact[i] : *nrc.weight[i];
            const std::string link = std::string(here.name()) + " towards " + there.name() + " (" +
                                     to_string(sd.arrives_on) + " input)";
            tlm::tlm_fw_transport_if<>* fw = (*sd.sock)[0];
            ASSERT_NE(fw, nullptr) << link;
            MeshRouter::InSocket& in = mesh_in(there, sd.arrives_on);
            ASSERT_EQ(in.size(), 1) << link << ": one binding per input";
            EXPECT_EQ(fw, fw_of(in)) << link;
            const auto it = inputs.find(fw);
            ASSERT_NE(it, inputs.end()) << link << ": reaches no router input";
            EXPECT_EQ(it->second.size(), 1u) << link;
            for (const In& x : it->second)
              EXPECT_TRUE(x.r == &there && x.p == sd.arrives_on)
                  << link << " reaches " << x.r->name() << " " << to_string(x.p);
            // Backward: the input answers through the output's own backward interface.
            EXPECT_EQ(static_cast<sc_core::sc_interface*>(in[0]),
                      sd.sock->get_base_export().get_interface())
                << link << ": the backward path leads elsewhere";
            ++links;
          }
        }
  // Each neighbour pair has two links (one each way) per iact router, and per weight router
  // along rows.
  const int horiz = rows * (cols - 1), vert = (rows - 1) * cols;
  EXPECT_EQ(links, 2 * 3 * (horiz + vert) + 2 * 3 * horiz);
}

// After elaboration: the local sides. GLB iact bank b -> iact router b's in_local; off-chip
// weight channel [cluster * 3 + i] -> weight router i's in_local; iact router b's PE bus ->
// every PE's iact_in (binding b of that PE's socket); weight router i's PE bus -> the
// weight_in of PE row i, in column order.
void check_local_sides(Top& top, const ArchConfig& a) {
  const int clusters = a.clusters();
  ASSERT_EQ(top.offchip.to_weight_router.size(), unsigned(clusters * 3));
  for (int cl = 0; cl < clusters; ++cl) {
    const int r = cl / a.cluster_cols, c = cl % a.cluster_cols;
    ClusterGroup& g = top.group(r, c);
    for (int b = 0; b < 3; ++b) {
      MeshRouter& ir = *g.router.iact[b];
      const std::string at = where(r, c, "iact", b);
      EXPECT_EQ(g.glb.iact[b]->to_router.operator->(), fw_of(ir.in_local))
          << at << ": GLB iact bank " << b << " does not reach it";
      ASSERT_EQ(ir.to_pe.size(), 12u) << at;
      for (int k = 0; k < 12; ++k) {
        auto& pe_in = fw_binders(g.pe_cluster.pes[k]->iact_in);
        ASSERT_EQ(pe_in.size(), 3u) << at << ", PE " << k << ": one binding per iact router";
        EXPECT_EQ(ir.to_pe[k], static_cast<tlm::tlm_fw_transport_if<>*>(pe_in[b]))
            << at << ": PE bus entry " << k;
      }
      MeshRouter& wr = *g.router.weight[b];
      const std::string wat = where(r, c, "weight", b);
      EXPECT_EQ(top.offchip.to_weight_router[cl * 3 + b], fw_of(wr.in_local))
          << wat << ": off-chip weight channel " << cl * 3 + b;
      ASSERT_EQ(wr.to_pe.size(), 4u) << wat;
      for (int j = 0; j < 4; ++j)
        EXPECT_EQ(wr.to_pe[j], fw_of(g.pe_cluster.pe(b, j).weight_in))
            << wat << ": PE bus entry " << j << " is not PE (" << b << "," << j << ")";
    }
  }
}

void wiring_case(int rows, int cols) {
  in_child([=] {
    const ArchConfig a = arch_of(rows, cols);
    Top& top = make_top(a);
    check_bindings(top, a);
    check_port_use(top, a);
    check_names(top, a);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate: binding checks and callbacks
    check_links(top, a);
    check_local_sides(top, a);
  });
}

TEST(MeshWiring, Array1x1) { wiring_case(1, 1); }
TEST(MeshWiring, Array2x2) { wiring_case(2, 2); }
TEST(MeshWiring, Array4x4) { wiring_case(4, 4); }
TEST(MeshWiring, Array1x4) { wiring_case(1, 4); }
TEST(MeshWiring, Array3x1) { wiring_case(3, 1); }

TEST(MeshWiring, Published8x2) {
  wiring_case(8, 2);
  // The published array's port counts, spelled out (eyeriss-v2-facts.md): iact routers 4/4
  // (N, S, the one horizontal neighbour, local; fewer on the north and south edges), weight
  // routers 2/2 (the horizontal neighbour and local).
  const ArchConfig a = arch_of(8, 2);
  for (int r = 0; r < 8; ++r)
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(expected_ports(a, r, c, true), (r == 0 || r == 7) ? 3 : 4);
      EXPECT_EQ(expected_ports(a, r, c, false), 2);
    }
}

TEST(MeshWiring, Inner4x4RoutersUseTheExtraPortPair) {
  const ArchConfig a = arch_of(4, 4);
  in_child([&] {
    Top& top = make_top(a);
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c) {
        const bool inner = r > 0 && r < 3 && c > 0 && c < 3;
        const bool corner = (r == 0 || r == 3) && (c == 0 || c == 3);
        const int want = inner ? 5 : corner ? 3 : 4;
        for (int i = 0; i < 3; ++i) {
          EXPECT_EQ(outputs_in_use(*top.group(r, c).router.iact[i]), want)
              << where(r, c, "iact", i);
          EXPECT_EQ(inputs_in_use(top, a, r, c, i, true), want) << where(r, c, "iact", i);
          EXPECT_EQ(outputs_in_use(*top.group(r, c).router.weight[i]), (c == 0 || c == 3) ? 2 : 3)
              << where(r, c, "weight", i);
        }
      }
  });
}

// Counts and bindings only (no elaboration, no names walk): the model scales without
// hard-coded sizes.
TEST(MeshWiring, Array32x32CountsOnly) {
  in_child([] {
    const ArchConfig a = arch_of(32, 32);
    Top& top = make_top(a);
    check_bindings(top, a);
    expect_named("top.cg_r31_c31.router.iact2", top.group(31, 31).router.iact[2].get());
    expect_named("top.cg_r17_c5.pe_cluster.pe_r2_c3", &top.group(17, 5).pe_cluster.pe(2, 3));
    EXPECT_EQ(outputs_in_use(*top.group(10, 10).router.iact[0]), 5);
    EXPECT_EQ(outputs_in_use(*top.group(0, 0).router.iact[0]), 3);
    EXPECT_EQ(outputs_in_use(*top.group(31, 10).router.iact[1]), 4);
  });
}

// ---------------------------------------------------------------------------------------------
// PsumRouterCfg: the routers of a Top, configured after elaboration (a pass list wakes the
// router's decision phase, which needs a running kernel). The router keeps a pointer to the
// list, so the lists live until the child ends.

PsumRouterPass pass(int step, PsumSource src, int rows_in, PsumSink sink, int rows_out) {
  PsumRouterPass p;
  p.step = step;
  p.source = src;
  p.rows_in = rows_in;
  p.sink = sink;
  p.rows_out = rows_out;
  return p;
}

using PS = PsumSource;
using PK = PsumSink;

// The number of passes of the list the router follows, from its state line
// ("...: into pass 0/N row 0, ...").
void expect_program_size(const PsumRouter& r, std::size_t n) {
  const std::string st = r.state();
  EXPECT_NE(st.find("into pass 0/" + std::to_string(n) + " "), std::string::npos)
      << st << " (expected a list of " << n << " passes)";
}

TEST(PsumRouterCfg, NorthClusterCannotTakePsumsFromTheNorth) {
  in_child([] {
    Top& top = make_top(arch_of(2, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    // Valid: from the GLB, south; a pass naming the north but moving no rows in.
    const std::vector<PsumRouterPass> ok = {pass(0, PS::Glb, 4, PK::South, 4),
                                            pass(1, PS::North, 0, PK::Glb, 2),
                                            pass(2, PS::None, 0, PK::South, 3)};
    const std::vector<PsumRouterPass> bad1 = {pass(0, PS::North, 2, PK::Glb, 2)};
    const std::vector<PsumRouterPass> bad2 = {pass(0, PS::North, 1, PK::South, 1)};
    // Only the last of four passes needs the north.
    const std::vector<PsumRouterPass> bad3 = {
        pass(0, PS::Glb, 1, PK::South, 1), pass(1, PS::Glb, 1, PK::Glb, 1),
        pass(2, PS::None, 0, PK::Offchip, 1), pass(3, PS::North, 1, PK::South, 1)};
    for (auto& pr : top.group(0, 0).router.psum) {
      PsumRouter& r = *pr;
      EXPECT_NO_THROW(r.configure(ok, 0)) << r.name();
      expect_program_size(r, ok.size());
      for (const auto* bad : {&bad1, &bad2, &bad3}) {
        expect_sc_error([&] { r.configure(*bad, 0); }, {r.name(), "north"}, {"south"});
        expect_program_size(r, ok.size());  // a rejected list is not followed
      }
    }
  });
}

TEST(PsumRouterCfg, SouthClusterCannotSendPsumsSouth) {
  in_child([] {
    Top& top = make_top(arch_of(2, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    const std::vector<PsumRouterPass> ok = {
        pass(0, PS::North, 2, PK::Offchip, 2), pass(1, PS::Glb, 2, PK::South, 0),
        pass(2, PS::North, 1, PK::Glb, 1), pass(3, PS::None, 0, PK::None, 0)};
    const std::vector<PsumRouterPass> bad1 = {pass(0, PS::Glb, 1, PK::South, 1)};
    const std::vector<PsumRouterPass> bad2 = {pass(0, PS::North, 1, PK::South, 1)};
    const std::vector<PsumRouterPass> bad3 = {pass(0, PS::North, 1, PK::Offchip, 1),
                                              pass(1, PS::None, 0, PK::South, 5)};
    for (auto& pr : top.group(1, 0).router.psum) {
      PsumRouter& r = *pr;
      EXPECT_NO_THROW(r.configure(ok, 0)) << r.name();
      expect_program_size(r, ok.size());
      for (const auto* bad : {&bad1, &bad2, &bad3}) {
        expect_sc_error([&] { r.configure(*bad, 0); }, {r.name(), "south"}, {"north"});
        expect_program_size(r, ok.size());
      }
    }
  });
}

TEST(PsumRouterCfg, SingleClusterHasNeitherNeighbour) {
  in_child([] {
    Top& top = make_top(arch_of(1, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    const std::vector<PsumRouterPass> north = {pass(0, PS::North, 1, PK::Glb, 1)};
    const std::vector<PsumRouterPass> south = {pass(0, PS::Glb, 1, PK::South, 1)};
    const std::vector<PsumRouterPass> ok = {pass(0, PS::Glb, 3, PK::Offchip, 3),
                                            pass(1, PS::None, 0, PK::Glb, 3)};
    const std::vector<PsumRouterPass> none;
    for (auto& pr : top.group(0, 0).router.psum) {
      PsumRouter& r = *pr;
      expect_sc_error([&] { r.configure(north, 0); }, {r.name(), "north"});
      expect_sc_error([&] { r.configure(south, 0); }, {r.name(), "south"});
      EXPECT_NO_THROW(r.configure(none, 0)) << r.name();
      EXPECT_TRUE(r.idle()) << r.state();  // nothing to do
      EXPECT_NO_THROW(r.configure(ok, 0)) << r.name();
      expect_program_size(r, ok.size());
      EXPECT_FALSE(r.idle()) << r.state() << ": it has passes to run";
    }
  });
}

TEST(PsumRouterCfg, ValidCombinationsAreAccepted) {
  in_child([] {
    Top& top = make_top(arch_of(3, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    // Every source / sink pair, one pass each, rows both ways.
    std::vector<std::vector<PsumRouterPass>> lists;
    lists.reserve(16);
    for (PS s : {PS::None, PS::Glb, PS::North})
      for (PK k : {PK::None, PK::Glb, PK::Offchip, PK::South})
        lists.push_back({pass(0, s, s == PS::None ? 0 : 2, k, k == PK::None ? 0 : 2)});
    for (int j = 0; j < 4; ++j)
      for (int row = 0; row < 3; ++row) {
        PsumRouter& r = *top.group(row, 0).router.psum[j];
        for (const auto& l : lists) {
          const bool needs_north = l[0].source == PS::North, needs_south = l[0].sink == PK::South;
          const bool valid = (!needs_north || row > 0) && (!needs_south || row < 2);
          if (valid) {
            EXPECT_NO_THROW(r.configure(l, 0))
                << r.name() << ": " << to_string(l[0].source) << " -> " << to_string(l[0].sink);
          } else {
            EXPECT_THROW(r.configure(l, 0), sc_core::sc_report)
                << r.name() << ": " << to_string(l[0].source) << " -> " << to_string(l[0].sink);
          }
        }
      }
  });
}

}  // namespace
}  // namespace eyeriss

namespace eyeriss {
namespace {

// A bus's ID table names its receivers by index with no limit on their number (a flat v1
// array has 192 PEs, the 16,384-PE v1 of the scaling study 16,384 on one bus): ascending, each
// once, per step and packet ID; a later layer's entries replace an earlier layer's.
TEST(IdTable, ManyReceivers) {
  IdTable t;
  const StreamKey a{0, 0, 0, 5, 0}, b{0, 0, 0, 6, 0};
  for (int pe : {300, 7, 191, 64, 7, 63}) t.add(0, DataType::Iact, PacketTag::iact(2, a), pe);
  t.add(0, DataType::Iact, PacketTag::iact(2, b), 100);
  EXPECT_EQ(t.lookup(DataType::Iact, PacketTag::iact(2, a)),
            (IdTable::Targets{7, 63, 64, 191, 300}));
  EXPECT_EQ(t.lookup(DataType::Iact, PacketTag::iact(2, b)), (IdTable::Targets{100}));
  EXPECT_TRUE(t.lookup(DataType::Iact, PacketTag::iact(3, a)).empty());  // another step
  EXPECT_TRUE(t.lookup(DataType::Weight, PacketTag::iact(2, a)).empty());
  t.add(1, DataType::Iact, PacketTag::iact(0, b), 5);  // the next layer
  EXPECT_TRUE(t.lookup(DataType::Iact, PacketTag::iact(2, a)).empty());
  EXPECT_EQ(t.lookup(DataType::Iact, PacketTag::iact(0, b)), (IdTable::Targets{5}));
}

}  // namespace
}  // namespace eyeriss
