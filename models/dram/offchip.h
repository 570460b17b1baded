// Off-chip memory and the chip's off-chip I/O. It holds the current layer's tensors (the host
// loads them, as it would write DRAM); iacts and weights leave it CSC-encoded (sparse mode) or
// raw, in the link words the chip's links carry. One channel per GLB iact port and per weight
// router follows its part of the layer program, fetching up to `buffer_packets` packets ahead.
// Final psums come back through the psum routers and are converted to 8-bit output
// activations at the chip boundary; when the last one is out, the layer is done.
// Bandwidth: unlimited when bytes_per_cycle is 0; otherwise every fetch and every output write
// takes its bits from one shared budget of bytes_per_cycle per cycle, granted in the decision
// phase round-robin over the requesters (channels, then the output links).
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <deque>
#include <memory>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/arch_config.h"
#include "models/common/fifo.h"
#include "models/common/layer.h"
#include "models/common/tensor.h"
#include "models/mapper/mapping.h"
#include "noc/link.h"
#include "noc/link_socket.h"

namespace eyeriss {

// The tensors of the layer being run (mapped view: FC as 1 x 1 convolution).
struct LayerData {
  Layer layer;
  const ActTensor* iacts = nullptr;     // [N][C][H][W]
  const Int8Tensor* weights = nullptr;  // [M][C/G][R][S]
  Int32Tensor psums;                    // [N][M][E][F], written by the chip
  Uint8Tensor oacts;
  std::vector<uint8_t> written;  // each output written exactly once
  int seg_cols = 1;
};

// The off-chip interface's parameters, derived once from the architecture.
struct OffChipParams {
  bool sparse = true;
  double bytes_per_cycle = 0;  // 0 = unlimited
  int latency_cycles = 0;
  int buffer_packets = 2;
  int iact_port_bits = 24;    // channel into a GLB iact bank
  int iact_link_bits = 24;    // the iact links' word width (packet format)
  int weight_link_bits = 24;  // channel into a weight router, and its word width
  int count_bits = 4, iact_bits = 8, weight_bits = 8, psum_bits = 20;
  LinkFormat format;
  static OffChipParams from(const ArchConfig& a);
};

class OffChip : public sc_core::sc_module, public LinkOwner {
 public:
  LinkTargetSocket<OffChip> cfg_in;
  tlm_utils::multi_passthrough_target_socket<OffChip> out_in;  // final psums, from psum routers
  tlm_utils::multi_passthrough_initiator_socket<OffChip> to_iact_bank;      // [cluster*banks + b]
  tlm_utils::multi_passthrough_initiator_socket<OffChip> to_weight_router;  // [cluster*rows + i]
  LinkInitiatorSocket<OffChip> done_out;  // layer done, to the controller

  OffChip(sc_core::sc_module_name name, const OffChipParams& p);

  // The host writes the next layer's tensors into off-chip memory.
  void load(LayerData* d) { layer_ = d; }
  // Test-only fault injection: corrupts the first final psum of each layer.
  void inject_psum_fault(bool on) { fault_ = on; }
  bool idle() const;
  uint64_t iact_bits = 0, weight_bits = 0, oact_bits = 0;

 private:
  struct Channel {
    LinkOut link;
    bool weight = false;
    const std::vector<PortStep>* steps = nullptr;    // iact channel
    const std::vector<WeightSend>* sends = nullptr;  // weight channel
    std::size_t step = 0, op = 0;
    std::vector<std::pair<int, int>> ops;  // iact: (stream, segment) from off-chip, this step
    bool listed = false;                   // in todo_
    bool more() const { return weight ? op < sends->size() : step < steps->size(); }
  };
  tlm::tlm_sync_enum out_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                            sc_core::sc_time& d) {
    if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
    outs_todo_.push_back(id);
    return outs_[id].request(gp, d, out_in[id], dp_);
  }
  void cfg_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d);
  void end_of_elaboration() override;
  void decide(Cycle t);
  bool wants_fetch(const Channel& c, Cycle t) const;
  uint64_t build(Channel& c, PacketRef& data, PacketTag& tag);
  // The layer's PE mode: CSC packets for a sparse-mode layer, raw ones otherwise.
  bool sparse_mode() const { return p_.sparse && prog_->map.pe_mode != PeMode::Dense; }
  void advance(Channel& c);
  void enter_step(Channel& c);
  void write_out(const Received& r);
  std::vector<int32_t> psums_;  // write_out's row, kept for its buffer
  // Bandwidth: the cycle `bits` have moved if granted now (unlimited: t).
  Cycle grant(Cycle t, uint64_t bits);
  bool budget_left(Cycle t) const;
  void on_sent(LinkOut& l, uint64_t cookie, Cycle start, Cycle end, bool dropped) override;

  OffChipParams p_;
  DecisionPhase dp_;
  std::vector<std::unique_ptr<Channel>> chans_;  // iact channels, then weight channels
  std::vector<LinkIn> outs_;
  const LayerProgram* prog_ = nullptr;
  LayerData* layer_ = nullptr;
  int64_t rows_left_ = 0;
  Cycle done_at_ = 0;
  bool fault_ = false, fault_done_ = false;
  double bw_free_ = 0;  // limited bandwidth: the budget is used up to here (cycles)
  std::size_t rr_ = 0;
  std::vector<int> todo_, outs_todo_;  // unlimited bandwidth: requesters that may act
  std::vector<int16_t> values_;
  CscMatrix csc_;
};

}  // namespace eyeriss
