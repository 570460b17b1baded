// eyeriss-sim's own platform (docs/platform.md): the host side of the chip's platform interface.
// A DRAM image behind a TLM target socket, bound to the chip's `mem`; a host thread that, layer
// after layer, writes the layer's descriptor and tensors into DRAM (the host loading it, not
// timed), starts the chip through its registers, sleeps until the interrupt and hands the
// outputs back. The chip (EyerissChip) is the same component a user's platform embeds.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <functional>
#include <string>
#include <systemc>
#include <vector>

#include "models/platform/eyeriss_chip.h"

namespace eyeriss {

class HostPlatform : public sc_core::sc_module {
 public:
  EyerissChip& chip;

  // Layer k's host side. `load` writes the layer into `dram` (resizing it) and fills its
  // descriptor (which the platform places at address 0); false when there is no layer k.
  // `unload` reads its outputs from `dram` after the chip's interrupt.
  std::function<bool(std::size_t k, std::vector<uint8_t>& dram, LayerDescriptor& d)> load;
  std::function<void(std::size_t k, const std::vector<uint8_t>& dram, const LayerDescriptor& d)>
      unload;

  SC_HAS_PROCESS(HostPlatform);
  // `chip` is built beside the host, not inside it, so its blocks keep their top-level names.
  HostPlatform(sc_core::sc_module_name name, EyerissChip& chip);

  // Why the run stopped early (the chip's error status), "" if it did not.
  const std::string& error() const { return error_; }
  // Where a layer's tensors go, after a descriptor at address 0.
  static constexpr uint64_t kTensorBase = 4096;

 private:
  void host();  // SC_THREAD
  void dram_access(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  uint64_t reg(tlm::tlm_command cmd, uint64_t offset, uint64_t value = 0);

  tlm_utils::simple_target_socket<HostPlatform> dram_port_;
  tlm_utils::simple_initiator_socket<HostPlatform> to_regs_;
  sc_core::sc_signal<bool> irq_;
  std::vector<uint8_t> dram_;
  std::string error_;
};

}  // namespace eyeriss
