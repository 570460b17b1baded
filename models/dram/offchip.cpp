#include "models/dram/offchip.h"

#include <cmath>

#include "models/common/quant.h"
#include "models/common/trace.h"
#include "noc/block_config.h"
#include "noc/packet_bits.h"

namespace eyeriss {

OffChipParams OffChipParams::from(const ArchConfig& a) {
  OffChipParams p;
  p.sparse = a.sparse;
  p.bytes_per_cycle = a.offchip_bytes_per_cycle;
  p.latency_cycles = a.offchip_latency_cycles;
  p.buffer_packets = a.offchip_buffer_packets;
  p.iact_port_bits = a.glb_iact_port_bits;
  p.iact_link_bits = a.iact_link_bits;
  p.weight_link_bits = a.weight_link_bits;
  p.count_bits = a.count_bits;
  p.iact_bits = a.iact_bits;
  p.weight_bits = a.weight_bits;
  p.psum_bits = a.psum_bits;
  p.format = link_format(a);
  return p;
}

OffChip::OffChip(sc_core::sc_module_name name, const OffChipParams& p)
    : sc_module(name),
      cfg_in("cfg_in"),
      out_in("out_in"),
      to_iact_bank("to_iact_bank"),
      to_weight_router("to_weight_router"),
      done_out("done_out"),
      p_(p) {
  cfg_in.register_b_transport(this, &OffChip::cfg_transport);
  out_in.register_nb_transport_fw(this, &OffChip::out_fw);
  to_iact_bank.register_nb_transport_bw(this, &OffChip::link_bw_id);
  to_weight_router.register_nb_transport_bw(this, &OffChip::link_bw_id);
  dp_.init(this, &OffChip::decide, "decide");
}

void OffChip::end_of_elaboration() {
  const std::string n = name();
  for (unsigned i = 0; i < to_iact_bank.size(); ++i) {
    auto c = std::make_unique<Channel>();
    c->link.init(n + ".to_iact_bank[" + std::to_string(i) + "]", p_.iact_port_bits, this,
                 DataType::Iact);
    c->link.add_target(to_iact_bank[i]);
    c->link.set_offchip();
    chans_.push_back(std::move(c));
  }
  for (unsigned i = 0; i < to_weight_router.size(); ++i) {
    auto c = std::make_unique<Channel>();
    c->weight = true;
    c->link.init(n + ".to_weight_router[" + std::to_string(i) + "]", p_.weight_link_bits, this,
                 DataType::Weight);
    c->link.add_target(to_weight_router[i]);
    c->link.set_offchip();
    chans_.push_back(std::move(c));
  }
  outs_.resize(out_in.size());
}

bool OffChip::idle() const {
  if (prog_ && rows_left_ > 0) return false;
  for (const auto& c : chans_)
    if (!c->link.drained()) return false;
  for (const LinkIn& o : outs_)
    if (o.pending()) return false;
  return true;
}

void OffChip::cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  Cycle start = 0;
  const auto& prog = program_of<LayerProgram>(gp, start);
  if (!layer_)
    SC_REPORT_FATAL("eyeriss/offchip", "configured before the layer's tensors were loaded");
  prog_ = &prog;
  const std::size_t ni = prog.noc.iact_ports.size();
  if (ni + prog.noc.weight_channels.size() != chans_.size())
    SC_REPORT_FATAL("eyeriss/offchip", "the program's channels do not match the chip's");
  for (std::size_t i = 0; i < chans_.size(); ++i) {
    Channel& c = *chans_[i];
    c.step = c.op = 0;
    if (c.weight) {
      c.sends = &prog.noc.weight_channels[i - ni];
    } else {
      c.steps = &prog.noc.iact_ports[i];
      enter_step(c);
    }
  }
  todo_.clear();
  for (std::size_t i = 0; i < chans_.size(); ++i) {
    chans_[i]->listed = true;
    todo_.push_back(static_cast<int>(i));
  }
  outs_todo_.clear();
  rows_left_ = prog.noc.output_rows;
  done_at_ = start;
  fault_done_ = false;
  bw_free_ = static_cast<double>(start);
  dp_.wake(start);
}

// An iact channel's sends in a step: the port's segment order, off-chip streams only.
void OffChip::enter_step(Channel& c) {
  c.ops.clear();
  c.op = 0;
  for (; c.step < c.steps->size(); ++c.step) {
    const PortStep& ps = (*c.steps)[c.step];
    for_each_segment(ps, prog_->window_segs, [&](std::size_t s, int k) {
      if (!ps.streams[s].from_bank) c.ops.emplace_back(int(s), k);
    });
    if (!c.ops.empty()) return;
  }
}

void OffChip::advance(Channel& c) {
  if (c.weight) {
    ++c.op;
    return;
  }
  if (++c.op == c.ops.size()) {
    ++c.step;
    enter_step(c);
  }
}

bool OffChip::wants_fetch(const Channel& c, Cycle t) const {
  return c.link.held(t) < p_.buffer_packets && c.more();
}

// Builds the channel's next packet from the tensors, in the link words it travels as.
uint64_t OffChip::build(Channel& c, PacketRef& data, PacketTag& tag) {
  const Layer& l = layer_->layer;
  data = PacketRef::make();
  PacketData& d = *data;
  if (!c.weight) {
    const StreamSend& s = (*c.steps)[c.step].streams[c.ops[c.op].first];
    const int seg = c.ops[c.op].second;
    stream_segment(l, *layer_->iacts, layer_->seg_cols, s.key, s.cc, seg, values_);
    tag = PacketTag::iact(s.step, s.key, seg);
    d.type = DataType::Iact;
    d.words.reset(p_.iact_link_bits);
    const int n = static_cast<int>(values_.size());
    if (sparse_mode()) {
      csc_encode_into(csc_, values_.data(), n, 1, p_.count_bits);
      d.format = PacketData::Format::Csc;
      d.entries = csc_.entries();
      pack_iact_csc(csc_, p_.format, d.words);
    } else {
      d.format = PacketData::Format::Raw;
      d.entries = n;
      pack_raw(values_.data(), values_.size(), p_.iact_bits, d.words);
    }
    iact_bits += d.bits();
    return d.bits();
  }
  const WeightSend& w = (*c.sends)[c.op];
  const int K = w.cc * l.S;
  weight_block(l, *layer_->weights, w, values_);
  tag = PacketTag::weight(w.step, w.key);
  d.type = DataType::Weight;
  d.words.reset(p_.weight_link_bits);
  if (sparse_mode()) {
    csc_encode_into(csc_, values_.data(), w.mc, K, p_.count_bits);
    d.format = PacketData::Format::Csc;
    d.entries = csc_.entries();
    d.cols = K;
    d.words_in_spad = pack_weight_csc(csc_, p_.format, d.words);
  } else {
    d.format = PacketData::Format::Raw;
    d.entries = static_cast<int>(values_.size());
    pack_raw(values_.data(), values_.size(), p_.weight_bits, d.words);
  }
  weight_bits += d.bits();
  return d.bits();
}

bool OffChip::budget_left(Cycle t) const {
  return p_.bytes_per_cycle <= 0 || bw_free_ < static_cast<double>(t + 1);
}

Cycle OffChip::grant(Cycle t, uint64_t bits) {
  if (p_.bytes_per_cycle <= 0) return t;
  const double start = std::max(static_cast<double>(t), bw_free_);
  bw_free_ = start + static_cast<double>(bits) / (p_.bytes_per_cycle * 8);
  return static_cast<Cycle>(std::ceil(bw_free_));
}

void OffChip::decide(Cycle t) {
  if (!prog_) return;
  if (p_.bytes_per_cycle <= 0) {
    // Unlimited bandwidth: no shared budget, so serve just the requesters that changed.
    std::size_t keep = 0;
    for (std::size_t k = 0; k < todo_.size(); ++k) {
      Channel& c = *chans_[todo_[k]];
      while (wants_fetch(c, t)) {
        PacketRef data;
        PacketTag tag;
        build(c, data, tag);
        const Cycle avail = t + p_.latency_cycles;
        c.link.send(data, tag, avail, avail, todo_[k]);
        advance(c);
      }
      // Still has work and a slot that frees at a known later edge (the transfer under way):
      // keep it. A buffer full of packets not yet taken is listed again by on_sent when one
      // of them is taken.
      if (c.more() && c.link.free_at() > t)
        todo_[keep++] = todo_[k];
      else
        c.listed = false;
    }
    todo_.resize(keep);
    keep = 0;
    for (std::size_t k = 0; k < outs_todo_.size(); ++k) {
      LinkIn& in = outs_[outs_todo_[k]];
      if (!in.offered(t)) {  // posted for a later edge: it wakes us then
        outs_todo_[keep++] = outs_todo_[k];
        continue;
      }
      Received r = in.accept(t);
      done_at_ = std::max(done_at_, r.end + p_.latency_cycles);
      write_out(r);
    }
    outs_todo_.resize(keep);
    return;
  }
  // Round-robin over the requesters: every channel that can fetch, then every output link
  // offering a row, while the cycle's budget lasts.
  const std::size_t n = chans_.size() + outs_.size();
  bool waiting = false;
  for (std::size_t tried = 0; tried < n;) {
    const std::size_t i = rr_ % n;
    rr_ = i + 1;
    bool served = false;
    if (i < chans_.size()) {
      Channel& c = *chans_[i];
      if (wants_fetch(c, t)) {
        if (!budget_left(t)) {
          waiting = true;
          break;
        }
        PacketRef data;
        PacketTag tag;
        const uint64_t bits = build(c, data, tag);
        const Cycle avail = grant(t, bits) + p_.latency_cycles;
        c.link.send(data, tag, avail, avail, i);
        advance(c);
        served = true;
      }
    } else {
      LinkIn& in = outs_[i - chans_.size()];
      if (in.offered(t)) {
        if (!budget_left(t)) {
          waiting = true;
          break;
        }
        const uint64_t bits = uint64_t(in.packet().data->entries) * 8;
        const Cycle moved = grant(t, bits);
        Received r = in.accept(t);
        done_at_ = std::max(done_at_, std::max(r.end, moved) + p_.latency_cycles);
        write_out(r);
        served = true;
      }
    }
    tried = served ? 0 : tried + 1;  // keep granting while the cycle's budget lasts
  }
  if (waiting) dp_.wake(t + 1);
}

// Final psums of one output position: converted to 8-bit oacts on the way off-chip. The psums
// themselves are kept too (a debug tap, no traffic) so the checker can compare both.
void OffChip::write_out(const Received& r) {
  const Layer& l = layer_->layer;
  const int F = l.F(), E = l.E(), M = l.M;
  std::vector<int32_t>& ps = psums_;
  unpack_psums(r.data->words, r.data->entries, p_.psum_bits, ps);
  if (fault_ && !fault_done_ && !ps.empty()) {
    ps[0] ^= 1;  // test-only: one wrong psum, which the checker must catch
    fault_done_ = true;
  }
  for (std::size_t m = 0; m < ps.size(); ++m) {
    const std::size_t idx =
        ((std::size_t(r.tag.n) * M + r.tag.m_base + m) * E + r.tag.e) * F + r.tag.f_out;
    if (idx >= layer_->written.size() || layer_->written[idx])
      SC_REPORT_FATAL("eyeriss/offchip",
                      ("an output activation was written twice or out of range (" +
                       r.tag.str(DataType::Psum) + ")")
                          .c_str());
    layer_->written[idx] = 1;
    layer_->psums.values()[idx] = ps[m];
    layer_->oacts.values()[idx] = requantize(ps[m], l.shift);
  }
  oact_bits += uint64_t(ps.size()) * 8;
  // DRAM sees the 8-bit oacts, written as the row's psums arrive.
  if (Trace::get().on())
    Trace::get().rate("off-chip bytes per cycle", r.start, std::max(r.end, r.start + 1),
                      double(ps.size()));
  if (--rows_left_ == 0) {
    tlm::tlm_generic_payload gp;
    sc_core::sc_time d = ClockDomain::until_edge(std::max(done_at_, ClockDomain::next_edge()));
    done_out->b_transport(gp, d);
  }
}

void OffChip::on_sent(LinkOut& l, uint64_t cookie, Cycle, Cycle end, bool) {
  Channel& c = *chans_[cookie];
  (void)l;
  if (!c.listed) {
    c.listed = true;
    todo_.push_back(static_cast<int>(cookie));
  }
  dp_.wake(end);  // a slot of the channel's buffer frees
}

}  // namespace eyeriss
