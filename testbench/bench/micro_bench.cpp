// Google Benchmark micro-benchmarks of the model's hot paths (issue: simulation speed). Each
// measures one thing the whole-network benchmark (scripts/bench.sh) spends its time on:
//  - a PE output position (PeCore: window walk, weight issue, SIMD MACs), per position;
//  - an iact segment's CSC encode + link packing, and a weight block's unpacking in the PE;
//  - a packet through one router (hop) and through a row of routers (the mesh), and a psum row
//  through a GLB psum bank (write + read),
//    as SystemC simulations of one block: each run in a worker process (testbench/worker_pool.h;
//    one elaboration per process), timed around sc_start only (manual time), elaboration
//    excluded.
// Run: build/micro_bench [--benchmark_filter=Router]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/csc.h"
#include "noc/link_format.h"
#include "pe/pe_compute.h"
#include "testbench/tests/sc/block_benches.h"
#include "testbench/worker_pool.h"

namespace eyeriss {
namespace {

// Values of a rows x cols column-major matrix with the given density (fixed seed).
std::vector<int16_t> sparse_values(int rows, int cols, double density, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> v(1, 127);
  std::vector<int16_t> x(static_cast<std::size_t>(rows) * cols);
  for (auto& e : x) e = u(rng) < density ? static_cast<int16_t>(v(rng)) : 0;
  return x;
}

// A pass of mc = 8 output channels, cc = 4 input channels, S = 3, stride 1 (weights 0.5 dense,
// iacts 0.6 dense): what a 3 x 3 convolution's PE does per output position.
void BM_PePosition(benchmark::State& state) {
  const int mc = 8, cc = 4, S = 3, P = 256;
  PeCore core{ArchConfig{}};
  const CscMatrix w = csc_encode(sparse_values(mc, cc * S, 0.5, 1), mc, cc * S);
  std::vector<std::vector<LinkEntry>> segs;
  for (int j = 0; j < 64; ++j) {
    const CscMatrix s = csc_encode(sparse_values(cc, 1, 0.6, 100 + j), cc, 1);
    const std::vector<int> rows = csc_row_indices(s);
    std::vector<LinkEntry> e;
    for (int i = 0; i < s.entries(); ++i) e.push_back({static_cast<int16_t>(rows[i]), s.data[i]});
    segs.push_back(e);
  }
  PePassConfig cfg;
  cfg.active = true, cfg.mc = mc, cfg.cc = cc, cfg.S = S, cfg.U = 1, cfg.positions = P;
  std::vector<int64_t> acc;
  for (auto _ : state) {
    core.configure(cfg);
    core.load_weights(w);
    int written = 0;
    for (int f = 0; f < P; ++f) {
      while (written < f + S) {  // the window of position f: segments f .. f + S - 1
        core.segment_buffer() = segs[written % segs.size()];
        core.commit_segment();
        ++written;
      }
      benchmark::DoNotOptimize(core.compute_next(acc));
    }
  }
  state.SetItemsProcessed(state.iterations() * P);
  state.counters["MACs/position"] =
      double(core.stats().macs) / double(std::max<uint64_t>(core.stats().positions, 1));
}
BENCHMARK(BM_PePosition);

// One iact segment (12 rows, 0.6 dense) CSC-encoded and packed into 24-bit link words, as the
// off-chip memory and GLB send them.
void BM_IactSegmentEncodePack(benchmark::State& state) {
  const std::vector<int16_t> v = sparse_values(12, 1, 0.6, 7);
  const LinkFormat f;
  CscMatrix m;
  LinkWords words;
  for (auto _ : state) {
    csc_encode_into(m, v.data(), 12, 1, f.count_bits);
    words.reset(24);
    pack_iact_csc(m, f, words);
    benchmark::DoNotOptimize(words.data().data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IactSegmentEncodePack);

// A weight block (8 output channels x 12 columns, 0.5 dense) unpacked from its link words into
// the PE's weight SPad columns.
void BM_WeightBlockUnpack(benchmark::State& state) {
  const LinkFormat f;
  const CscMatrix m = csc_encode(sparse_values(8, 12, 0.5, 3), 8, 12, f.count_bits);
  LinkWords words;
  words.reset(24);
  pack_weight_csc(m, f, words);
  std::vector<std::vector<LinkEntry>> cols;
  for (auto _ : state) {
    unpack_weight_csc(words, 12, f, cols);
    benchmark::DoNotOptimize(cols.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WeightBlockUnpack);

template <typename Fn>
double timed_sc_start(Fn&& setup) {
  setup();
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Times a SystemC design in a worker process (one elaboration per process): `fn` elaborates it,
// plans its traffic and returns timed_sc_start's seconds, which become the iteration's time;
// `items` is what one run processes. A failed run skips the benchmark with the reason.
template <typename Fn>
void time_in_worker(benchmark::State& state, int64_t items, Fn fn) {
  for (auto _ : state) {
    try {
      const std::string out = run_in_workers(
          {{0}},
          [&](std::size_t, const std::vector<std::size_t>&) {
            char b[32];
            std::snprintf(b, sizeof b, "%.17g", fn());
            return std::string(b);
          },
          [](const std::vector<std::size_t>&) { return std::string("the simulation"); })[0];
      state.SetIterationTime(std::stod(out));
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * items);
}

constexpr int kPackets = 20000;

// kPackets packets of 100 bits back to back from a GLB port through one iact router to its east
// neighbour (5 cycles each on 24-bit links): per packet, one hop.
void BM_RouterHop(benchmark::State& state) {
  time_in_worker(state, kPackets, [] {
    test::RouterBench b(24, bit(Port::E));
    return timed_sc_start([&] {
      for (int i = 0; i < kPackets; ++i)
        b.glb.send_at(10, test::packet_of_bits(DataType::Iact, 100));
    });
  });
}
BENCHMARK(BM_RouterHop)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

// The same packets through a row of kHops routers (W to E), so every packet takes kHops hops
// and kHops + 1 links: per item, one packet through the mesh.
constexpr int kHops = 4;
void BM_MeshPacket(benchmark::State& state) {
  time_in_worker(state, kPackets, [] {
    test::MeshLineBench b(kHops, 24);
    const double s = timed_sc_start([&] {
      for (int i = 0; i < kPackets; ++i)
        b.glb.send_at(10, test::packet_of_bits(DataType::Iact, 100));
    });
    if (b.east.got.size() != std::size_t(kPackets))  // a run that lost packets measures nothing
      throw std::runtime_error(std::to_string(b.east.got.size()) + " of " +
                               std::to_string(kPackets) + " packets arrived");
    return s;
  });
  state.counters["hops/packet"] = kHops;
}
BENCHMARK(BM_MeshPacket)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

// Psum rows (4 psums, 80 bits) written into a GLB psum bank and read back out in order, as
// kTasks row tasks of kRows rows, offered one per 4 cycles so reads keep up (the bank does not
// hold back writes: the mapper never overfills it): per row, one write and one read of the
// bank's SRAM port.
constexpr int kTasks = 100, kRows = 160;
void BM_GlbPsumBankRow(benchmark::State& state) {
  time_in_worker(state, kTasks * kRows, [] {
    test::PsumBankBench b;
    b.reads.resize(kTasks, b.reads[0]);
    for (int t = 0; t < kTasks; ++t) b.reads[t].row.task = t, b.reads[t].fc = kRows;
    return timed_sc_start([&] {
      for (int t = 0; t < kTasks; ++t)
        for (int f = 0; f < kRows; ++f)  // one row per 4 cycles: 2 to write, 2 to read
          b.write(2 + 4 * Cycle(t * kRows + f), f, t);
    });
  });
}
BENCHMARK(BM_GlbPsumBankRow)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace eyeriss

BENCHMARK_MAIN();
