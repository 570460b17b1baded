#include "pe/pe_compute.h"

#include <algorithm>
#include <climits>
#include <stdexcept>

#include "models/common/quant.h"
#include "noc/packet_bits.h"

namespace eyeriss {

PeParams PeParams::from(const ArchConfig& a) {
  PeParams p;
  p.sparse = a.sparse;
  p.simd = a.simd;
  p.pipeline_stages = a.pipeline_stages;
  p.psum_bits = a.psum_bits;
  p.psum_spad_ports = a.psum_spad_ports;
  p.iact_addr = a.iact_addr;
  p.iact_data = a.iact_data;
  p.weight_addr = a.weight_addr;
  p.weight_data = a.weight_data;
  p.psum = a.psum;
  p.psum_link_bits = a.psum_link_bits;
  p.pass_config_cycles = a.pass_config_cycles;
  p.format = link_format(a);
  return p;
}

void PeStats::add(const PeStats& o) {
  each_counter(*this, o, [](uint64_t& a, uint64_t b) { a += b; });
  first_start = std::min(first_start, o.first_start);
  last_done = std::max(last_done, o.last_done);
}

PeStats PeStats::since(const PeStats& before) const {
  PeStats d = *this;
  each_counter(d, before, [](uint64_t& a, uint64_t b) { a -= b; });
  d.first_start = kNever;
  d.last_done = 0;
  return d;
}

PeCore::PeCore(const PeParams& p) : p_(p) {}

void PeCore::fail(const std::string& msg) const {
  throw std::runtime_error(cfg_.where + ": " + msg);
}

void PeCore::configure(const PePassConfig& cfg) {
  cfg_ = cfg;
  for (auto& c : wcols_) c.clear();
  weights_ok_ = false;
  nsegs_ = 0;
  next_pos_ = 0;
  if (!cfg.active) return;
  if (cfg.mc < 1 || cfg.cc < 1 || cfg.S < 1 || cfg.U < 1 || cfg.positions < 1)
    fail("bad pass configuration");
  if (cfg.mc > p_.psum.entries)
    fail("M0 = " + std::to_string(cfg.mc) + " psums exceed the psum SPad (" +
         std::to_string(p_.psum.entries) + " entries)");
  if (sparse() && cfg.window_segs() > p_.iact_addr.entries)
    fail("a window of " + std::to_string(cfg.window_segs()) +
         " segments exceeds the iact address SPad (" + std::to_string(p_.iact_addr.entries) +
         " entries)");
}

void PeCore::write_weights(std::vector<std::vector<LinkEntry>>&& cols, int words) {
  if (!cfg_.active) fail("weights sent to an inactive PE");
  if (weights_ok_) fail("weights loaded twice in one pass");
  if (sparse() && cfg_.weight_cols() > p_.weight_addr.entries)
    fail(std::to_string(cfg_.weight_cols()) + " weight columns exceed the weight address SPad (" +
         std::to_string(p_.weight_addr.entries) + " entries)");
  if (static_cast<int>(cols.size()) != cfg_.weight_cols())
    fail("weight block has " + std::to_string(cols.size()) + " columns, expected " +
         std::to_string(cfg_.weight_cols()));
  if (words > p_.weight_data.entries)
    fail(std::to_string(words) + " weight words exceed the weight data SPad (" +
         std::to_string(p_.weight_data.entries) + " entries)");
  for (const auto& c : cols)
    for (const LinkEntry& e : c)
      if (e.row < 0 || e.row >= cfg_.mc) fail("weight entry row outside the block");
  std::swap(wcols_, cols);
  wcounts_.resize(wcols_.size());
  for (std::size_t k = 0; k < wcols_.size(); ++k) {
    const auto& c = wcols_[k];
    int nz = 0;
    for (const LinkEntry& e : c) nz += e.value != 0;
    wcounts_[k] = {(static_cast<int>(c.size()) + p_.simd - 1) / p_.simd, nz};
  }
  weights_ok_ = true;
  stats_.weight_data_writes += words;
  if (sparse()) stats_.weight_addr_writes += cfg_.weight_cols();
}

void PeCore::write_weights_raw(const std::vector<int16_t>& w) {
  if (sparse()) fail("raw weights sent to a sparse-mode PE");
  const int K = cfg_.weight_cols(), mc = cfg_.mc;
  if (static_cast<int>(w.size()) != K * mc) fail("raw weight block has the wrong size");
  std::vector<std::vector<LinkEntry>> cols(K);
  for (int k = 0; k < K; ++k)
    for (int m = 0; m < mc; ++m) cols[k].push_back({static_cast<int16_t>(m), w[k * mc + m]});
  write_weights(std::move(cols), K * ((mc + p_.simd - 1) / p_.simd));
}

void PeCore::load_weights(const CscMatrix& w) {
  if (!sparse()) fail("CSC weights sent to a dense-mode PE");
  if (w.rows != cfg_.mc || w.cols != cfg_.weight_cols())
    fail("weight matrix is " + std::to_string(w.rows) + " x " + std::to_string(w.cols) +
         ", expected " + std::to_string(cfg_.mc) + " x " + std::to_string(cfg_.weight_cols()));
  std::vector<std::vector<LinkEntry>> cols(w.cols);
  int words = 0;
  for (int k = 0; k < w.cols; ++k) {
    int row = -1;
    for (int i = w.addr[k]; i < w.addr[k + 1]; ++i) {
      row += 1 + w.count[i];
      cols[k].push_back({static_cast<int16_t>(row), w.data[i]});
    }
    words += (w.addr[k + 1] - w.addr[k] + p_.simd - 1) / p_.simd;
  }
  write_weights(std::move(cols), words);
}

int PeCore::iact_evict_position(int entries) const {
  const int seg_index = nsegs_;
  const int data_cap = p_.iact_data.entries;
  // Dense mode gates the address SPad: only the data SPad limits what is resident.
  const int addr_cap = sparse() ? p_.iact_addr.entries : INT_MAX;
  if (!cfg_.active) fail("iacts sent to an inactive PE");
  if (seg_index >= cfg_.segments()) fail("more iact segments than the pass needs");
  if (entries > data_cap)
    fail("iact segment " + std::to_string(seg_index) + " has " + std::to_string(entries) +
         " entries, more than the iact data SPad (" + std::to_string(data_cap) + ")");
  int j0 = seg_index;  // oldest segment still resident after the write
  int used = entries;
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
  return j0 - 1;  // segment j0-1 leaves once position j0-1, its last user, is done
}

std::vector<LinkEntry>& PeCore::segment_buffer() {
  if (nsegs_ == static_cast<int>(segs_.size())) segs_.emplace_back();
  segs_[nsegs_].entries.clear();
  return segs_[nsegs_].entries;
}

void PeCore::commit_segment() {
  // The caller found room with iact_evict_position (the PE waits for it; tests call
  // write_iact_segment, which checks).
  const std::vector<LinkEntry>& entries = segs_[nsegs_].entries;
  const int n = static_cast<int>(entries.size());
  for (const LinkEntry& e : entries)
    if (e.row < 0 || e.row >= cfg_.seg_cols() * cfg_.cc) fail("iact entry row outside the segment");
  stats_.iact_data_writes += n;
  if (sparse()) stats_.iact_addr_writes += 1;
  ++nsegs_;
}

void PeCore::write_iact_segment(std::vector<LinkEntry>&& entries) {
  iact_evict_position(static_cast<int>(entries.size()));  // validates capacity
  segment_buffer() = std::move(entries);
  commit_segment();
}

std::vector<std::vector<LinkEntry>>& PeCore::weight_buffer(int cols) {
  wbuf_.resize(cols);
  for (auto& c : wbuf_) c.clear();
  return wbuf_;
}

void PeCore::commit_weights(int words) { write_weights(std::move(wbuf_), words); }

void PeCore::load_iact_segment(const CscMatrix& seg) {
  if (!sparse()) fail("CSC iacts sent to a dense-mode PE");
  if (seg.cols != 1 || seg.rows != cfg_.seg_cols() * cfg_.cc)
    fail("iact segment is " + std::to_string(seg.rows) + " x " + std::to_string(seg.cols) +
         ", expected " + std::to_string(cfg_.seg_cols() * cfg_.cc) + " x 1");
  std::vector<LinkEntry> e;
  int row = -1;
  for (int i = 0; i < seg.entries(); ++i) {
    row += 1 + seg.count[i];
    e.push_back({static_cast<int16_t>(row), seg.data[i]});
  }
  write_iact_segment(std::move(e));
}

void PeCore::load_iact_segment_raw(const std::vector<int16_t>& seg) {
  if (sparse()) fail("raw iacts sent to a sparse-mode PE");
  if (static_cast<int>(seg.size()) != cfg_.seg_cols() * cfg_.cc)
    fail("raw iact segment has the wrong size");
  std::vector<LinkEntry> e;
  e.reserve(seg.size());
  for (std::size_t i = 0; i < seg.size(); ++i) e.push_back({static_cast<int16_t>(i), seg[i]});
  write_iact_segment(std::move(e));
}

PositionWork PeCore::compute(int f, std::vector<int64_t>* acc, PeStats* st) const {
  PositionWork w;
  const int cc = cfg_.cc, S = cfg_.S, U = cfg_.U, simd = p_.simd;
  for (int t = 0; t < cfg_.window_segs(); ++t) {
    const Segment& seg = segs_[f + t];
    for (const LinkEntry& e : seg.entries) {
      const int u = e.row / cc, c = e.row % cc;
      const int s = t * U + u;
      // Rows are u-major, so the first entry past the window ends the walk of this segment.
      if (s >= S) break;
      ++w.frontend;
      if (sparse() && e.value == 0) continue;  // explicit zero: no weight read
      const auto& col = wcols_[c * S + s];
      if (st && sparse()) ++st->weight_addr_reads;  // gated in dense mode
      if (col.empty()) {
        if (st) ++st->dropped_iacts;
        continue;
      }
      const ColumnCounts& n = wcounts_[c * S + s];
      const int words = n.words;
      w.words += words;
      // Walked in cycle frontend - 1; issues when stage 4 is free.
      w.issue_end = std::max(w.issue_end, w.frontend - 1) + words;
      if (st) {
        st->weight_data_reads += words;
        st->mac_slots += static_cast<uint64_t>(words) * simd;
        st->macs += col.size();
        st->psum_reads += col.size();
        st->psum_writes += col.size();
      }
      if (acc) {
        int64_t* a = acc->data();
        const int64_t v = e.value;
        for (const LinkEntry& we : col) a[we.row] += v * we.value;
      }
      if (st && e.value != 0) st->nonzero_macs += n.nonzero;
    }
  }
  if (st) {
    st->iact_data_reads += w.frontend;
    if (sparse()) st->iact_addr_reads += cfg_.window_segs();
  }
  return w;
}

PositionWork PeCore::position_work(int f) const {
  if (f < 0 || f + cfg_.window_segs() > nsegs_) fail("position_work: window not loaded");
  return compute(f, nullptr, nullptr);
}

PositionWork PeCore::compute_next(std::vector<int64_t>& acc) {
  const int f = next_pos_;
  if (!cfg_.active) fail("position computed on an inactive PE");
  if (f >= cfg_.positions) fail("more positions than configured");
  if (f + cfg_.window_segs() > nsegs_)
    fail("position " + std::to_string(f) + " computed before its iacts arrived");
  if (!weights_ok_) fail("position computed before the weights arrived");
  acc.assign(cfg_.mc, 0);
  const PositionWork w = compute(f, &acc, &stats_);
  ++next_pos_;
  stats_.busy_cycles += w.cycles();
  stats_.positions += 1;
  return w;
}

void PeCore::count_psum_add(int values) {
  stats_.psum_reads += values;
  stats_.psum_writes += values;
}

void PeCore::count_psum_send(int values) {
  stats_.psum_reads += values;
  stats_.psum_out_bits += uint64_t(values) * p_.psum_bits;
}

PositionWork PeCore::process_position(const std::vector<int32_t>* in, std::vector<int32_t>& out) {
  std::vector<int64_t> acc;
  const PositionWork w = compute_next(acc);
  if (in && static_cast<int>(in->size()) != cfg_.mc) fail("incoming psum row has the wrong size");
  if (in) count_psum_add(cfg_.mc);
  out.resize(cfg_.mc);
  for (int m = 0; m < cfg_.mc; ++m) out[m] = wrap_psum(acc[m] + (in ? (*in)[m] : 0), p_.psum_bits);
  count_psum_send(cfg_.mc);
  return w;
}

Cycle PeCore::psum_xfer_cycles(int values) const {
  return (Cycle(values) * p_.psum_bits + p_.psum_link_bits - 1) / p_.psum_link_bits;
}

}  // namespace eyeriss
