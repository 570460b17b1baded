// Small designs around one block, shared by the timing tests (test_block_timing.cpp) and the
// micro-benchmarks (testbench/bench/micro_bench.cpp).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/newest_first.h"
#include "models/glb/psum_bank.h"
#include "noc/mesh_router.h"
#include "testbench/tests/sc/block_harness.h"

namespace eyeriss::test {

// A router at the west end of a 1 x 2 array: local input from a Sender (the GLB port), the east
// output to one Receiver, the PE bus to another.
struct RouterBench {
  Sender glb;
  MeshRouter router;
  Receiver east, bus;
  Configurator cfg;
  RouterConfig rc;
  RouterBench(int link_bits, PortSet local_drives)
      : glb("glb", link_bits),
        router("router", MeshPosition{0, 0, 1, 2},
               [&] {
                 RouterParams p = RouterParams::iact(ArchConfig{});
                 p.link_bits = link_bits;
                 return p;
               }()),
        east("east"),
        bus("bus"),
        cfg("cfg") {
    glb.out.bind(router.in_local);
    router.to_e.bind(east.in);
    router.to_pe.bind(bus.in);
    rc.drive[static_cast<int>(Port::Local)] = local_drives;
    cfg.add(router.cfg_in, &rc);
  }
};

// A packet through the mesh: a row of `hops` iact routers, the first fed from a GLB port (a
// Sender) and every one driving its east output, the last one's into a Receiver standing in for
// its east neighbour. Each packet crosses `hops` routers and `hops` + 1 links. The other
// routers' GLB ports (idle Senders) and every PE bus (not driven; a Receiver each) are bound
// only because a router's sockets must be.
struct MeshLineBench {
  Sender glb;
  std::vector<std::unique_ptr<MeshRouter>> routers;
  std::vector<std::unique_ptr<Sender>> idle_glbs;
  std::vector<std::unique_ptr<Receiver>> buses;
  Receiver east;
  Configurator cfg;
  std::vector<RouterConfig> rc;
  MeshLineBench(int hops, int link_bits) : glb("glb", link_bits), east("east"), cfg("cfg") {
    RouterParams p = RouterParams::iact(ArchConfig{});
    p.link_bits = link_bits;
    rc.resize(hops);
    for (int i = 0; i < hops; ++i) {
      routers.push_back(std::make_unique<MeshRouter>(("r" + std::to_string(i)).c_str(),
                                                     MeshPosition{0, i, 1, hops + 1}, p));
      rc[i].drive[static_cast<int>(i == 0 ? Port::Local : Port::W)] = bit(Port::E);
      buses.push_back(std::make_unique<Receiver>(("bus" + std::to_string(i)).c_str()));
      routers[i]->to_pe.bind(buses[i]->in);
      if (i > 0) {
        idle_glbs.push_back(
            std::make_unique<Sender>(("glb" + std::to_string(i)).c_str(), link_bits));
        idle_glbs.back()->out.bind(routers[i]->in_local);
      }
    }
    glb.out.bind(routers[0]->in_local);
    for (int i = 0; i + 1 < hops; ++i) {
      routers[i]->to_e.bind(routers[i + 1]->from_w);
      routers[i + 1]->to_w.bind(routers[i]->from_e);
    }
    routers.back()->to_e.bind(east.in);
    for (int i = 0; i < hops; ++i) cfg.add(routers[i]->cfg_in, &rc[i]);
  }
  ~MeshLineBench() {
    destroy_newest_first(buses);
    destroy_newest_first(idle_glbs);
    destroy_newest_first(routers);
  }
};

// A GLB psum bank: rows written back by its psum router (a Sender) and read out in program
// order to the router (a Receiver). One SRAM port, 40 bits per cycle; a row of 4 psums of 20
// bits is 80 bits: 2 cycles.
struct PsumBankBench {
  Sender writer;
  PsumBank bank;
  Receiver reader;
  Configurator cfg;
  std::vector<PsumRead> reads;
  PsumBankBench()
      : writer("writer", 40, DataType::Psum),
        bank("bank", PsumBankParams::from(ArchConfig{})),
        reader("reader"),
        cfg("cfg") {
    writer.out.bind(bank.from_router);
    bank.to_router.bind(reader.in);
    PsumRead r;
    r.row.task = 0;
    r.row.mc = 4;
    r.fc = 2;
    reads.push_back(r);
    cfg.add(bank.cfg_in, &reads);
  }
  void write(Cycle at, int f, int task = 0) {
    PacketTag t;
    t.task = task;
    t.f = f;
    PacketRef d = packet_of_bits(DataType::Psum, 80, 40);
    d->entries = 4;
    writer.send_at(at, d, t);
  }
};

}  // namespace eyeriss::test
