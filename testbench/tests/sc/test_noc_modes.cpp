// The hierarchical-mesh NoC (eyeriss-v2-facts.md, "Router cluster and hierarchical-mesh NoC"):
//  - NocModes: which outputs each per-layer router mode opens for a packet on each input
//    (noc/router_mode.h), and the mode names;
//  - MeshRoute: the XY multicast tree a mesh router follows (horizontal first along the source
//    row, then vertical in the destination column), and which modes a weight router (no
//    vertical links) accepts;
//  - MeshWiring: the mesh between router clusters as Top builds it for several cluster arrays
//    (iact routers N/S/W/E, weight routers W/E only, psum routers north to south only, edge
//    ports unbound), the ports in use per router (4/4 in the published 8 x 2 array, 5/5 inside
//    wider arrays), the instance names, and that every mesh link reaches the neighbour it
//    should (a packet injected on it arrives at that router and no other);
//  - PsumRouterCfg: a psum router refuses a configuration that needs a neighbour it lacks.
// Every test that builds a Top runs it in a forked child (SystemC elaborates one design per
// process); gtest failures inside the child are printed by the child and fail the test.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/arch_config.h"
#include "models/top/top.h"
#include "noc/mesh_router.h"
#include "noc/noc_packet.h"
#include "noc/psum_router.h"
#include "noc/router_mode.h"

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

// Runs `fn` in a forked child with SC errors thrown; the test fails if the child records a
// gtest failure, throws, or dies. The child's own failure messages appear in the output.
void in_child(const std::function<void()>& fn) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0) << "fork failed";
  if (pid == 0) {
    sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
    sc_core::sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
    try {
      fn();
    } catch (const sc_core::sc_report& r) {
      ADD_FAILURE() << "unexpected SystemC report: " << r.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
    }
    const bool failed = ::testing::Test::HasFailure();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(failed ? 1 : 0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child reported failures (above) or died; wait status " << status;
}

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
// MeshRoute: routers built on their own (no Top, no simulation), each with a unique name and
// destroyed before the test ends.

std::string unique_name() {
  static int n = 0;
  return "mesh_route_probe_" + std::to_string(n++);
}

// The outputs the router at (row, col) of a rows x cols array uses for a packet entering on
// `in` from source cluster `src` to clusters `dests` (index row * cols + col).
PortSet route_at(int rows, int cols, int row, int col, Port in, int src,
                 const std::vector<int>& dests) {
  MeshRouter r(unique_name().c_str(), MeshPosition{row, col, rows, cols}, true, 24, 1, 0);
  NocPacket p;
  p.src_cluster = src;
  for (int d : dests) p.dests.push_back(ClusterDest{d, 0xfffu});
  return r.route(in, p);
}

#define EXPECT_ROUTE(expected, ...) EXPECT_EQ(ports_str(route_at(__VA_ARGS__)), ports_str(expected))

// 4 x 4: cluster index = row * 4 + col. Source cluster (1,1) = 5.
TEST(MeshRoute, SourceOwnColumn4x4) {
  // (0,1) = 1 is north, (3,1) = 13 south, (2,1) = 9 south.
  EXPECT_ROUTE(N | S, 4, 4, 1, 1, Port::Local, 5, {1, 13});
  EXPECT_ROUTE(N, 4, 4, 1, 1, Port::Local, 5, {1});
  EXPECT_ROUTE(S, 4, 4, 1, 1, Port::Local, 5, {9, 13});
  EXPECT_ROUTE(L | N | S, 4, 4, 1, 1, Port::Local, 5, {1, 5, 13});
}

TEST(MeshRoute, SourceOtherColumns4x4) {
  // Horizontal first along the source row: (1,3) = 7 east, (2,0) = 8 west of the source
  // column, (0,3) = 3 east, (3,2) = 14 east.
  EXPECT_ROUTE(E, 4, 4, 1, 1, Port::Local, 5, {7});
  EXPECT_ROUTE(W, 4, 4, 1, 1, Port::Local, 5, {8});
  EXPECT_ROUTE(E, 4, 4, 1, 1, Port::Local, 5, {3, 14});
  EXPECT_ROUTE(W | E | S, 4, 4, 1, 1, Port::Local, 5, {3, 8, 13});
  EXPECT_ROUTE(L | N | S | W | E, 4, 4, 1, 1, Port::Local, 5, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST(MeshRoute, HorizontalLeg4x4) {
  // Router (1,2) = 6 on the source row, packet from the west.
  EXPECT_ROUTE(E, 4, 4, 1, 2, Port::W, 5, {3, 7});      // both further east
  EXPECT_ROUTE(L | E, 4, 4, 1, 2, Port::W, 5, {6, 7});  // here and further east
  EXPECT_ROUTE(N, 4, 4, 1, 2, Port::W, 5, {2});         // turns north in this column
  EXPECT_ROUTE(L | N | S | E, 4, 4, 1, 2, Port::W, 5, {2, 6, 14, 15});
  // Destinations west of this router are not its business (never back out of W).
  EXPECT_ROUTE(0, 4, 4, 1, 2, Port::W, 5, {4});
  EXPECT_ROUTE(E, 4, 4, 1, 2, Port::W, 5, {4, 7});
  // Router (1,0) = 4 on the source row, packet from the east.
  EXPECT_ROUTE(L | S, 4, 4, 1, 0, Port::E, 5, {4, 12, 7});
}

TEST(MeshRoute, VerticalLeg4x4) {
  // Router (2,3) = 11 below the source row, packet travelling south (in = N).
  EXPECT_ROUTE(S, 4, 4, 2, 3, Port::N, 5, {15});
  EXPECT_ROUTE(L | S, 4, 4, 2, 3, Port::N, 5, {11, 15});
  // Off the source row nothing turns horizontal, and nothing turns back north.
  EXPECT_ROUTE(L, 4, 4, 2, 3, Port::N, 5, {11, 10, 8, 3});
  // Source (3,1) = 13, router (2,1) = 9, packet travelling north (in = S): only N and local.
  EXPECT_ROUTE(L | N, 4, 4, 2, 1, Port::S, 13, {1, 9, 13, 14, 15, 8});
  EXPECT_ROUTE(N, 4, 4, 2, 1, Port::S, 13, {1});
  EXPECT_ROUTE(0, 4, 4, 2, 1, Port::S, 13, {13, 15});
}

TEST(MeshRoute, OnlyLocalAndNothingHere4x4) {
  EXPECT_ROUTE(L, 4, 4, 1, 1, Port::Local, 5, {5});
  EXPECT_ROUTE(L, 4, 4, 3, 3, Port::N, 7, {15});
  EXPECT_ROUTE(0, 4, 4, 1, 1, Port::Local, 5, {});
  // A router on the vertical leg of column 2 with destinations only in other columns.
  EXPECT_ROUTE(0, 4, 4, 2, 2, Port::N, 6, {0, 3, 12});
}

// 8 x 2 (published): cluster index = row * 2 + col.
TEST(MeshRoute, Published8x2) {
  // Source (3,0) = 6.
  EXPECT_ROUTE(N | S, 8, 2, 3, 0, Port::Local, 6, {0, 14});
  EXPECT_ROUTE(E, 8, 2, 3, 0, Port::Local, 6, {7});
  EXPECT_ROUTE(E, 8, 2, 3, 0, Port::Local, 6, {11, 1});  // other column: east first
  EXPECT_ROUTE(L | N | S | E, 8, 2, 3, 0, Port::Local, 6, {6, 0, 15, 14});
  // Source (3,1) = 7: the other column is west.
  EXPECT_ROUTE(W | S, 8, 2, 3, 1, Port::Local, 7, {6, 9});
  // Turning router (3,1) = 7, packet from the west.
  EXPECT_ROUTE(N | S, 8, 2, 3, 1, Port::W, 6, {11, 1});
  EXPECT_ROUTE(L | N | S, 8, 2, 3, 1, Port::W, 6, {7, 11, 1});
  // Vertical leg in column 1: (5,1) = 11 travelling south.
  EXPECT_ROUTE(L | S, 8, 2, 5, 1, Port::N, 6, {11, 15});
  EXPECT_ROUTE(S, 8, 2, 5, 1, Port::N, 6, {15, 1, 14});
  // Vertical leg in the source column: (4,0) = 8 travelling south; (5,1) is not on its leg.
  EXPECT_ROUTE(S, 8, 2, 4, 0, Port::N, 6, {14, 11});
  // Travelling north in column 1 from source (7,0) = 14: (6,1) = 13, in = S.
  EXPECT_ROUTE(N, 8, 2, 6, 1, Port::S, 14, {1, 15});
  EXPECT_ROUTE(L | N, 8, 2, 6, 1, Port::S, 14, {1, 13});
  // South edge router (7,1) = 15: only local.
  EXPECT_ROUTE(L, 8, 2, 7, 1, Port::N, 6, {15});
  EXPECT_ROUTE(0, 8, 2, 7, 1, Port::N, 6, {});
}

TEST(MeshRoute, WeightRouterModes) {
  MeshRouter w(unique_name().c_str(), MeshPosition{0, 0, 8, 2}, false, 24, 1, 4);
  EXPECT_EQ(w.mode(), RouterMode::Unicast);
  w.set_mode(RouterMode::HorizontalMulticast);
  EXPECT_EQ(w.mode(), RouterMode::HorizontalMulticast);
  for (RouterMode bad : {RouterMode::VerticalMulticast, RouterMode::Broadcast}) {
    try {
      w.set_mode(bad);
      ADD_FAILURE() << to_string(bad) << " accepted by a router without vertical links";
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(to_string(bad)), std::string::npos) << msg;
      EXPECT_NE(msg.find(w.name()), std::string::npos) << msg;
    }
    EXPECT_EQ(w.mode(), RouterMode::HorizontalMulticast) << "a rejected mode changed the router";
  }
  w.set_mode(RouterMode::Unicast);
  EXPECT_EQ(w.mode(), RouterMode::Unicast);

  MeshRouter i(unique_name().c_str(), MeshPosition{0, 0, 8, 2}, true, 24, 1, 0);
  for (RouterMode m : kAllModes) {
    EXPECT_NO_THROW(i.set_mode(m)) << to_string(m);
    EXPECT_EQ(i.mode(), m);
  }
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
        MeshRouter& wr = *rc.weight[i];
        const std::string wat = where(r, c, "weight", i);
        EXPECT_EQ(wr.to_w.size(), w) << wat;
        EXPECT_EQ(wr.to_e.size(), e) << wat;
        EXPECT_EQ(wr.to_n.size(), 0u) << wat << ": weight routers have no vertical links";
        EXPECT_EQ(wr.to_s.size(), 0u) << wat << ": weight routers have no vertical links";
        EXPECT_EQ(wr.to_pe.size(), 4u) << wat << ": one PE row";
        EXPECT_THROW(wr.set_mode(RouterMode::VerticalMulticast), std::invalid_argument) << wat;
      }
      for (int j = 0; j < 4; ++j) {
        PsumRouter& pr = *rc.psum[j];
        EXPECT_EQ(pr.to_south.size(), s) << where(r, c, "psum", j);
      }
    }
}

// Ports in use, counting the local side: outputs = link to the PEs + bound mesh outputs;
// inputs = the local GLB-cluster port (always fed: GLB bank or off-chip) + each neighbour whose
// output facing this router is bound (Inject() checks those links arrive here).
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

// After elaboration: a packet sent out of every bound mesh output of every iact and weight
// router, addressed to the neighbour on that side (no PEs), arrives at exactly that neighbour's
// router of the same index (its local link counts one transfer) and at no other router.
void check_links_arrive(Top& top, const ArchConfig& a) {
  const int rows = a.cluster_rows, cols = a.cluster_cols;
  auto all = [&](bool iact) {
    std::vector<MeshRouter*> v;
    for (auto& g : top.groups)
      for (auto& r : iact ? g->router.iact : g->router.weight) v.push_back(r.get());
    return v;
  };
  int links = 0;
  for (bool iact : {true, false}) {
    const std::vector<MeshRouter*> routers = all(iact);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        for (int i = 0; i < 3; ++i) {
          RouterCluster& rc = top.group(r, c).router;
          MeshRouter& here = iact ? *rc.iact[i] : *rc.weight[i];
          struct Side {
            MeshRouter::OutSocket* sock;
            int dr, dc;
            RouterMode mode;
          };
          const Side sides[] = {{&here.to_n, -1, 0, RouterMode::VerticalMulticast},
                                {&here.to_s, 1, 0, RouterMode::VerticalMulticast},
                                {&here.to_w, 0, -1, RouterMode::HorizontalMulticast},
                                {&here.to_e, 0, 1, RouterMode::HorizontalMulticast}};
          for (const Side& sd : sides) {
            if (sd.sock->size() == 0) continue;
            const int nr = r + sd.dr, nc = c + sd.dc;
            ASSERT_TRUE(nr >= 0 && nr < rows && nc >= 0 && nc < cols);
            RouterCluster& nrc = top.group(nr, nc).router;
            MeshRouter& there = iact ? *nrc.iact[i] : *nrc.weight[i];
            there.set_mode(sd.mode);
            std::vector<uint64_t> before;
            for (MeshRouter* m : routers) before.push_back(m->local_link().transfers);
            NocPacket p;
            p.type = iact ? DataType::Iact : DataType::Weight;
            p.src_cluster = r * cols + c;
            p.dests = {ClusterDest{nr * cols + nc, 0u}};
            p.bits = 24;
            PacketTransaction t(p);
            sc_core::sc_time d = sc_core::SC_ZERO_TIME;
            (*sd.sock)[0]->b_transport(t.gp(), d);
            EXPECT_EQ(t.gp().get_response_status(), tlm::TLM_OK_RESPONSE);
            for (std::size_t k = 0; k < routers.size(); ++k) {
              const uint64_t got = routers[k]->local_link().transfers - before[k];
              EXPECT_EQ(got, routers[k] == &there ? 1u : 0u)
                  << "link from " << here.name() << " towards " << there.name() << " arrived at "
                  << routers[k]->name();
            }
            ++links;
          }
        }
  }
  // Each neighbour pair has two links (one each way) per iact router, and per weight router
  // along rows.
  const int horiz = rows * (cols - 1), vert = (rows - 1) * cols;
  EXPECT_EQ(links, 2 * 3 * (horiz + vert) + 2 * 3 * horiz);
}

void wiring_case(int rows, int cols) {
  in_child([=] {
    const ArchConfig a = arch_of(rows, cols);
    Top& top = make_top(a);
    check_bindings(top, a);
    check_port_use(top, a);
    check_names(top, a);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate: binding checks and callbacks
    check_links_arrive(top, a);
  });
}

TEST(MeshWiring, Array1x1) { wiring_case(1, 1); }
TEST(MeshWiring, Array2x2) { wiring_case(2, 2); }
TEST(MeshWiring, Array4x4) { wiring_case(4, 4); }
TEST(MeshWiring, Array1x4) { wiring_case(1, 4); }

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
// PsumRouterCfg: a 2 x 1 array (cluster (0,0) north of (1,0)).

// Expects `f` to raise an SC error (thrown as sc_report) whose message holds every part.
void expect_sc_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
    std::string all;
    for (const auto& p : parts) all += " '" + p + "'";
    ADD_FAILURE() << "no SystemC error; expected one mentioning" << all;
  } catch (const sc_core::sc_report& r) {
    const std::string msg = r.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

using Src = PsumRouter::Source;
using Snk = PsumRouter::Sink;

TEST(PsumRouterCfg, NorthClusterCannotTakePsumsFromTheNorth) {
  in_child([] {
    Top& top = make_top(arch_of(2, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // configuration arrives during simulation
    for (auto& pr : top.group(0, 0).router.psum) {
      PsumRouter& r = *pr;
      r.configure(Src::Glb, Snk::South);
      expect_sc_error([&] { r.configure(Src::North, Snk::Glb); }, {r.name(), "north"});
      expect_sc_error([&] { r.configure(Src::North, Snk::South); }, {r.name(), "north"});
      EXPECT_EQ(int(r.source()), int(Src::Glb))
          << r.name() << ": a rejected configuration was applied";
      EXPECT_EQ(int(r.sink()), int(Snk::South))
          << r.name() << ": a rejected configuration was applied";
    }
  });
}

TEST(PsumRouterCfg, SouthClusterCannotSendPsumsSouth) {
  in_child([] {
    Top& top = make_top(arch_of(2, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    for (auto& pr : top.group(1, 0).router.psum) {
      PsumRouter& r = *pr;
      r.configure(Src::North, Snk::Offchip);
      expect_sc_error([&] { r.configure(Src::Glb, Snk::South); }, {r.name(), "south"});
      expect_sc_error([&] { r.configure(Src::North, Snk::South); }, {r.name(), "south"});
      EXPECT_EQ(int(r.source()), int(Src::North))
          << r.name() << ": a rejected configuration was applied";
      EXPECT_EQ(int(r.sink()), int(Snk::Offchip))
          << r.name() << ": a rejected configuration was applied";
    }
  });
}

TEST(PsumRouterCfg, SingleClusterHasNeitherNeighbour) {
  in_child([] {
    Top& top = make_top(arch_of(1, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    PsumRouter& r = *top.group(0, 0).router.psum[2];
    expect_sc_error([&] { r.configure(Src::North, Snk::Glb); }, {r.name(), "north"});
    expect_sc_error([&] { r.configure(Src::Glb, Snk::South); }, {r.name(), "south"});
    EXPECT_NO_THROW(r.configure(Src::Glb, Snk::Offchip));
  });
}

TEST(PsumRouterCfg, ValidCombinationsAreAccepted) {
  in_child([] {
    Top& top = make_top(arch_of(2, 1));
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    for (int j = 0; j < 4; ++j) {
      PsumRouter& north = *top.group(0, 0).router.psum[j];
      PsumRouter& south = *top.group(1, 0).router.psum[j];
      for (Snk k : {Snk::Glb, Snk::Offchip, Snk::South}) {
        EXPECT_NO_THROW(north.configure(Src::Glb, k)) << north.name();
        EXPECT_EQ(int(north.source()), int(Src::Glb));
        EXPECT_EQ(int(north.sink()), int(k));
      }
      for (Src s : {Src::Glb, Src::North})
        for (Snk k : {Snk::Glb, Snk::Offchip}) {
          EXPECT_NO_THROW(south.configure(s, k)) << south.name();
          EXPECT_EQ(int(south.source()), int(s));
          EXPECT_EQ(int(south.sink()), int(k));
        }
    }
  });
}

}  // namespace
}  // namespace eyeriss
