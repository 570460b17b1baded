// What a PE cluster sees of a PE: its sockets, its ID-table entries and its state. The
// transaction-level PE (pe/pe.h) and the RTL PE in the loop (pe/rtl_pe.h) both are one, so
// either sits in a PE cluster at the same place.
#pragma once
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/mapper/program.h"
#include "noc/block_config.h"
#include "noc/link.h"
#include "noc/link_socket.h"
#include "pe/pe_compute.h"

namespace eyeriss {

class PeBlock : public sc_core::sc_module, public LinkOwner {
 public:
  tlm_utils::multi_passthrough_target_socket<PeBlock> iact_in;  // from every iact router
  LinkTargetSocket<PeBlock> weight_in;                          // from its row's weight router
  LinkTargetSocket<PeBlock> psum_in;  // from the PE below, or the psum router
  LinkTargetSocket<PeBlock> cfg_in;
  LinkInitiatorSocket<PeBlock> psum_out;  // to the PE above, or the psum router

  // Everything of the current layer's program done and sent.
  virtual bool idle() const = 0;
  virtual std::string state() const = 0;
  // Action counts (the energy model re-costs them).
  virtual const PeStats& stats() const = 0;
  virtual const LinkOut& out_link() const = 0;
  // A bus this PE listens on, as target `index`: the PE enters its IDs in the bus's table.
  void attach_bus(DataType type, IdTable* table, int index) {
    buses_.push_back({type, table, index});
  }

 protected:
  explicit PeBlock(sc_core::sc_module_name name)
      : sc_module(name),
        iact_in("iact_in"),
        weight_in("weight_in"),
        psum_in("psum_in"),
        cfg_in("cfg_in"),
        psum_out("psum_out") {
    iact_in.register_nb_transport_fw(this, &PeBlock::iact_fw);
    weight_in.register_nb_transport_fw(this, &PeBlock::weight_fw);
    psum_in.register_nb_transport_fw(this, &PeBlock::psum_fw);
    cfg_in.register_b_transport(this, &PeBlock::cfg_transport);
    psum_out.register_nb_transport_bw(this, &PeBlock::link_bw);
  }
  virtual tlm::tlm_sync_enum iact_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& d) = 0;
  virtual tlm::tlm_sync_enum weight_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                       sc_core::sc_time& d) = 0;
  virtual tlm::tlm_sync_enum psum_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& d) = 0;
  virtual void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) = 0;

  // The layer's program from the controller (refused while the PE still works on the last one);
  // enters its IDs in the buses' tables.
  const std::vector<PePass>& accept_program(tlm::tlm_generic_payload& gp, Cycle& start,
                                            bool& signed_iacts) {
    const auto& prog = program_of<std::vector<PePass>>(gp, start);
    if (!idle())
      SC_REPORT_FATAL("eyeriss/pe", (state() + ": configured for a new layer while busy").c_str());
    const BlockConfig* c = gp.get_extension<BlockConfig>();
    signed_iacts = c->signed_iacts;
    enter_ids(prog, c->layer);
    return prog;
  }
  // Enters this layer's IDs (every active pass's iact stream and weight block) in the tables
  // of the buses the PE listens on.
  void enter_ids(const std::vector<PePass>& prog, int layer) const {
    for (const Bus& b : buses_)
      for (const PePass& p : prog) {
        if (!p.cfg.active) continue;
        const PacketTag t = b.type == DataType::Iact ? PacketTag::iact(p.step, p.iact)
                                                     : PacketTag::weight(p.step, p.weight);
        b.table->add(layer, b.type, t, b.index);
      }
  }
  // ID matching: the active pass of `prog` at or after `from` with this step, if any.
  static const PePass* pass_for_step(const std::vector<PePass>* prog, std::size_t from, int step) {
    if (!prog || from >= prog->size()) return nullptr;
    const PePass& cur = (*prog)[from];  // the usual case: the current pass
    if (cur.step == step) return &cur;
    if (cur.step > step) return nullptr;
    auto it = std::lower_bound(prog->begin() + from, prog->end(), step,
                               [](const PePass& p, int s) { return p.step < s; });
    return it != prog->end() && it->step == step && it->cfg.active ? &*it : nullptr;
  }
  static bool matches(const PePass* pass, DataType type, const PacketTag& t) {
    if (!pass) return false;
    return type == DataType::Iact ? pass->iact == t.stream() : pass->weight == t.block();
  }
  // SPad writes from a packet as the link carried it (CSC or raw), the same in both PEs.
  // Refuses a packet whose encoding is not the PE's mode.
  void write_weights(PeCore& core, const PacketData& d) const {
    check_mode(d, core.sparse(), "weight");
    if (d.format == PacketData::Format::Csc) {
      unpack_weight_csc(d.words, d.cols, core.params().format, core.weight_buffer(d.cols));
      core.commit_weights(d.words_in_spad);
    } else {
      unpack_raw(d.words, d.entries, core.params().format.value_bits, true, raw_);
      core.write_weights_raw(raw_);
    }
  }
  void write_iact_segment(PeCore& core, const PacketData& d, bool signed_iacts) const {
    check_mode(d, core.sparse(), "iact");
    std::vector<LinkEntry>& seg = core.segment_buffer();
    if (d.format == PacketData::Format::Csc) {
      unpack_iact_csc(d.words, d.entries, core.params().format, signed_iacts, seg);
    } else {
      unpack_raw(d.words, d.entries, core.params().format.value_bits, signed_iacts, raw_);
      for (std::size_t i = 0; i < raw_.size(); ++i)
        seg.push_back({static_cast<int16_t>(i), raw_[i]});
    }
    core.commit_segment();
  }

 private:
  struct Bus {
    DataType type;
    IdTable* table;
    int index;
  };
  std::vector<Bus> buses_;
  mutable std::vector<int16_t> raw_;  // decode buffer for raw packets

  void check_mode(const PacketData& d, bool sparse, const char* what) const {
    if ((d.format == PacketData::Format::Csc) != sparse)
      SC_REPORT_FATAL(
          "eyeriss/pe",
          (std::string(name()) + ": " + what + " encoding does not match the PE's mode").c_str());
  }
};

}  // namespace eyeriss
