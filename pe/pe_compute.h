// The sparse PE's datapath and cycle model in plain C++ (no SystemC), so the cycle rules can be
// unit-tested directly. The sc_module in pe/pe.h wraps one PeCore and moves packets in and out.
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

namespace eyeriss {

using Cycle = uint64_t;

struct PePassConfig {
  bool active = false;  // false: no reduction item this pass, psums pass straight through
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
  Cycle first_start = UINT64_MAX, last_done = 0;

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
struct PositionWork {
  int frontend = 0;  // window entries walked by stages 1-2
  int words = 0;     // weight words read by stages 3-5 (one per cycle)
  Cycle cycles() const { return frontend > words ? frontend : words; }
};

class PeCore {
 public:
  explicit PeCore(const ArchConfig& arch);

  // Starts a new pass. Timing state (when SPads free up) carries over from the previous pass.
  void configure(const PePassConfig& cfg);
  const PePassConfig& config() const { return cfg_; }

  // Weight matrix mc x (cc*S), column-major (value of (m, k) at k*mc + m). In sparse mode it
  // arrives CSC-encoded; `arrival` is when it can start streaming in, `xfer` its link cycles.
  // Returns the cycle the write ends. Throws std::runtime_error if the SPads overflow.
  Cycle load_weights(const CscMatrix& w, Cycle arrival, Cycle xfer);
  Cycle load_weights_raw(const std::vector<int16_t>& w, Cycle arrival, Cycle xfer);
  // The next iact segment (seg_cols*cc rows, one column). Returns the cycle the write ends; the
  // write waits until the iact SPads have room (older segments leave as positions complete).
  Cycle load_iact_segment(const CscMatrix& seg, Cycle arrival, Cycle xfer);
  Cycle load_iact_segment_raw(const std::vector<int16_t>& seg, Cycle arrival, Cycle xfer);

  // Readiness (no side effects): the earliest cycle the next weight block / the next iact
  // segment of `entries` entries could start being written.
  Cycle weights_ready_time() const { return prev_pass_done_; }
  Cycle iact_ready_time(int entries) const;

  // Computes the next output position, adds the incoming psums (`in` null: the first PE of the
  // chain, nothing to add) and sends the result on the psum output link. Returns the cycle the
  // psums have left the PE; `out` receives them (wrapped to psum_bits).
  Cycle process_position(const std::vector<int32_t>* in, Cycle in_arrival,
                         std::vector<int32_t>& out);

  // Work of position f without side effects (for tests and the mapper's estimates).
  PositionWork position_work(int f) const;

  const PeStats& stats() const { return stats_; }
  int positions_done() const { return next_pos_; }
  Cycle psum_xfer_cycles(int values) const;
  uint64_t psum_bits_of(std::size_t values) const { return uint64_t(values) * arch_.psum_bits; }

 private:
  struct Entry {
    int16_t row;
    int16_t value;
  };
  struct Segment {
    std::vector<Entry> entries;
    Cycle write_end = 0;
  };
  struct WeightEntry {
    int16_t m;
    int16_t value;
  };

  void fail(const std::string& msg) const;
  Cycle reserve_iact_space(int seg_index, int entries, Cycle arrival) const;
  Cycle store_segment(std::vector<Entry>&& entries, Cycle arrival, Cycle xfer);
  Cycle store_weights(std::vector<std::vector<WeightEntry>>&& cols, int words, Cycle arrival,
                      Cycle xfer);
  PositionWork compute(int f, std::vector<int64_t>* acc, PeStats* st) const;

  ArchConfig arch_;
  PePassConfig cfg_;
  std::vector<std::vector<WeightEntry>> wcols_;  // per weight column: (m, value)
  Cycle weights_ready_ = 0;
  std::vector<Segment> segs_;
  std::vector<Cycle> done_;  // per position of this pass: MAC stage done
  int next_pos_ = 0;
  // Carried across passes.
  Cycle prev_pass_done_ = 0;    // last MAC cycle of the previous pass: SPads free
  Cycle out_hist_[2] = {0, 0};  // psum send-out end of the last two positions
  Cycle link_free_ = 0;         // psum output link
  PeStats stats_;
};

}  // namespace eyeriss
