// A build without verilator: no RTL PE (the simulator refuses --rtl-pe with a clear message).
#include <stdexcept>

#include "pe/rtl_pe.h"

namespace eyeriss {

bool rtl_pe_available() { return false; }

std::unique_ptr<PeBlock> make_rtl_pe(const char* name, const PeParams&) {
  throw std::logic_error(std::string(name) + ": RTL co-simulation is off in this build");
}

void rtl_pe_trace_to(const std::string&) {}
void rtl_pe_trace_close() {}

}  // namespace eyeriss
