#include "testbench/host_platform.h"

#include <cstring>

#include "models/platform/transport.h"

namespace eyeriss {

HostPlatform::HostPlatform(sc_core::sc_module_name name, EyerissChip& c)
    : sc_module(name), chip(c), dram_port_("dram"), to_regs_("to_regs"), irq_("irq") {
  dram_port_.register_b_transport(this, &HostPlatform::dram_access);
  chip.mem.bind(dram_port_);
  to_regs_.bind(chip.regs);
  chip.irq.bind(irq_);
  SC_THREAD(host);
}

void HostPlatform::dram_access(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  const uint64_t a = gp.get_address(), n = gp.get_data_length();
  if (a > dram_.size() || n > dram_.size() - a) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.is_read())
    std::memcpy(gp.get_data_ptr(), dram_.data() + a, n);
  else
    std::memcpy(dram_.data() + a, gp.get_data_ptr(), n);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);  // no latency: the layer's own DRAM model times
}

uint64_t HostPlatform::reg(tlm::tlm_command cmd, uint64_t offset, uint64_t value) {
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  const std::string error = transport(to_regs_, cmd, offset, &value, 8, d);
  if (!error.empty())
    SC_REPORT_FATAL("eyeriss/host", ("register access refused: " + error).c_str());
  return value;
}

void HostPlatform::host() {
  for (std::size_t k = 0;; ++k) {
    LayerDescriptor d;
    if (!load || !load(k, dram_, d)) return;
    const auto b = d.encode();
    std::memcpy(dram_.data(), b.data(), b.size());
    reg(tlm::TLM_WRITE_COMMAND, EyerissChip::kRegDescriptor, 0);
    reg(tlm::TLM_WRITE_COMMAND, EyerissChip::kRegStart, 1);
    while (!irq_.read()) wait(irq_.posedge_event());
    const uint64_t status = reg(tlm::TLM_READ_COMMAND, EyerissChip::kRegStatus);
    reg(tlm::TLM_WRITE_COMMAND, EyerissChip::kRegStatus, 0);  // acknowledge
    while (irq_.read()) wait(irq_.negedge_event());           // low before the next START
    if (status != EyerissChip::kDone) {
      error_ = chip.last_error();
      sc_core::sc_stop();
      return;
    }
    if (unload) unload(k, dram_, d);
  }
}

}  // namespace eyeriss
