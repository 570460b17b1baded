#include "models/glb/iact_bank.h"

#include <climits>
#include <string>

#include "models/common/trace.h"

namespace eyeriss {

IactBank::IactBank(sc_core::sc_module_name name, int64_t capacity_bits, int port_bits)
    : sc_module(name),
      port("port"),
      cmd("cmd"),
      to_router("to_router"),
      capacity_bits_(capacity_bits) {
  port_tl_.width_bits = port_bits;
  port.register_b_transport(this, &IactBank::transport);
  cmd.register_b_transport(this, &IactBank::transport);
}

IactBank::Key IactBank::key_of(const NocPacket& p) {
  return {p.stream.n, p.stream.g, p.stream.ci, p.stream.h, p.stream.f0, p.seg};
}

void IactBank::forward(NocPacket& p, Cycle ready, sc_core::sc_time& delay) {
  NocPacket out = p;
  out.op = Op::Data;
  PacketTransaction t(out);
  sc_core::sc_time d = ClockDomain::delay_to(ready);
  to_router->b_transport(t.gp(), d);
  delay = d;
}

void IactBank::transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const Cycle now = ClockDomain::cycle_of(delay);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  switch (p.op) {
    case Op::Data: {  // from off-chip: write and/or pass straight on through the one port
      const Cycle xfer = port_tl_.cycles_for(p.bits);
      const Cycle start = port_tl_.reserve(now, xfer, p.bits);
      if (Trace::get().on())
        Trace::get().add(std::string(name()) + ".port", p.store ? "iact write" : "iact pass", "glb",
                         start, start + xfer);
      if (p.store) {
        if (used_bits_ + int64_t(p.bits) > capacity_bits_)
          SC_REPORT_FATAL("eyeriss/glb",
                          (std::string(name()) + ": storing " + std::to_string(p.bits) +
                           " bits overflows the bank (" + std::to_string(used_bits_) + " of " +
                           std::to_string(capacity_bits_) + " used)")
                              .c_str());
        auto [it, fresh] = store_.try_emplace(key_of(p));
        if (!fresh) SC_REPORT_FATAL("eyeriss/glb", "iact segment stored twice");
        it->second.pkt = p;
        it->second.written = start + xfer;
        used_bits_ += p.bits;
        ++writes;
        write_bits += p.bits;
      } else {
        ++passthrough;
      }
      forward(p, start + xfer, delay);
      return;
    }
    case Op::SendIact: {  // controller: read a stored segment out to the router
      auto it = store_.find(key_of(p));
      if (it == store_.end()) SC_REPORT_FATAL("eyeriss/glb", "read of an iact segment not stored");
      NocPacket out = it->second.pkt;
      out.dests = p.dests;
      out.src_cluster = p.src_cluster;
      const Cycle xfer = port_tl_.cycles_for(out.bits);
      const Cycle start = port_tl_.reserve(std::max(now, it->second.written), xfer, out.bits);
      if (Trace::get().on())
        Trace::get().add(std::string(name()) + ".port", "iact read", "glb", start, start + xfer);
      ++reads;
      read_bits += out.bits;
      forward(out, start + xfer, delay);
      return;
    }
    case Op::Evict: {  // controller: the stream is no longer needed (all its segments)
      Key first = key_of(p), last = first;  // the stream's segments are one key range
      std::get<5>(first) = 0;
      std::get<5>(last) = INT_MAX;
      for (auto it = store_.lower_bound(first), end = store_.upper_bound(last); it != end;) {
        used_bits_ -= it->second.pkt.bits;
        it = store_.erase(it);
      }
      return;
    }
    default:
      SC_REPORT_FATAL("eyeriss/glb", "iact bank: unexpected operation");
  }
}

}  // namespace eyeriss
