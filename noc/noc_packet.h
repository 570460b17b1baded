// The one TLM extension every data transaction carries: which data type, where it goes, which
// tensor coordinates it holds, and the payload itself (CSC or raw), so routing or accumulation
// bugs show up as wrong outputs. `bits` is what the link carries; timing follows it.
#pragma once
#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/csc.h"
#include "pe/pe_compute.h"

namespace eyeriss {

enum class DataType : uint8_t { Iact, Weight, Psum };
inline const char* to_string(DataType t) {
  return t == DataType::Iact ? "iact" : t == DataType::Weight ? "weight" : "psum";
}

// Commands from the controller to the memories (the top-level controller's per-transfer orders).
enum class Op : uint8_t {
  Data,         // a data packet travelling the NoC
  SendIact,     // off-chip / iact bank: send an iact segment onward
  SendWeights,  // off-chip: send a weight block to a weight router
  SendPsum,     // psum bank: read a psum row (or a start token) and send it to the psum router
  Evict,        // iact bank: drop a stored stream
  Config,       // PE or router: per-pass configuration
};

// Identifies one iact row stream (one PE's iact input for a pass): batch n, group g, first
// input channel ci within the group, input row h (outside [0, H) for padding rows), first
// output column f0.
struct IactStreamKey {
  int n = 0, g = 0, ci = 0, h = 0, f0 = 0;
  bool operator==(const IactStreamKey& o) const {
    return n == o.n && g == o.g && ci == o.ci && h == o.h && f0 == o.f0;
  }
};

// One destination cluster of a packet and the PEs there that take it.
struct ClusterDest {
  int cluster = 0;
  uint32_t pe_mask = 0;  // bit = row * pe_cols + col
};

struct NocPacket : tlm::tlm_extension<NocPacket> {
  Op op = Op::Data;
  DataType type = DataType::Iact;
  bool csc = true;         // CSC-encoded (sparse mode), else raw values
  uint32_t dest_mask = 0;  // orders: destination PEs within `cluster` (bit = row*pe_cols + col)
  int cluster = 0;         // orders: the cluster group whose memory or router is addressed
  std::vector<ClusterDest> dests;  // data: every destination cluster and PE set (multicast)
  int src_cluster = 0;             // data: the cluster whose GLB port injected the packet
  int port = 0;                    // bank / router index within the cluster group
  bool store = false;              // SendIact: also keep the stream in the GLB bank
  bool to_offchip = false;

  // Tensor coordinates of the payload.
  IactStreamKey stream;                      // iacts
  int seg = 0;                               // iact segment index within the stream
  int g = 0, m_base = 0, c_base = 0, r = 0;  // weights: group, first m, first c, filter row
  int mc = 0, cc = 0;                        // block sizes
  int task = 0, f = 0;                       // psums: row task and position within it
  int n = 0, e = 0, f_out = 0;  // psums: output coordinates (batch, row, first column + f)

  bool query = false;          // readiness query: no data moves, destinations raise `ready`
  Cycle ready = 0;             // query answer: the cycle every destination can take the packet
  uint64_t bits = 0;           // bits on the link
  Cycle xfer = 0;              // link cycles for this packet (set by the sender of each hop)
  CscMatrix csc_data;          // CSC payload (iact segment or weight block)
  std::vector<int16_t> raw;    // raw payload (dense mode)
  std::vector<int32_t> psums;  // psum payload
  bool has_psums = false;      // false: a start token (nothing to add yet)
  PePassConfig pe_cfg;         // Op::Config for a PE
  int router_mode = 0;         // Op::Config for a router

  tlm::tlm_extension_base* clone() const override { return new NocPacket(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const NocPacket&>(other);
  }
};

// Wraps a NocPacket in a generic payload for one b_transport call. The data pointer shows the
// payload bytes (their length is the link bits rounded up) for tools that inspect payloads.
class PacketTransaction {
 public:
  explicit PacketTransaction(NocPacket& p) : pkt_(p) {
    gp_.set_command(tlm::TLM_WRITE_COMMAND);
    gp_.set_address(0);
    unsigned char* ptr = nullptr;
    if (!p.psums.empty())
      ptr = reinterpret_cast<unsigned char*>(p.psums.data());
    else if (!p.csc_data.data.empty())
      ptr = reinterpret_cast<unsigned char*>(p.csc_data.data.data());
    else if (!p.raw.empty())
      ptr = reinterpret_cast<unsigned char*>(p.raw.data());
    gp_.set_data_ptr(ptr);
    gp_.set_data_length(ptr ? static_cast<unsigned>((p.bits + 7) / 8) : 0);
    gp_.set_streaming_width(gp_.get_data_length());
    gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    gp_.set_extension(&pkt_);
  }
  ~PacketTransaction() { gp_.clear_extension(&pkt_); }
  tlm::tlm_generic_payload& gp() { return gp_; }

 private:
  NocPacket& pkt_;
  tlm::tlm_generic_payload gp_;
};

inline NocPacket& packet_of(tlm::tlm_generic_payload& gp) {
  NocPacket* p = nullptr;
  gp.get_extension(p);
  if (!p) SC_REPORT_FATAL("eyeriss/noc", "transaction without a NocPacket extension");
  return *p;
}

}  // namespace eyeriss
