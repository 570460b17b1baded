// Off-chip memory and the chip's off-chip I/O. It holds the current layer's tensors; iacts and
// weights leave it CSC-encoded (sparse mode) or raw, as the chip stores them off-chip; final
// psums come back through the psum routers and are converted to 8-bit output activations at
// the chip boundary. Bandwidth is a timeline (unlimited when bytes_per_cycle is 0).
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "models/common/arch_config.h"
#include "models/common/layer.h"
#include "models/common/tensor.h"
#include "noc/noc_packet.h"
#include "noc/timing.h"

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

class OffChip : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<OffChip> cmd;                // controller orders
  tlm_utils::multi_passthrough_target_socket<OffChip> out_in;  // final psums, from psum routers
  tlm_utils::multi_passthrough_initiator_socket<OffChip> to_iact_bank;      // [cluster*banks + b]
  tlm_utils::multi_passthrough_initiator_socket<OffChip> to_weight_router;  // [cluster*rows + i]

  OffChip(sc_core::sc_module_name name, const ArchConfig& arch);

  void set_layer(LayerData* d) { layer_ = d; }
  uint64_t iact_bits = 0, weight_bits = 0, oact_bits = 0;

  // Builds the iact segment `seg` of a stream (also used by the controller to size streams).
  static void build_segment(const LayerData& d, const IactStreamKey& k, int cc, int seg,
                            std::vector<int16_t>& values);

 private:
  void cmd_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void out_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  Cycle transfer(Cycle ready, uint64_t bits);
  // Moves `out` over the off-chip interface, then into s[idx].
  void send(NocPacket& out, tlm_utils::multi_passthrough_initiator_socket<OffChip>& s, int idx,
            sc_core::sc_time& delay);

  ArchConfig arch_;
  LayerData* layer_ = nullptr;
  BandwidthCalendar calendar_;  // used when the bandwidth is limited
  std::vector<int16_t> scratch_;
};

}  // namespace eyeriss
