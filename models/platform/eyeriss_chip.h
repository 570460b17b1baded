// The chip as a component of a user's SystemC platform (docs/platform.md): memory-mapped
// registers on a TLM target socket, all tensor traffic through a TLM initiator socket into the
// platform's memory, and an interrupt on completion. A CPU writes a layer descriptor
// (layer_descriptor.h) and the layer's tensors into memory, writes the descriptor's address and
// START, and waits for the interrupt; the chip reads the tensors, maps the layer (the RS+ mapper
// stands in for the host-side compiler that would produce the chip's configuration), runs it on
// the chip model, writes psums and oacts back into memory and raises `irq`.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <functional>
#include <string>
#include <systemc>

#include "models/common/arch_config.h"
#include "models/mapper/mapping.h"
#include "models/platform/layer_descriptor.h"
#include "models/top/top.h"

namespace eyeriss {

// The chip is the Top module itself with the platform ports added, so its blocks keep their
// names (NAME.cg_r0_c0.pe_cluster.pe_r1_c2, as --rtl-pe and traces name them).
class EyerissChip : public Top {
 public:
  // 64-bit registers, at these offsets from the socket's base.
  static constexpr uint64_t kRegId = 0x00;          // RO: kIdValue
  static constexpr uint64_t kRegDescriptor = 0x08;  // RW: the layer descriptor's address
  static constexpr uint64_t kRegStart = 0x10;       // WO: write 1 to start the layer
  static constexpr uint64_t kRegStatus = 0x18;      // RO: Status; a write clears irq (ack)
  static constexpr uint64_t kRegCycles = 0x20;      // RO: cycles of the last layer run
  static constexpr uint64_t kRegLayers = 0x28;      // RO: layers completed since reset
  static constexpr uint64_t kIdValue = 0x32565945;  // the bytes "EYV2"
  enum Status : uint64_t { kIdle = 0, kBusy = 1, kDone = 2, kError = 3 };

  tlm_utils::simple_target_socket<EyerissChip> regs;
  tlm_utils::simple_initiator_socket<EyerissChip> mem;
  sc_core::sc_out<bool> irq;

  SC_HAS_PROCESS(EyerissChip);
  EyerissChip(sc_core::sc_module_name name, const ArchConfig& arch);

  // Why the last layer ended with kError ("" otherwise).
  const std::string& last_error() const { return error_; }
  Top& top() { return *this; }

  // Where a layer's program comes from. By default the RS+ mapper maps the descriptor's layer;
  // a host that mapped its layers beforehand (eyeriss-sim, with pinned mappings) supplies them.
  // The program must be for mapped_view(descriptor's layer).
  using ProgramSource = std::function<const LayerProgram*(const LayerDescriptor&)>;
  void set_program_source(ProgramSource source) { source_ = std::move(source); }
  // Called on the controller's thread the moment a layer ends, before its outputs are written
  // back (a host snapshots the chip's counters here).
  std::function<void(const LayerJob&)> on_layer_end;

 private:
  static const ArchConfig& clocked(const ArchConfig& a);  // sets the clock before Top exists
  void reg_access(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  LayerJob* next_job();  // on the controller's thread: waits for START, loads and maps
  bool load(const LayerDescriptor& d);
  void job_done(LayerJob& job);
  void fail(const std::string& why);
  void set_irq(bool level);
  void drive_irq();
  void mem_access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint64_t bytes);

  ArchConfig arch_;
  uint64_t descriptor_ = 0, status_ = kIdle, cycles_ = 0, layers_ = 0;
  bool start_ = false;
  sc_core::sc_event start_ev_, irq_ev_;
  bool irq_level_ = false;
  std::string error_;
  LayerDescriptor desc_;
  ActTensor iacts_;
  Int8Tensor weights_;
  LayerProgram prog_;
  ProgramSource source_;
  LayerData data_;
  LayerJob job_;
};

}  // namespace eyeriss
