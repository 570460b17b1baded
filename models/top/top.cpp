#include "models/top/top.h"

#include <string>

namespace eyeriss {

Top::Top(sc_core::sc_module_name name, const ArchConfig& a)
    : sc_module(name),
      offchip("offchip", OffChipParams::from(a)),
      controller("controller", a.layer_config_cycles(), a.clusters() + 1),
      arch_(a) {
  offchip.done_out.bind(controller.done_in);
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c)
      groups.push_back(std::make_unique<ClusterGroup>(
          ("cg_r" + std::to_string(r) + "_c" + std::to_string(c)).c_str(), a,
          MeshPosition{r, c, a.cluster_rows, a.cluster_cols}));
  // Socket index order is cluster-major everywhere (the program's vectors are too).
  using K = CfgTarget::Kind;
  int ir = 0, wr = 0, pe = 0, pr = 0, ib = 0, pb = 0;
  int port = 0;  // the controller's cfg port of the cluster group
  auto configured = [&](auto& blocks, K kind, int& index) {
    for (auto& b : blocks) controller.add_target(port, b->cfg_in, {kind, index++});
  };
  for (auto& g : groups) {
    for (auto& b : g->glb.iact) offchip.to_iact_bank.bind(b->from_offchip);
    for (auto& w : g->router.weight) offchip.to_weight_router.bind(w->in_local);
    for (auto& p : g->router.psum) p->to_offchip.bind(offchip.out_in);
    configured(g->router.iact, K::IactRouter, ir);
    configured(g->router.weight, K::WeightRouter, wr);
    configured(g->pe_cluster.pes, K::Pe, pe);
    configured(g->router.psum, K::PsumRouter, pr);
    configured(g->glb.iact, K::IactBank, ib);
    configured(g->glb.psum, K::PsumBank, pb);
    ++port;
  }
  controller.add_target(port, offchip.cfg_in, {K::OffChip, 0});
  wire_mesh();
}

// The hierarchical mesh between router clusters: iact routers N/S/W/E, weight routers W/E
// only, psum routers north-to-south only. Edge routers leave the missing ports unbound.
void Top::wire_mesh() {
  const ArchConfig& a = arch_;
  for (int r = 0; r < a.cluster_rows; ++r)
    for (int c = 0; c < a.cluster_cols; ++c) {
      RouterCluster& here = group(r, c).router;
      if (c + 1 < a.cluster_cols) {
        RouterCluster& east = group(r, c + 1).router;
        for (int i = 0; i < a.iact_routers; ++i) {
          here.iact[i]->to_e.bind(east.iact[i]->from_w);
          east.iact[i]->to_w.bind(here.iact[i]->from_e);
        }
        for (int i = 0; i < a.weight_routers; ++i) {
          here.weight[i]->to_e.bind(east.weight[i]->from_w);
          east.weight[i]->to_w.bind(here.weight[i]->from_e);
        }
      }
      for (int j = 0; j < a.psum_routers; ++j)
        here.psum[j]->set_neighbours(r > 0, r + 1 < a.cluster_rows);
      if (r + 1 < a.cluster_rows) {
        RouterCluster& south = group(r + 1, c).router;
        for (int i = 0; i < a.iact_routers; ++i) {
          here.iact[i]->to_s.bind(south.iact[i]->from_n);
          south.iact[i]->to_n.bind(here.iact[i]->from_s);
        }
        for (int j = 0; j < a.psum_routers; ++j)
          here.psum[j]->to_south.bind(south.psum[j]->from_north);
      }
    }
}

std::vector<std::string> Top::busy_blocks() const {
  std::vector<std::string> v;
  for (const auto& g : groups) {
    for (const auto& p : g->pe_cluster.pes)
      if (!p->idle()) v.push_back(p->state());
    for (const auto& r : g->router.iact)
      if (!r->idle()) v.push_back(std::string(r->name()) + " holds packets");
    for (const auto& r : g->router.weight)
      if (!r->idle()) v.push_back(std::string(r->name()) + " holds packets");
    for (const auto& r : g->router.psum)
      if (!r->idle()) v.push_back(r->state());
    for (const auto& b : g->glb.iact)
      if (!b->idle()) v.push_back(std::string(b->name()) + " has segments to send");
    for (const auto& b : g->glb.psum)
      if (!b->idle()) v.push_back(std::string(b->name()) + " has rows to read");
  }
  if (!offchip.idle()) v.push_back(std::string(offchip.name()) + " waits for outputs");
  return v;
}

ChipCounters Top::counters() const {
  ChipCounters k;
  auto& c = k.c;
  c["offchip.iact_bits"] = offchip.iact_bits;
  c["offchip.weight_bits"] = offchip.weight_bits;
  c["offchip.oact_bits"] = offchip.oact_bits;
  PeStats sum;
  for (const auto& g : groups) {
    std::vector<uint64_t> li(4, 0), lw(2, 0), lp(1, 0);
    for (const auto& r : g->router.iact)
      for (int p = 0; p < 4; ++p) li[p] += r->link(static_cast<Port>(p + 1)).bits;
    for (const auto& r : g->router.weight)
      for (int p = 0; p < 2; ++p) lw[p] += r->link(static_cast<Port>(p + 3)).bits;
    for (const auto& r : g->router.psum) lp[0] += r->south_link().bits;
    k.link_iact.push_back(li);
    k.link_weight.push_back(lw);
    k.link_psum.push_back(lp);
    for (const auto& pe : g->pe_cluster.pes) {
      k.pe.push_back(pe->stats());
      sum.add(pe->stats());
      c["noc.psum.column_wait_cycles"] += pe->out_link().stats().wait;
    }
    for (const auto& b : g->glb.iact) {
      c["glb.iact.reads"] += b->reads;
      c["glb.iact.writes"] += b->writes;
      c["glb.iact.read_bits"] += b->read_bits;
      c["glb.iact.write_bits"] += b->write_bits;
      c["glb.iact.passthrough"] += b->passthrough;
      c["glb.iact.port_bits"] += b->port_link().bits;
      c["glb.iact.port_wait_cycles"] += b->port_link().wait;
    }
    for (const auto& b : g->glb.psum) {
      c["glb.psum.reads"] += b->reads;
      c["glb.psum.writes"] += b->writes;
      c["glb.psum.read_bits"] += b->read_bits;
      c["glb.psum.write_bits"] += b->write_bits;
      c["glb.psum.port_bits"] += b->port_bits;
    }
    for (const char* type : {"iact", "weight"}) {
      const auto& routers = std::string(type) == "iact" ? g->router.iact : g->router.weight;
      const std::string n = std::string("noc.") + type + ".";
      for (const auto& r : routers) {
        const LinkStats& l = r->link(Port::Local);
        c[n + "local_transfers"] += l.transfers;
        c[n + "local_bits"] += l.bits;
        c[n + "pe_deliveries"] += l.deliveries;
        c[n + "dropped"] += l.dropped;
        c[n + "offers_refused"] += l.refused;
        c[n + "local_wait_cycles"] += l.wait;
        for (Port p : {Port::N, Port::S, Port::W, Port::E}) {
          c[n + "mesh_transfers"] += r->link(p).transfers;
          c[n + "mesh_bits"] += r->link(p).bits;
          c[n + "mesh_wait_cycles"] += r->link(p).wait;
        }
      }
    }
    for (const auto& r : g->router.psum) {
      c["noc.psum.column_packets"] += r->packets_up();
      c["noc.psum.local_transfers"] += r->pe_link().transfers;
      c["noc.psum.local_bits"] += r->pe_link().bits;
      c["noc.psum.mesh_transfers"] += r->south_link().transfers;
      c["noc.psum.mesh_bits"] += r->south_link().bits;
    }
  }
  c["pe.busy_cycles"] = sum.busy_cycles;
  c["pe.macs"] = sum.macs;
  c["pe.mac_slots"] = sum.mac_slots;
  c["pe.nonzero_macs"] = sum.nonzero_macs;
  c["pe.dropped_iacts"] = sum.dropped_iacts;
  c["noc.psum.column_bits"] = sum.psum_out_bits;
  c["spad.iact_addr.reads"] = sum.iact_addr_reads;
  c["spad.iact_addr.writes"] = sum.iact_addr_writes;
  c["spad.iact_data.reads"] = sum.iact_data_reads;
  c["spad.iact_data.writes"] = sum.iact_data_writes;
  c["spad.weight_addr.reads"] = sum.weight_addr_reads;
  c["spad.weight_addr.writes"] = sum.weight_addr_writes;
  c["spad.weight_data.reads"] = sum.weight_data_reads;
  c["spad.weight_data.writes"] = sum.weight_data_writes;
  c["spad.psum.reads"] = sum.psum_reads;
  c["spad.psum.writes"] = sum.psum_writes;
  return k;
}

}  // namespace eyeriss
