// One psum SRAM bank of a GLB cluster (one per PE column). It holds the partial psum rows of
// the row tasks in flight between reduction passes (capacity in psum entries) and reads them
// back into its column in the order the layer program lists (PsumRead). One SRAM port serves
// both: rows written back by the psum router and rows read out; when both are ready in the
// same cycle the write goes first (draining the column before refilling it). A read row waits
// in a buffer of `buffer_packets` for the psum router to take it.
#pragma once

#include <deque>
#include <map>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/fifo.h"
#include "models/mapper/program.h"
#include "noc/link.h"
#include "noc/link_socket.h"

namespace eyeriss {

struct PsumBankParams {
  int64_t capacity_entries = 768;
  int port_bits = 40;
  int psum_bits = 20;
  int buffer_packets = 2;
  static PsumBankParams from(const ArchConfig& a) {
    return {a.psum_bank_entries(), a.glb_psum_port_bits, a.psum_bits, a.glb_buffer_packets};
  }
};

class PsumBank : public sc_core::sc_module, public LinkOwner {
 public:
  LinkTargetSocket<PsumBank> from_router;  // rows written back
  LinkTargetSocket<PsumBank> cfg_in;
  LinkInitiatorSocket<PsumBank> to_router;  // rows read out

  PsumBank(sc_core::sc_module_name name, const PsumBankParams& p);

  int64_t used_entries() const { return used_; }
  bool idle() const;
  uint64_t reads = 0, writes = 0, read_bits = 0, write_bits = 0, port_bits = 0;

 private:
  // The trace's counter of the bank's held psum entries ("psum0 held psums").
  std::string occupancy_track() const { return std::string(basename()) + " held psums"; }
  struct Row {
    PacketRef data;
    Cycle written = 0;
  };
  tlm::tlm_sync_enum router_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                               sc_core::sc_time& d) {
    return in_.forward(gp, ph, d, from_router.operator->(), dp_);
  }
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d);
  void end_of_elaboration() override { out_.add_target(to_router.operator->()); }
  void decide(Cycle t);
  bool write(Cycle t);
  bool read(Cycle t);
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;

  PsumBankParams p_;
  DecisionPhase dp_;
  LinkIn in_;
  LinkOut out_;
  const std::vector<PsumRead>* prog_ = nullptr;
  std::size_t read_ = 0;
  int read_f_ = 0;
  std::map<std::pair<int, int>, Row> rows_;  // (task, f)
  int64_t used_ = 0;
  Cycle port_free_ = 0;
};

}  // namespace eyeriss
