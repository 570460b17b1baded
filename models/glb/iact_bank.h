// One iact SRAM bank of a GLB cluster and the GLB-cluster port its iact router reads through.
// It executes its part of the layer program in order (program.h, PortStep): per step, the
// segments of its streams position by position, each either taken from the off-chip channel
// (and, if the program says so, written into the SRAM for later steps) or read from a copy
// stored earlier; every one of them goes on to the router. The SRAM has one port (a write or a
// read, `port_bits` per cycle); a segment on its way out waits in a buffer of
// `buffer_packets`, so a full router input stalls the bank, and the bank stalls off-chip.
#pragma once

#include <deque>
#include <map>
#include <systemc>
#include <tlm>
#include <tuple>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/fifo.h"
#include "models/mapper/program.h"
#include "noc/link.h"
#include "noc/link_socket.h"

namespace eyeriss {

struct IactBankParams {
  int64_t capacity_bits = 1536 * 8;
  int port_bits = 24;
  int buffer_packets = 2;
  int window_segs = 1;  // set per layer from the program
  static IactBankParams from(const ArchConfig& a) {
    return {a.iact_bank_bits(), a.glb_iact_port_bits, a.glb_buffer_packets, 1};
  }
};

struct IactBankProgram {
  const std::vector<PortStep>* steps = nullptr;
  int window_segs = 1;
};

class IactBank : public sc_core::sc_module, public LinkOwner {
 public:
  LinkTargetSocket<IactBank> from_offchip;
  LinkTargetSocket<IactBank> cfg_in;
  LinkInitiatorSocket<IactBank> to_router;  // the GLB-cluster port

  IactBank(sc_core::sc_module_name name, const IactBankParams& p);

  int64_t used_bits() const { return used_bits_; }
  const LinkStats& port_link() const { return out_.stats(); }
  bool idle() const;
  uint64_t reads = 0, writes = 0, read_bits = 0, write_bits = 0, passthrough = 0;

 private:
  // The trace's counter of the bank's stored bits ("iact0 stored bits").
  std::string occupancy_track() const { return std::string(basename()) + " stored bits"; }
  using Key = std::tuple<int, int, int, int, int>;  // n, g, ci, h, f0
  static Key key_of(const StreamKey& k) { return {k.n, k.g, k.ci, k.h, k.f0}; }
  struct Stored {
    PacketRef data;
    Cycle written = 0;
  };
  tlm::tlm_sync_enum offchip_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                sc_core::sc_time& d) {
    return in_.forward(gp, ph, d, from_offchip.operator->(), dp_);
  }
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d);
  void end_of_elaboration() override { out_.add_target(to_router.operator->()); }
  void decide(Cycle t);
  bool next_op(Cycle t);
  void enter_step();
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;

  IactBankParams p_;
  DecisionPhase dp_;
  LinkIn in_;
  LinkOut out_;
  const std::vector<PortStep>* prog_ = nullptr;
  std::size_t step_ = 0, op_ = 0;
  std::vector<std::pair<int, int>> ops_;      // (stream, segment) of the current step
  std::vector<char> evicted_;                 // per stream of the step: evictions done
  std::vector<int> segments_;                 // per stream of the step: its segments
  std::vector<std::vector<Stored>*> held_;    // per stream of the step: its stored segments
  std::map<Key, std::vector<Stored>> store_;  // stored streams, by segment
  int64_t used_bits_ = 0;
  Cycle port_free_ = 0;
  uint64_t seq_ = 0;
};

}  // namespace eyeriss
