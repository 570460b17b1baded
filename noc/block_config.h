// The per-layer configuration the controller sends each block through its cfg socket: a
// pointer to the block's part of the layer program (models/mapper/program.h) and the edge at
// which the block may start (after the layer's command has been loaded).
#pragma once
#include <systemc>
#include <tlm>

#include "models/common/cycle.h"

namespace eyeriss {

struct BlockConfig : tlm::tlm_extension<BlockConfig> {
  const void* program = nullptr;  // the block's part (type known to the block)
  Cycle start = 0;
  bool signed_iacts = false;
  int layer = 0;

  tlm::tlm_extension_base* clone() const override { return new BlockConfig(*this); }
  void copy_from(const tlm::tlm_extension_base& o) override {
    *this = static_cast<const BlockConfig&>(o);
  }
};

template <typename T>
const T& program_of(tlm::tlm_generic_payload& gp, Cycle& start) {
  BlockConfig* c = gp.get_extension<BlockConfig>();
  if (!c || !c->program) SC_REPORT_FATAL("eyeriss/config", "configuration without a program");
  start = c->start;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  return *static_cast<const T*>(c->program);
}

}  // namespace eyeriss
