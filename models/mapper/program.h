// The per-layer program the mapper emits and the chip executes, like the chip's per-layer
// command plus the top-level controller's transfer schedule. Pure C++. Every block gets its
// own part through the controller's configuration sockets and then runs on its own:
//  - the static NoC configuration: per router, which outputs each input drives (circuit
//    switched, set once per layer); multicast groups are real router settings;
//  - per GLB iact port: the iact streams it sends to its router, step by step, and whether
//    each comes from off-chip (and is stored for reuse) or from a copy stored earlier;
//  - per weight channel (off-chip -> weight router): the weight blocks, in order;
//  - per PE: its passes (loop bounds and the IDs of the data it takes from its buses);
//  - per psum router: per pass where the column's psums come from and go;
//  - per GLB psum bank: the partial-psum rows it reads back into its column.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/layer.h"
#include "models/common/tensor.h"
#include "noc/router_mode.h"
#include "pe/pe_compute.h"

namespace eyeriss {

// One iact row stream: batch n, group g, first input channel ci within the group, input row h
// (outside [0, H) for padding rows), first output column f0.
struct StreamKey {
  int n = 0, g = 0, ci = 0, h = 0, f0 = 0;
  bool operator==(const StreamKey& o) const {
    return n == o.n && g == o.g && ci == o.ci && h == o.h && f0 == o.f0;
  }
};

// A weight block: the M0 x (C0*S) matrix of one PE row's pass.
struct BlockKey {
  int g = 0, m_base = 0, c_base = 0, r = 0;
  bool operator==(const BlockKey& o) const {
    return g == o.g && m_base == o.m_base && c_base == o.c_base && r == o.r;
  }
};

// Coordinates of a psum row: row task, output position within it, output coordinates.
struct RowKey {
  int task = 0, n = 0, e = 0, f0 = 0, m_base = 0, mc = 0;
};

struct PePass {
  int step = 0;
  PePassConfig cfg;      // cfg.active: holds a reduction item; else psums pass straight through
  StreamKey iact;        // active: the stream it takes from its iact buses
  BlockKey weight;       // active: the block it takes from its weight bus
  bool psum_in = false;  // psum rows arrive from below (else the chain starts here from zero)
  int rows = 0;          // psum rows leaving this PE (0: none flow through it this pass)
  RowKey row;            // coordinates of those rows (f counts from 0)
};

enum class PsumSource : uint8_t { None, Glb, North };
enum class PsumSink : uint8_t { None, Glb, Offchip, South };
const char* to_string(PsumSource s);
const char* to_string(PsumSink s);

struct PsumRouterPass {
  int step = 0;
  PsumSource source = PsumSource::None;  // what feeds the bottom PE of the column
  int rows_in = 0;
  PsumSink sink = PsumSink::None;  // where the column's sums go
  int rows_out = 0;
};

struct PsumRead {
  int step = 0;
  RowKey row;
  int fc = 0;  // rows (task, 0 .. fc-1) read in order
};

struct StreamSend {
  int step = 0;
  StreamKey key;
  int cc = 0, fc = 0;            // channels per segment, output positions
  bool from_bank = false;        // read a copy stored earlier (else from off-chip)
  bool store = false;            // from off-chip: also keep it in the bank
  std::vector<StreamKey> evict;  // stored streams dropped before this one is stored
  int64_t bits = 0;              // all its segments on the link
};

// The sends of one GLB iact port in one step. Segments go position by position: for each
// output position f, every stream's segments that f needs next (the window for f = 0).
struct PortStep {
  int step = 0;
  std::vector<StreamSend> streams;
};
// Calls fn(stream index, segment) in the order the port sends them.
template <typename Fn>
void for_each_segment(const PortStep& ps, int window_segs, Fn&& fn) {
  int maxf = 0;
  for (const StreamSend& s : ps.streams) maxf = std::max(maxf, s.fc);
  for (int f = 0; f < maxf; ++f)
    for (std::size_t i = 0; i < ps.streams.size(); ++i) {
      if (f >= ps.streams[i].fc) continue;
      for (int k = f == 0 ? 0 : f + window_segs - 1; k <= f + window_segs - 1; ++k) fn(i, k);
    }
}

// Values of segment `seg` of a stream (u-major: row u*cc + c), zeros for padding; used by the
// off-chip model to build packets and by the mapper to size streams for the GLB.
void stream_segment(const Layer& l, const ActTensor& x, int seg_cols, const StreamKey& k, int cc,
                    int seg, std::vector<int16_t>& values);

struct WeightSend {
  int step = 0;
  BlockKey key;
  int mc = 0, cc = 0;
};
// Values of a weight block as the PE holds it: column k = c*S + s, row m (k-major), from
// weights [M][C/G][R][S]; used by the off-chip model to build packets and by the mapper to
// count off-chip traffic.
void weight_block(const Layer& l, const Int8Tensor& w, const WeightSend& ws,
                  std::vector<int16_t>& values);

// Which outputs each input of a router drives (Port::Local .. Port::E).
struct RouterConfig {
  PortSet drive[kPorts] = {0, 0, 0, 0, 0};
  RouterMode mode() const;  // the per-router mode these settings amount to
  bool used() const;
};

// How clusters share a data type: groups of clusters fed by one root per router plane.
struct SharingPlan {
  std::string pattern = "unicast";  // unicast, grouped / interleaved multicast, broadcast
  std::string mode = "unicast";     // router mode (RouterMode name, or "mixed")
  int largest_group = 1;
  int64_t sends = 0;       // packets injected at roots
  int64_t bottleneck = 0;  // the chooser's estimate (busiest link or port)
};

struct NocProgram {
  std::vector<RouterConfig> iact_routers;    // [cluster * iact_routers + b]
  std::vector<RouterConfig> weight_routers;  // [cluster * weight_routers + i]
  SharingPlan iact, weight;
  std::vector<std::vector<PortStep>> iact_ports;          // [cluster * iact_banks + b]
  std::vector<std::vector<WeightSend>> weight_channels;   // [cluster * weight_routers + i]
  std::vector<std::vector<PePass>> pes;                   // [cluster * pes_per_cluster + pe]
  std::vector<std::vector<PsumRouterPass>> psum_routers;  // [cluster * psum_routers + j]
  std::vector<std::vector<PsumRead>> psum_banks;          // [cluster * psum_banks + j]
  int64_t output_rows = 0;  // final psum rows the off-chip port receives
  uint64_t streams_stored = 0, streams_reused = 0, streams_passed = 0;
  bool signed_iacts = false;
};

}  // namespace eyeriss
