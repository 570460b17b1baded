#include "models/glb/psum_bank.h"

#include <string>

#include "models/common/trace.h"

namespace eyeriss {

PsumBank::PsumBank(sc_core::sc_module_name name, int64_t capacity_entries, int port_bits,
                   int psum_bits)
    : sc_module(name),
      port("port"),
      cmd("cmd"),
      to_router("to_router"),
      capacity_(capacity_entries),
      psum_bits_(psum_bits) {
  port_tl_.width_bits = port_bits;
  port.register_b_transport(this, &PsumBank::transport);
  cmd.register_b_transport(this, &PsumBank::transport);
}

void PsumBank::transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const Cycle now = ClockDomain::cycle_of(delay);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  if (p.op == Op::Data) {  // partial psums back from the top PE of the column
    if (!p.has_psums) SC_REPORT_FATAL("eyeriss/glb", "psum bank: write without psums");
    const uint64_t bits = uint64_t(p.psums.size()) * psum_bits_;
    const Cycle xfer = port_tl_.cycles_for(bits);
    const Cycle start = port_tl_.reserve(now, xfer, bits);
    if (Trace::get().on())
      Trace::get().add(std::string(name()) + ".port", "psum write", "glb", start, start + xfer);
    if (used_ + int64_t(p.psums.size()) > capacity_)
      SC_REPORT_FATAL(
          "eyeriss/glb",
          (std::string(name()) + ": psum row overflows the bank (" + std::to_string(used_) + " + " +
           std::to_string(p.psums.size()) + " > " + std::to_string(capacity_) + " entries)")
              .c_str());
    auto [it, fresh] = rows_.try_emplace({p.task, p.f});
    if (!fresh) SC_REPORT_FATAL("eyeriss/glb", "psum row written twice without a read");
    it->second.psums = p.psums;
    it->second.written = start + xfer;
    used_ += p.psums.size();
    ++writes;
    write_bits += bits;
    delay = ClockDomain::delay_to(start + xfer);
    return;
  }
  if (p.op != Op::SendPsum) SC_REPORT_FATAL("eyeriss/glb", "psum bank: unexpected operation");
  NocPacket out = p;
  out.op = Op::Data;
  out.type = DataType::Psum;
  Cycle ready = now;
  if (p.has_psums) {  // a later reduction pass: read the partial sums back out
    auto it = rows_.find({p.task, p.f});
    if (it == rows_.end()) SC_REPORT_FATAL("eyeriss/glb", "read of a psum row never written");
    out.psums = std::move(it->second.psums);
    const uint64_t bits = uint64_t(out.psums.size()) * psum_bits_;
    const Cycle xfer = port_tl_.cycles_for(bits);
    ready = port_tl_.reserve(std::max(now, it->second.written), xfer, bits) + xfer;
    used_ -= out.psums.size();
    rows_.erase(it);
    ++reads;
    read_bits += bits;
    out.bits = bits;
  } else {  // first reduction pass: a start token, nothing to read
    out.psums.clear();
    out.bits = 0;
  }
  PacketTransaction t(out);
  sc_core::sc_time d = ClockDomain::delay_to(ready);
  to_router->b_transport(t.gp(), d);
  delay = d;
}

}  // namespace eyeriss
