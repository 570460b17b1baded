#include "models/dram/offchip.h"

#include "models/common/quant.h"
#include "noc/packet_bits.h"

namespace eyeriss {

OffChip::OffChip(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      cmd("cmd"),
      out_in("out_in"),
      to_iact_bank("to_iact_bank"),
      to_weight_router("to_weight_router"),
      arch_(arch) {
  if (arch.offchip_bytes_per_cycle > 0)
    calendar_ = BandwidthCalendar(arch.offchip_bytes_per_cycle * 8);
  cmd.register_b_transport(this, &OffChip::cmd_transport);
  out_in.register_b_transport(this, &OffChip::out_transport);
}

Cycle OffChip::transfer(Cycle ready, uint64_t bits) {
  ready += arch_.offchip_latency_cycles;
  if (arch_.offchip_bytes_per_cycle <= 0) return ready;  // unlimited: never wait
  return calendar_.reserve(ready, bits);
}

void OffChip::build_segment(const LayerData& d, const IactStreamKey& k, int cc, int seg,
                            std::vector<int16_t>& v) {
  const Layer& l = d.layer;
  const int U = l.stride, Cg = l.Cg(), c0 = k.g * Cg + k.ci;
  v.assign(d.seg_cols * cc, 0);
  if (k.h < 0 || k.h >= l.H) return;  // padding row
  for (int u = 0; u < d.seg_cols; ++u) {
    const int x = (k.f0 + seg) * U + u - l.pad;
    if (x < 0 || x >= l.W) continue;
    for (int c = 0; c < cc; ++c) v[u * cc + c] = d.iacts->t.at(k.n, c0 + c, k.h, x);
  }
}

void OffChip::send(NocPacket& out, tlm_utils::multi_passthrough_initiator_socket<OffChip>& s,
                   int idx, sc_core::sc_time& delay) {
  const Cycle ready = transfer(ClockDomain::cycle_of(delay), out.bits);
  PacketTransaction t(out);
  sc_core::sc_time d = ClockDomain::delay_to(ready);
  s[idx]->b_transport(t.gp(), d);
  delay = d;
}

void OffChip::cmd_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  const bool sparse = arch_.sparse;
  NocPacket out = p;
  out.op = Op::Data;
  out.csc = sparse;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  if (p.op == Op::SendIact) {
    // p.stream.ci carries the first input channel within the group, p.cc the count.
    build_segment(*layer_, p.stream, p.cc, p.seg, scratch_);
    out.type = DataType::Iact;
    const int n = static_cast<int>(scratch_.size());
    if (sparse) {
      out.csc_data = csc_encode(scratch_, n, 1, arch_.count_bits);
      out.bits = iact_segment_bits(arch_, out.csc_data.entries());
    } else {
      out.raw = scratch_;
      out.bits = iact_segment_bits(arch_, n);
    }
    iact_bits += out.bits;
    send(out, to_iact_bank, p.cluster * arch_.glb_iact_banks + p.port, delay);
    return;
  }
  if (p.op == Op::SendWeights) {
    const Layer& l = layer_->layer;
    const int K = p.cc * l.S;
    scratch_.assign(std::size_t(K) * p.mc, 0);
    for (int c = 0; c < p.cc; ++c)
      for (int s = 0; s < l.S; ++s)
        for (int m = 0; m < p.mc; ++m)
          scratch_[std::size_t(c * l.S + s) * p.mc + m] =
              layer_->weights->at(p.m_base + m, p.c_base + c, p.r, s);
    out.type = DataType::Weight;
    if (sparse) {
      out.csc_data = csc_encode(scratch_, p.mc, K, arch_.count_bits);
      out.bits = weight_block_bits(arch_, out.csc_data);
    } else {
      out.raw = scratch_;
      out.bits = uint64_t(scratch_.size()) * arch_.weight_bits;
    }
    weight_bits += out.bits;
    send(out, to_weight_router, p.cluster * arch_.weight_routers + p.port, delay);
    return;
  }
  SC_REPORT_FATAL("eyeriss/offchip", "unexpected command");
}

// Final psums of one output position: converted to 8-bit oacts on the way off-chip. The psums
// themselves are kept too (a debug tap, no traffic) so the checker can compare both.
void OffChip::out_transport(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  NocPacket& p = packet_of(gp);
  if (!p.has_psums) SC_REPORT_FATAL("eyeriss/offchip", "final psums without data");
  const Layer& l = layer_->layer;
  const int F = l.F(), E = l.E(), M = l.M;
  for (std::size_t m = 0; m < p.psums.size(); ++m) {
    const std::size_t idx = ((std::size_t(p.n) * M + p.m_base + m) * E + p.e) * F + p.f_out;
    if (layer_->written[idx])
      SC_REPORT_FATAL("eyeriss/offchip", "an output activation was written twice");
    layer_->written[idx] = 1;
    layer_->psums.values()[idx] = p.psums[m];
    layer_->oacts.values()[idx] = requantize(p.psums[m], l.shift);
  }
  const uint64_t bits = uint64_t(p.psums.size()) * 8;
  oact_bits += bits;
  delay = ClockDomain::delay_to(transfer(ClockDomain::cycle_of(delay), bits));
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace eyeriss
