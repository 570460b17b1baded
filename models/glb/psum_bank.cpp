#include "models/glb/psum_bank.h"

#include <string>

#include "models/common/trace.h"
#include "noc/block_config.h"

namespace eyeriss {

PsumBank::PsumBank(sc_core::sc_module_name name, const PsumBankParams& p)
    : sc_module(name), from_router("from_router"), cfg_in("cfg_in"), to_router("to_router"), p_(p) {
  from_router.register_nb_transport_fw(this, &PsumBank::router_fw);
  to_router.register_nb_transport_bw(this, &PsumBank::link_bw);
  cfg_in.register_b_transport(this, &PsumBank::cfg_transport);
  dp_.init(this, &PsumBank::decide, "decide");
  out_.init(std::string(this->name()) + ".to_router", p.port_bits, this, DataType::Psum);
}

bool PsumBank::idle() const {
  return (!prog_ || read_ >= prog_->size()) && !in_.pending() && out_.drained();
}

void PsumBank::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& reads = program_of<std::vector<PsumRead>>(gp, start);
  if (!idle() || !rows_.empty())
    SC_REPORT_FATAL("eyeriss/glb",
                    (std::string(name()) + ": configured for a new layer while busy").c_str());
  prog_ = &reads;
  read_ = 0;
  read_f_ = 0;
  dp_.wake(start);
}

void PsumBank::decide(Cycle t) {
  // One SRAM port: a write first, else a read, each occupying it for its port cycles.
  while (port_free_ <= t && (write(t) || read(t))) {
  }
  if (port_free_ > t) dp_.wake(port_free_);
}

bool PsumBank::write(Cycle t) {
  if (!in_.offered(t)) return false;
  const uint64_t bits = in_.packet().data->bits();
  const Cycle x = (bits + p_.port_bits - 1) / p_.port_bits;
  const Received r = in_.accept(t, x);
  const int n = r.data->entries;
  if (used_ + n > p_.capacity_entries)
    SC_REPORT_FATAL("eyeriss/glb", (std::string(name()) + ": psum row overflows the bank (" +
                                    std::to_string(used_) + " + " + std::to_string(n) + " > " +
                                    std::to_string(p_.capacity_entries) + " entries)")
                                       .c_str());
  auto [it, fresh] = rows_.try_emplace({r.tag.task, r.tag.f});
  if (!fresh) SC_REPORT_FATAL("eyeriss/glb", "psum row written twice without a read");
  it->second = {r.data, r.end};
  used_ += n;
  if (Trace::get().on()) Trace::get().level(name(), occupancy_track(), t, double(used_));
  port_free_ = r.end;
  ++writes;
  write_bits += bits;
  port_bits += bits;
  if (Trace::get().on())
    Trace::get().add(std::string(name()) + ".sram", "psum write", "glb", t, r.end);
  return true;
}

bool PsumBank::read(Cycle t) {
  if (!prog_ || read_ >= prog_->size()) return false;
  if (out_.held(t) >= p_.buffer_packets) return false;
  const PsumRead& rd = (*prog_)[read_];
  auto it = rows_.find({rd.row.task, read_f_});
  if (it == rows_.end()) return false;  // not written back yet: the write wakes us
  if (it->second.written > t) {
    dp_.wake(it->second.written);
    return false;
  }
  PacketRef data = std::move(it->second.data);
  rows_.erase(it);
  const uint64_t bits = data->bits();
  const Cycle x = (bits + p_.port_bits - 1) / p_.port_bits;
  used_ -= data->entries;
  if (Trace::get().on()) Trace::get().level(name(), occupancy_track(), t, double(used_));
  port_free_ = t + x;
  ++reads;
  read_bits += bits;
  port_bits += bits;
  if (Trace::get().on())
    Trace::get().add(std::string(name()) + ".sram", "psum read", "glb", t, t + x);
  out_.send(data, PacketTag::psum(rd.step, rd.row, read_f_), t + 1, t + x + 1, 0);
  if (++read_f_ == rd.fc) {
    read_f_ = 0;
    ++read_;
  }
  return true;
}

void PsumBank::on_sent(LinkOut&, uint64_t, Cycle, Cycle end, bool) {
  dp_.wake(end);  // a slot of the out buffer frees
}

}  // namespace eyeriss
