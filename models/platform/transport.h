// One blocking TLM-2.0 transfer, its generic payload set up as the base protocol asks (no byte
// enables, streaming width = length, no DMI). Shared by the chip's memory port, eyeriss-sim's
// host and the platform example.
#pragma once
#include <cstdint>
#include <string>
#include <systemc>
#include <tlm>

namespace eyeriss {

// `bytes` at `addr` through `socket` (an initiator socket or anything with ->b_transport);
// `delay` collects the target's annotation. Returns "" on success, else the response
// ("TLM_ADDRESS_ERROR_RESPONSE", ...).
template <class Socket>
std::string transport(Socket& socket, tlm::tlm_command cmd, uint64_t addr, void* data,
                      unsigned bytes, sc_core::sc_time& delay) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(bytes);
  gp.set_streaming_width(bytes);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  socket->b_transport(gp, delay);
  return gp.is_response_error() ? gp.get_response_string() : std::string();
}

}  // namespace eyeriss
