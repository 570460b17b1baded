#include "models/glb/iact_bank.h"

#include <string>

#include "models/common/trace.h"
#include "noc/block_config.h"

namespace eyeriss {

IactBank::IactBank(sc_core::sc_module_name name, const IactBankParams& p)
    : sc_module(name),
      from_offchip("from_offchip"),
      cfg_in("cfg_in"),
      to_router("to_router"),
      p_(p) {
  from_offchip.register_nb_transport_fw(this, &IactBank::offchip_fw);
  to_router.register_nb_transport_bw(this, &IactBank::link_bw);
  cfg_in.register_b_transport(this, &IactBank::cfg_transport);
  dp_.init(this, &IactBank::decide, "decide");
  out_.init(std::string(this->name()) + ".to_router", p.port_bits, this, DataType::Iact);
}

bool IactBank::idle() const {
  return (!prog_ || step_ >= prog_->size()) && !in_.pending() && out_.drained();
}

void IactBank::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& prog = program_of<IactBankProgram>(gp, start);
  if (!idle())
    SC_REPORT_FATAL("eyeriss/glb",
                    (std::string(name()) + ": configured for a new layer while busy").c_str());
  // A new layer's iacts: whatever the previous layer stored is stale.
  store_.clear();
  used_bits_ = 0;
  if (Trace::get().on()) Trace::get().level(name(), occupancy_track(), start, 0);
  prog_ = prog.steps;
  p_.window_segs = prog.window_segs;
  step_ = 0;
  enter_step();
  if (!prog_->empty()) dp_.wake(start);
}

void IactBank::enter_step() {
  ops_.clear();
  op_ = 0;
  if (step_ >= prog_->size()) return;
  const PortStep& ps = (*prog_)[step_];
  segments_.assign(ps.streams.size(), 0);
  for_each_segment(ps, p_.window_segs, [&](std::size_t s, int k) {
    ops_.emplace_back(int(s), k);
    ++segments_[s];
  });
  evicted_.assign(ps.streams.size(), 0);
  held_.assign(ps.streams.size(), nullptr);
}

void IactBank::decide(Cycle t) {
  if (!prog_) return;
  while (next_op(t)) {
  }
}

bool IactBank::next_op(Cycle t) {
  if (step_ >= prog_->size()) return false;
  if (op_ >= ops_.size()) {
    ++step_;
    enter_step();
    return step_ < prog_->size();
  }
  if (out_.held(t) >= p_.buffer_packets) return false;
  const PortStep& ps = (*prog_)[step_];
  const auto [si, k] = ops_[op_];
  const StreamSend& s = ps.streams[si];
  if (!evicted_[si]) {  // streams the program drops before this one is stored
    for (const StreamKey& ek : s.evict) {
      auto it = store_.find(key_of(ek));
      if (it == store_.end()) continue;
      for (const Stored& st : it->second) used_bits_ -= int64_t(st.data->bits());
      store_.erase(it);
      if (Trace::get().on()) Trace::get().level(name(), occupancy_track(), t, double(used_bits_));
    }
    evicted_[si] = 1;
    // The stream's stored segments, found once (evictions only drop other steps' streams).
    if (s.from_bank) {
      auto it = store_.find(key_of(s.key));
      held_[si] = it == store_.end() ? nullptr : &it->second;
    } else if (s.store) {
      held_[si] = &store_[key_of(s.key)];
      held_[si]->reserve(segments_[si]);
    }
  }
  const PacketTag tag = PacketTag::iact(s.step, s.key, k);
  PacketRef data;
  Cycle tail = 0;
  if (s.from_bank) {
    const std::vector<Stored>* segs = held_[si];
    if (!segs || k >= static_cast<int>(segs->size()))
      SC_REPORT_FATAL("eyeriss/glb",
                      (std::string(name()) + ": read of an iact segment not stored (" +
                       tag.str(DataType::Iact) + ")")
                          .c_str());
    const Stored& st = (*segs)[k];
    if (port_free_ > t || st.written > t) {
      dp_.wake(std::max(port_free_, st.written));
      return false;
    }
    data = st.data;
    const Cycle x = out_.cycles_for(data->bits());
    port_free_ = t + x;
    tail = t + x + 1;  // read out of the SRAM, one register to the port
    ++reads;
    read_bits += data->bits();
    if (Trace::get().on())
      Trace::get().add(std::string(name()) + ".sram", "iact read", "glb", t, t + x);
  } else {
    if (!in_.offered(t)) return false;
    const PacketTag& got = in_.packet().tag;
    if (got.step != tag.step || got.seg != k || !(got.stream() == s.key))
      SC_REPORT_FATAL("eyeriss/glb",
                      (std::string(name()) + ": off-chip sent " + got.str(DataType::Iact) +
                       ", the program expects " + tag.str(DataType::Iact))
                          .c_str());
    if (s.store && port_free_ > t) {
      dp_.wake(port_free_);
      return false;
    }
    const Received r = in_.accept(t);
    data = r.data;
    tail = r.end + 1;
    if (s.store) {
      const int64_t b = int64_t(data->bits());
      if (used_bits_ + b > p_.capacity_bits)
        SC_REPORT_FATAL("eyeriss/glb", (std::string(name()) + ": storing " + std::to_string(b) +
                                        " bits overflows the bank (" + std::to_string(used_bits_) +
                                        " of " + std::to_string(p_.capacity_bits) + " used)")
                                           .c_str());
      std::vector<Stored>& segs = *held_[si];
      if (static_cast<int>(segs.size()) != k)
        SC_REPORT_FATAL("eyeriss/glb", "iact segments stored out of order or twice");
      segs.push_back({data, r.end});
      used_bits_ += b;
      if (Trace::get().on()) Trace::get().level(name(), occupancy_track(), t, double(used_bits_));
      port_free_ = r.end;
      ++writes;
      write_bits += b;
      if (Trace::get().on())
        Trace::get().add(std::string(name()) + ".sram", "iact write", "glb", t, r.end);
    } else {
      ++passthrough;
    }
  }
  out_.send(data, tag, t + 1, tail, seq_++);
  ++op_;
  return true;
}

void IactBank::on_sent(LinkOut&, uint64_t, Cycle, Cycle end, bool) {
  dp_.wake(end);  // a slot of the out buffer frees
}

}  // namespace eyeriss
