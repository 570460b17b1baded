#include "pe/pe_compute.h"

#include <algorithm>
#include <climits>
#include <stdexcept>

#include "models/common/quant.h"
#include "models/common/trace.h"

namespace eyeriss {

void PeStats::add(const PeStats& o) {
  each_counter(*this, o, [](uint64_t& a, uint64_t b) { a += b; });
  first_start = std::min(first_start, o.first_start);
  last_done = std::max(last_done, o.last_done);
}

PeStats PeStats::since(const PeStats& before) const {
  PeStats d = *this;
  each_counter(d, before, [](uint64_t& a, uint64_t b) { a -= b; });
  d.first_start = UINT64_MAX;
  d.last_done = 0;
  return d;
}

PeCore::PeCore(const ArchConfig& arch) : arch_(arch) {}

void PeCore::fail(const std::string& msg) const {
  throw std::runtime_error(cfg_.where + ": " + msg);
}

void PeCore::configure(const PePassConfig& cfg) {
  if (!done_.empty()) prev_pass_done_ = std::max(prev_pass_done_, done_.back());
  cfg_ = cfg;
  wcols_.clear();
  segs_.clear();
  done_.clear();
  next_pos_ = 0;
  weights_ready_ = prev_pass_done_;
  if (!cfg.active) return;
  if (cfg.mc < 1 || cfg.cc < 1 || cfg.S < 1 || cfg.U < 1 || cfg.positions < 1)
    fail("bad pass configuration");
  if (cfg.mc > arch_.psum.entries)
    fail("M0 = " + std::to_string(cfg.mc) + " psums exceed the psum SPad (" +
         std::to_string(arch_.psum.entries) + " entries)");
  if (arch_.sparse && cfg.window_segs() > arch_.iact_addr.entries)
    fail("a window of " + std::to_string(cfg.window_segs()) +
         " segments exceeds the iact address SPad (" + std::to_string(arch_.iact_addr.entries) +
         " entries)");
  segs_.reserve(cfg.segments());
  done_.reserve(cfg.positions);
}

Cycle PeCore::store_weights(std::vector<std::vector<WeightEntry>>&& cols, int words, Cycle arrival,
                            Cycle xfer) {
  if (!cfg_.active) fail("weights sent to an inactive PE");
  if (!wcols_.empty()) fail("weights loaded twice in one pass");
  if (arch_.sparse && cfg_.weight_cols() > arch_.weight_addr.entries)
    fail(std::to_string(cfg_.weight_cols()) + " weight columns exceed the weight address SPad (" +
         std::to_string(arch_.weight_addr.entries) + " entries)");
  if (words > arch_.weight_data.entries)
    fail(std::to_string(words) + " weight words exceed the weight data SPad (" +
         std::to_string(arch_.weight_data.entries) + " entries)");
  wcols_ = std::move(cols);
  // The weight SPad is rewritten only once the previous pass stops reading it.
  const Cycle start = std::max(arrival, prev_pass_done_);
  weights_ready_ = start + xfer;
  stats_.weight_data_writes += words;
  if (arch_.sparse) stats_.weight_addr_writes += cfg_.weight_cols();
  return weights_ready_;
}

Cycle PeCore::load_weights(const CscMatrix& w, Cycle arrival, Cycle xfer) {
  if (!arch_.sparse) fail("CSC weights sent to a dense-mode PE");
  if (w.rows != cfg_.mc || w.cols != cfg_.weight_cols())
    fail("weight matrix is " + std::to_string(w.rows) + " x " + std::to_string(w.cols) +
         ", expected " + std::to_string(cfg_.mc) + " x " + std::to_string(cfg_.weight_cols()));
  std::vector<std::vector<WeightEntry>> cols(w.cols);
  int words = 0;
  for (int k = 0; k < w.cols; ++k) {
    int row = -1;
    for (int i = w.addr[k]; i < w.addr[k + 1]; ++i) {
      row += 1 + w.count[i];
      cols[k].push_back({static_cast<int16_t>(row), w.data[i]});
    }
    // A column occupies whole words: SIMD lanes of a word serve the same iact.
    words += (w.addr[k + 1] - w.addr[k] + arch_.simd - 1) / arch_.simd;
  }
  return store_weights(std::move(cols), words, arrival, xfer);
}

Cycle PeCore::load_weights_raw(const std::vector<int16_t>& w, Cycle arrival, Cycle xfer) {
  if (arch_.sparse) fail("raw weights sent to a sparse-mode PE");
  const int K = cfg_.weight_cols(), mc = cfg_.mc;
  if (static_cast<int>(w.size()) != K * mc) fail("raw weight block has the wrong size");
  std::vector<std::vector<WeightEntry>> cols(K);
  for (int k = 0; k < K; ++k)
    for (int m = 0; m < mc; ++m) cols[k].push_back({static_cast<int16_t>(m), w[k * mc + m]});
  const int words = K * ((mc + arch_.simd - 1) / arch_.simd);
  return store_weights(std::move(cols), words, arrival, xfer);
}

// Finds when segment `seg_index` of `entries` entries can be written: the oldest segments leave
// the iact SPads as the positions that last use them complete (segment j's last user is
// position j).
Cycle PeCore::iact_ready_time(int entries) const {
  return reserve_iact_space(static_cast<int>(segs_.size()), entries, 0);
}

Cycle PeCore::reserve_iact_space(int seg_index, int entries, Cycle arrival) const {
  const int data_cap = arch_.iact_data.entries;
  // Dense mode gates the address SPad: only the data SPad limits what is resident.
  const int addr_cap = arch_.sparse ? arch_.iact_addr.entries : INT_MAX;
  int j0 = seg_index;  // oldest segment still resident after the write
  int used = entries;
  if (used > data_cap)
    fail("iact segment " + std::to_string(seg_index) + " has " + std::to_string(entries) +
         " entries, more than the iact data SPad (" + std::to_string(data_cap) + ")");
  while (j0 > 0 && seg_index - (j0 - 1) + 1 <= addr_cap &&
         used + static_cast<int>(segs_[j0 - 1].entries.size()) <= data_cap) {
    used += static_cast<int>(segs_[j0 - 1].entries.size());
    --j0;
  }
  // Every segment of the window ending with this one must be resident together.
  const int window_first = seg_index - cfg_.window_segs() + 1;
  if (j0 > std::max(window_first, 0))
    fail("iact window ending at segment " + std::to_string(seg_index) + " needs more than " +
         std::to_string(data_cap) + " iact data entries");
  // One write port: segments are written one after another, and a new pass's iacts replace
  // the previous pass's only once that pass is done.
  Cycle t = std::max({arrival, prev_pass_done_, segs_.empty() ? Cycle(0) : segs_.back().write_end});
  if (j0 > 0) {
    const int evict = j0 - 1;  // position `evict` must be done before its segment leaves
    if (evict >= static_cast<int>(done_.size()))
      fail("iact segment " + std::to_string(seg_index) + " sent before position " +
           std::to_string(evict) + " was computed (controller ordering bug)");
    t = std::max(t, done_[evict]);
  }
  return t;
}

Cycle PeCore::store_segment(std::vector<Entry>&& entries, Cycle arrival, Cycle xfer) {
  if (!cfg_.active) fail("iacts sent to an inactive PE");
  const int k = static_cast<int>(segs_.size());
  if (k >= cfg_.segments()) fail("more iact segments than the pass needs");
  const Cycle start = reserve_iact_space(k, static_cast<int>(entries.size()), arrival);
  stats_.iact_data_writes += entries.size();
  if (arch_.sparse) stats_.iact_addr_writes += 1;
  segs_.push_back({std::move(entries), start + xfer});
  return start + xfer;
}

Cycle PeCore::load_iact_segment(const CscMatrix& seg, Cycle arrival, Cycle xfer) {
  if (!arch_.sparse) fail("CSC iacts sent to a dense-mode PE");
  if (seg.cols != 1 || seg.rows != cfg_.seg_cols() * cfg_.cc)
    fail("iact segment is " + std::to_string(seg.rows) + " x " + std::to_string(seg.cols) +
         ", expected " + std::to_string(cfg_.seg_cols() * cfg_.cc) + " x 1");
  std::vector<Entry> e;
  e.reserve(seg.entries());
  int row = -1;
  for (int i = 0; i < seg.entries(); ++i) {
    row += 1 + seg.count[i];
    e.push_back({static_cast<int16_t>(row), seg.data[i]});
  }
  return store_segment(std::move(e), arrival, xfer);
}

Cycle PeCore::load_iact_segment_raw(const std::vector<int16_t>& seg, Cycle arrival, Cycle xfer) {
  if (arch_.sparse) fail("raw iacts sent to a sparse-mode PE");
  if (static_cast<int>(seg.size()) != cfg_.seg_cols() * cfg_.cc)
    fail("raw iact segment has the wrong size");
  std::vector<Entry> e;
  e.reserve(seg.size());
  for (std::size_t i = 0; i < seg.size(); ++i) e.push_back({static_cast<int16_t>(i), seg[i]});
  return store_segment(std::move(e), arrival, xfer);
}

PositionWork PeCore::compute(int f, std::vector<int64_t>* acc, PeStats* st) const {
  PositionWork w;
  const int cc = cfg_.cc, S = cfg_.S, U = cfg_.U, simd = arch_.simd;
  for (int t = 0; t < cfg_.window_segs(); ++t) {
    const Segment& seg = segs_[f + t];
    for (const Entry& e : seg.entries) {
      const int u = e.row / cc, c = e.row % cc;
      const int s = t * U + u;
      // Rows are u-major, so the first entry past the window ends the walk of this segment.
      if (s >= S) break;
      ++w.frontend;
      if (arch_.sparse && e.value == 0) continue;  // explicit zero: no weight read
      const auto& col = wcols_[c * S + s];
      if (st && arch_.sparse) ++st->weight_addr_reads;  // gated in dense mode
      if (col.empty()) {
        if (st) ++st->dropped_iacts;
        continue;
      }
      const int words = (static_cast<int>(col.size()) + simd - 1) / simd;
      w.words += words;
      if (st) {
        st->weight_data_reads += words;
        st->mac_slots += static_cast<uint64_t>(words) * simd;
        st->macs += col.size();
        st->psum_reads += col.size();
        st->psum_writes += col.size();
      }
      for (const WeightEntry& we : col) {
        if (acc) (*acc)[we.m] += int64_t(e.value) * we.value;
        if (st && e.value != 0 && we.value != 0) ++st->nonzero_macs;
      }
    }
  }
  if (st) {
    st->iact_data_reads += w.frontend;
    if (arch_.sparse) st->iact_addr_reads += cfg_.window_segs();
  }
  return w;
}

PositionWork PeCore::position_work(int f) const {
  if (f < 0 || f + cfg_.window_segs() > static_cast<int>(segs_.size()))
    fail("position_work: window not loaded");
  return compute(f, nullptr, nullptr);
}

Cycle PeCore::psum_xfer_cycles(int values) const {
  return (Cycle(values) * arch_.psum_bits + arch_.psum_link_bits - 1) / arch_.psum_link_bits;
}

Cycle PeCore::process_position(const std::vector<int32_t>* in, Cycle in_arrival,
                               std::vector<int32_t>& out) {
  const int bits = arch_.psum_bits;
  if (!cfg_.active) {  // bypass: forward what came in
    if (in) {
      out = *in;
      stats_.psum_out_bits += psum_bits_of(in->size());
      const Cycle start = std::max(in_arrival, link_free_);
      link_free_ = start + psum_xfer_cycles(static_cast<int>(in->size()));
      return link_free_;
    }
    out.clear();
    return in_arrival;
  }
  const int f = next_pos_;
  if (f >= cfg_.positions) fail("more positions than configured");
  if (f + cfg_.window_segs() > static_cast<int>(segs_.size()))
    fail("position " + std::to_string(f) + " computed before its iacts arrived");
  if (wcols_.empty()) fail("position computed before the weights arrived");
  if (in && static_cast<int>(in->size()) != cfg_.mc) fail("incoming psum row has the wrong size");

  std::vector<int64_t> acc(cfg_.mc, 0);
  PositionWork w = compute(f, &acc, &stats_);
  const Cycle cycles = w.cycles();

  // Psum SPad: double-buffered when two positions' psums fit, else the next position waits
  // until the previous psums have been sent out.
  const bool double_buf = 2 * cfg_.mc <= arch_.psum.entries;
  const Cycle psum_free = double_buf ? out_hist_[1] : out_hist_[0];
  Cycle start = std::max({segs_[f + cfg_.window_segs() - 1].write_end, weights_ready_, psum_free,
                          f > 0 ? done_[f - 1] : prev_pass_done_});
  const Cycle done = start + cycles;
  done_.push_back(done);
  ++next_pos_;
  stats_.busy_cycles += cycles;
  stats_.positions += 1;
  if (cycles > 0 && Trace::get().on()) Trace::get().add(cfg_.where, "MAC", "pe", start, done);
  if (cycles > 0) {
    stats_.first_start = std::min(stats_.first_start, start);
    stats_.last_done = std::max(stats_.last_done, done);
  }

  // Results leave the pipeline after its remaining stages; incoming psums are added two per
  // cycle through the psum SPad's ports.
  Cycle ready = done + (arch_.pipeline_stages - 1);
  out.resize(cfg_.mc);
  if (in) {
    ready =
        std::max(ready, in_arrival) + (cfg_.mc + arch_.psum_spad_ports - 1) / arch_.psum_spad_ports;
    stats_.psum_reads += cfg_.mc;
    stats_.psum_writes += cfg_.mc;
  }
  for (int m = 0; m < cfg_.mc; ++m) out[m] = wrap_psum(acc[m] + (in ? (*in)[m] : 0), bits);
  stats_.psum_reads += cfg_.mc;  // read out for sending
  stats_.psum_out_bits += psum_bits_of(cfg_.mc);
  const Cycle send = std::max(ready, link_free_);
  link_free_ = send + psum_xfer_cycles(cfg_.mc);
  out_hist_[1] = out_hist_[0];
  out_hist_[0] = link_free_;
  return link_free_;
}

}  // namespace eyeriss
