// The sparse PE as an sc_module. Its data and cycle rules live in PeCore (pe_compute.h); this
// module decides, causally and in its decision phase, when each thing happens:
//  - it takes an iact segment / weight block from its buses when the packet's IDs match its
//    current pass and its SPad has room (else it holds the bus: back-pressure);
//  - it starts a position when the position's window and the weights are written, the previous
//    position is done and the psum SPad has room for the result;
//  - it takes the psum row from below when its own result for that position is ready and adds
//    it as it streams in; it sends every row up on its psum link, in order.
// Passes come from the layer program (PePass list); bypass passes forward psums only.
#pragma once
#include <deque>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/fifo.h"
#include "models/mapper/program.h"
#include "noc/link.h"
#include "pe/pe_block.h"
#include "pe/pe_compute.h"

namespace eyeriss {

class Pe : public PeBlock {
 public:
  Pe(sc_core::sc_module_name name, const PeParams& p, int row, int col);

  const PeCore& core() const { return core_; }
  const PeStats& stats() const override { return core_.stats(); }
  const LinkOut& out_link() const override { return out_; }
  int row() const { return row_; }
  int col() const { return col_; }
  // Everything of the current layer's program done and sent.
  bool idle() const override;
  std::string state() const override;
  // ID matching: the packet belongs to one of this PE's remaining passes.
  bool addressed(DataType type, const PacketTag& tag) const;

 private:
  struct Row {  // a psum row in the psum SPad
    std::size_t pass = 0;
    int f = 0, mc = 0;
    bool bypass = false;
    Cycle mac_ready = 0;       // active: the MAC result is out of the pipeline
    std::vector<int64_t> acc;  // active: the PE's own sums
    PacketRef data;            // the row to send, once final
    Cycle ready = kNever;      // when it can be sent
    bool handed = false;       // queued on the psum link
    Cycle send_end = kNever;   // left the PE
    uint64_t seq = 0;
  };

  tlm::tlm_sync_enum iact_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                             sc_core::sc_time& d) override;
  tlm::tlm_sync_enum weight_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                               sc_core::sc_time& d) override;
  tlm::tlm_sync_enum psum_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                             sc_core::sc_time& d) override;
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) override;
  void end_of_elaboration() override;
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;

  void decide(Cycle t);
  bool start_mac_pass(Cycle t);
  bool take_weights(Cycle t);
  bool take_iacts(Cycle t);
  bool start_position(Cycle t);
  bool take_psums(Cycle t);
  void finalize(Row& r, const std::vector<int32_t>* in);
  void hand_rows();
  std::size_t next_active(std::size_t from) const;
  std::size_t next_psum_in(std::size_t from) const;
  bool psum_room(int mc) const;
  bool iact_offered(Cycle t) const {
    for (const LinkIn& in : iact_links_)
      if (in.offered(t)) return true;
    return false;
  }
  // Notes that an action can happen at edge c; always false (nothing happened now).
  bool wait_until(Cycle c) {
    next_ = std::min(next_, c);
    return false;
  }
  // Notes that an action waits for a row's send-out end, not yet known (on_sent wakes the PE
  // only then: a row nobody waits for leaves at the next decision); always false.
  bool wait_for_send() {
    waits_for_send_ = true;
    return false;
  }

  // What decide reads on every wake-up, right after dp_: the decision calendar prefetches the
  // lines after each DecisionPhase a few decisions ahead (noc/link.cpp), so on a large array,
  // where every wake-up of a PE would miss the cache, they arrive while others decide.
  alignas(64) DecisionPhase dp_;
  const std::vector<PePass>* prog_ = nullptr;
  std::size_t mac_pass_ = 0;  // the active pass the SPads serve
  // Psum rows: created in pass order (rows of passes before row_pass_ all exist).
  std::size_t row_pass_ = 0;
  std::size_t in_pass_ = 0;  // the pass whose incoming psum rows come next
  Cycle next_ = kNever;      // the earliest known edge a blocked action can go
  bool mac_configured_ = false;
  bool waits_for_send_ = false;
  bool signed_iacts_ = false;
  Fifo<Row> rows_;
  LinkIn weight_link_, psum_link_;
  std::vector<LinkIn> iact_links_;

  PeParams p_;
  PeCore core_;
  int row_, col_;
  LinkOut out_;

  Cycle mac_start_ = 0;
  std::vector<Cycle> seg_end_, pos_done_;
  Cycle weights_end_ = kNever;
  int evict_seg_ = -1, evict_pos_ = -1;  // iact_evict_position of the next segment
  int in_f_ = 0;
  int bypass_made_ = 0;  // rows of the bypass pass row_pass_ accepted so far
  uint64_t next_seq_ = 0;
  std::vector<std::vector<int64_t>> spare_acc_;
  std::vector<int32_t> in_psums_, out_psums_;
};

}  // namespace eyeriss
