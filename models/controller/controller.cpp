#include "models/controller/controller.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "models/glb/iact_bank.h"
#include "noc/block_config.h"
#include "noc/clock.h"

namespace eyeriss {

Controller::Controller(sc_core::sc_module_name name, Cycle config_cycles, int cfg_ports)
    : sc_module(name), done_in("done_in"), config_cycles_(config_cycles), bound_(cfg_ports, 0) {
  for (int i = 0; i < cfg_ports; ++i)
    cfg.push_back(std::make_unique<CfgSocket>(("cfg_" + std::to_string(i)).c_str()));
  done_in.register_b_transport(this, &Controller::done_transport);
  SC_THREAD(run);
}

void Controller::done_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) {
  done_ev_.notify(d);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Controller::run() {
  while (LayerJob* job = next_job ? next_job() : nullptr) {
    run_layer(*job);
    if (job_done) job_done(*job);
  }
}

const void* Controller::part_of(const LayerProgram& prog, const CfgTarget& t) const {
  const NocProgram& n = prog.noc;
  switch (t.kind) {
    case CfgTarget::Kind::IactRouter:
      return &n.iact_routers[t.index];
    case CfgTarget::Kind::WeightRouter:
      return &n.weight_routers[t.index];
    case CfgTarget::Kind::Pe:
      return &n.pes[t.index];
    case CfgTarget::Kind::PsumRouter:
      return &n.psum_routers[t.index];
    case CfgTarget::Kind::IactBank:
      return &bank_progs_[t.index];
    case CfgTarget::Kind::PsumBank:
      return &n.psum_banks[t.index];
    case CfgTarget::Kind::OffChip:
      return &prog;
  }
  return nullptr;
}

void Controller::run_layer(LayerJob& job) {
  const LayerProgram& prog = *job.prog;
  const Cycle t0 = ClockDomain::next_edge();
  if (ClockDomain::until_edge(t0) != sc_core::SC_ZERO_TIME) wait(ClockDomain::until_edge(t0));
  job.start = t0;
  // The layer's command goes over the configuration bus; the blocks start when it is loaded.
  const Cycle start = t0 + config_cycles_;
  bank_progs_.assign(prog.noc.iact_ports.size(), {});
  for (std::size_t i = 0; i < bank_progs_.size(); ++i)
    bank_progs_[i] = {&prog.noc.iact_ports[i], prog.window_segs};
  std::vector<std::size_t> order(targets_.size());
  std::iota(order.begin(), order.end(), 0);
  if (shuffle_seed_) {
    std::mt19937_64 rng(shuffle_seed_ + static_cast<uint64_t>(prog.layer.M) * 7919);
    std::shuffle(order.begin(), order.end(), rng);
  }
  for (std::size_t i : order) {
    BlockConfig c;
    const Target& t = targets_[i];
    c.program = part_of(prog, t.what);
    c.start = start;
    c.signed_iacts = prog.noc.signed_iacts;
    c.layer = layer_;
    tlm::tlm_generic_payload gp;
    gp.set_extension(&c);
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    (*cfg[t.port])[t.binding]->b_transport(gp, d);
    gp.clear_extension(&c);
    if (gp.is_response_error()) SC_REPORT_FATAL("eyeriss/controller", "configuration failed");
  }
  ++layer_;
  if (prog.noc.output_rows == 0) {
    job.end = start;
    wait(ClockDomain::until_edge(start));
    return;
  }
  wait(done_ev_);
  job.end = ClockDomain::now();
}

}  // namespace eyeriss
