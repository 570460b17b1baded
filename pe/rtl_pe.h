// The RTL PE in the loop: the SystemVerilog PE (pe/rtl/eyeriss_pe.sv), verilated for SystemC,
// behind a transactor that turns the TLM link protocol into pin activity and back, with the C++
// PE model (PeCore) in its shadow for a lockstep cross-check. It is a PeBlock, so a PE cluster
// holds it where it would hold the transaction-level PE. docs/rtl.md.
#pragma once
#include <memory>
#include <string>

#include "pe/pe_block.h"

namespace eyeriss {

// True when this build has the verilated PE (verilator was found at configure time).
bool rtl_pe_available();
// The RTL PE for instance `name`; only when rtl_pe_available().
std::unique_ptr<PeBlock> make_rtl_pe(const char* name, const PeParams& p);
// Writes the pins of every RTL PE built after this call to a VCD file (empty: none).
void rtl_pe_trace_to(const std::string& vcd_path);
// Completes the VCD file (after the simulation).
void rtl_pe_trace_close();

}  // namespace eyeriss
