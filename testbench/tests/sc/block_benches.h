// Small designs around one block, shared by the timing tests (test_block_timing.cpp) and the
// micro-benchmarks (testbench/bench/micro_bench.cpp).
#pragma once
#include <vector>

#include "models/common/arch_config.h"
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
