// The sparse PE's datapath and cycle rules in plain C++ (no SystemC, no notion of when), so the
// rules can be unit-tested directly. The sc_module in pe/pe.h wraps one PeCore and decides,
// causally, when each SPad write and each position happens.
//
// A pass is one 1-D convolution primitive (RS+): the PE holds an mc x (cc*S) weight matrix
// (column k = c*S + s) and slides a window of S iact columns x cc channels along an iact row,
// producing mc psums per output position. The iact row arrives as segments of seg_cols columns
// x cc channels (seg_cols = stride U, or S when U > S), each CSC-compressed on its own as one
// column whose row index is u*cc + c. Cycle rules: docs/pe-cycle-model.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/csc.h"
#include "models/common/cycle.h"
#include "noc/link_format.h"

namespace eyeriss {

// The PE's parameters, derived once from the architecture file.
struct PeParams {
  bool sparse = true;
  int simd = 2;
  int pipeline_stages = 7;
  int psum_bits = 20;
  int psum_spad_ports = 2;
  SpadConfig iact_addr{9, 4}, iact_data{16, 12}, weight_addr{16, 7}, weight_data{96, 24},
      psum{32, 20};
  int psum_link_bits = 40;
  int pass_config_cycles = 1;
  LinkFormat format;
  static PeParams from(const ArchConfig& a);
};

struct PePassConfig {
  bool active = false;  // false: no reduction item this pass, psums pass straight through
  bool sparse = true;   // the layer's PE mode: CSC data (else raw, address SPads gated)
  int mc = 0;           // output channels (psums per position), M0 or the remainder
  int cc = 0;           // input channels, C0 or the remainder
  int S = 0;            // filter width
  int U = 1;            // stride
  int positions = 0;    // output positions this pass
  std::string where;    // instance name, for messages

  int seg_cols() const { return U <= S ? U : S; }
  int window_segs() const { return U <= S ? (S + U - 1) / U : 1; }
  int segments() const { return positions - 1 + window_segs(); }
  int weight_cols() const { return cc * S; }
};

// Action counts of one PE (the energy model re-costs these; nothing here is energy).
struct PeStats {
  uint64_t busy_cycles = 0;   // cycles the MAC stage was occupied (sum over positions)
  uint64_t positions = 0;     // output positions computed
  uint64_t mac_slots = 0;     // weight words read x SIMD width (lanes offered)
  uint64_t macs = 0;          // lanes holding a weight entry (MACs performed)
  uint64_t nonzero_macs = 0;  // MACs with iact and weight both nonzero
  uint64_t iact_addr_reads = 0, iact_data_reads = 0;
  uint64_t iact_addr_writes = 0, iact_data_writes = 0;
  uint64_t weight_addr_reads = 0, weight_data_reads = 0;
  uint64_t weight_addr_writes = 0, weight_data_writes = 0;
  uint64_t psum_reads = 0, psum_writes = 0;
  uint64_t dropped_iacts = 0;  // nonzero iacts whose weight column was empty
  uint64_t psum_out_bits = 0;  // bits sent on the psum output link (up the column)
  Cycle first_start = kNever, last_done = 0;

  // Every additive counter once, so sums and differences cannot drift apart.
  template <typename Stats, typename F>
  static void each_counter(Stats& a, const PeStats& b, F f) {
    for (auto m : {&PeStats::busy_cycles, &PeStats::positions, &PeStats::mac_slots, &PeStats::macs,
                   &PeStats::nonzero_macs, &PeStats::iact_addr_reads, &PeStats::iact_data_reads,
                   &PeStats::iact_addr_writes, &PeStats::iact_data_writes,
                   &PeStats::weight_addr_reads, &PeStats::weight_data_reads,
                   &PeStats::weight_addr_writes, &PeStats::weight_data_writes, &PeStats::psum_reads,
                   &PeStats::psum_writes, &PeStats::dropped_iacts, &PeStats::psum_out_bits})
      f(a.*m, b.*m);
  }
  void add(const PeStats& o);  // counters summed, [first_start, last_done] widened
  // Counters accumulated since `before` (a snapshot of the same PE); timing fields unset.
  PeStats since(const PeStats& before) const;
};

// Cycles and MACs of one output position, exposed for tests.
// Stage 4 issues a column's words back to back, the first no earlier than the cycle its iact is
// walked (an item walked while stage 4 is idle issues at once); `issue_end` is the cycle after
// the last word. A position holds stages 1-4 for at least one cycle (docs/pe-cycle-model.md).
struct PositionWork {
  int frontend = 0;   // window entries walked by stages 1-2
  int words = 0;      // weight words read by stages 4-5 (one per cycle)
  int issue_end = 0;  // cycle (from the start) after the last word issued
  Cycle cycles() const {
    const int c = frontend > issue_end ? frontend : issue_end;
    return c > 1 ? c : 1;
  }
};

class PeCore {
 public:
  explicit PeCore(const PeParams& p);
  explicit PeCore(const ArchConfig& a) : PeCore(PeParams::from(a)) {}

  // Starts a new pass: empties the iact and weight SPads.
  void configure(const PePassConfig& cfg);
  const PePassConfig& config() const { return cfg_; }
  const PeParams& params() const { return p_; }
  // The current pass's mode: a sparse PE runs each layer sparse or dense (its command says
  // which); a dense PE is always dense.
  bool sparse() const { return p_.sparse && cfg_.sparse; }

  // SPad writes (throw std::runtime_error naming the SPad if it overflows). Weights: columns
  // k = c*S + s of entries (row = output channel); `words` weight-data words they fill.
  void write_weights(std::vector<std::vector<LinkEntry>>&& cols, int words);
  void write_weights_raw(const std::vector<int16_t>& w);  // column-major mc x (cc*S)
  // The next iact segment: entries (row, value); raw segments hold every row in order.
  void write_iact_segment(std::vector<LinkEntry>&& entries);
  // The same without copies: decode into the buffer, then commit it.
  std::vector<LinkEntry>& segment_buffer();
  void commit_segment();
  std::vector<std::vector<LinkEntry>>& weight_buffer(int cols);
  void commit_weights(int words);
  // Conveniences for tests and tools: the same from CSC matrices / raw vectors.
  void load_weights(const CscMatrix& w);
  void load_iact_segment(const CscMatrix& seg);
  void load_iact_segment_raw(const std::vector<int16_t>& seg);
  void load_weights_raw(const std::vector<int16_t>& w) { write_weights_raw(w); }

  // Iact SPad residency: writing the next segment (`entries` entries) needs the space of the
  // oldest resident segments; segment j leaves when position j (its last user) is done.
  // Returns the position that must be done first, or -1 if the segment fits now. Throws if a
  // window can never be resident.
  int iact_evict_position(int entries) const;
  int segments_written() const { return nsegs_; }
  bool weights_written() const { return weights_ok_; }
  int positions_done() const { return next_pos_; }

  // Work of position f without side effects (tests and estimates).
  PositionWork position_work(int f) const;
  // Computes the next position into `acc` (mc raw sums, not wrapped), counting its actions.
  PositionWork compute_next(std::vector<int64_t>& acc);
  // Counts adding an incoming psum row and reading a row out to send.
  void count_psum_add(int values);
  void count_psum_send(int values);
  // Data-only form of a whole position: computes the next one, adds `in` (may be null) and
  // wraps to psum_bits into `out`.
  PositionWork process_position(const std::vector<int32_t>* in, std::vector<int32_t>& out);

  PeStats& stats() { return stats_; }
  const PeStats& stats() const { return stats_; }
  Cycle psum_xfer_cycles(int values) const;

 private:
  struct Segment {
    std::vector<LinkEntry> entries;
  };
  void fail(const std::string& msg) const;
  PositionWork compute(int f, std::vector<int64_t>* acc, PeStats* st) const;

  PeParams p_;
  PePassConfig cfg_;
  std::vector<std::vector<LinkEntry>> wcols_;  // per weight column: (m, value)
  // Per weight column, worked out when the block is written (not per iact that reads it): its
  // weight-data SPad words and its nonzero weights (dense mode keeps zeros in its columns).
  struct ColumnCounts {
    int words = 0, nonzero = 0;
  };
  std::vector<ColumnCounts> wcounts_;
  bool weights_ok_ = false;
  std::vector<Segment> segs_;  // [0, nsegs_) hold this pass's segments; the rest are spare
  int nsegs_ = 0;
  std::vector<std::vector<LinkEntry>> wbuf_;
  int next_pos_ = 0;
  PeStats stats_;
};

}  // namespace eyeriss
