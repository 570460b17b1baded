#include "models/common/arch_config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "models/common/error.h"
#include "models/common/split_list.h"
#include "models/common/yaml_util.h"

namespace eyeriss {
namespace {

using Reader = detail::YamlReader;

// Element sizes as stored on chip: in sparse mode each iact/weight carries a zero-run count.
int64_t iact_element_bits(const ArchConfig& a) {
  return int64_t(a.iact_bits) + (a.sparse ? a.count_bits : 0);
}
int64_t weight_element_bits(const ArchConfig& a) {
  return int64_t(a.weight_bits) + (a.sparse ? a.count_bits : 0);
}

}  // namespace

std::vector<std::string> split_rtl_list(const std::string& list) {
  std::vector<std::string> v = split_list(list);
  for (std::string& n : v)  // instance names hold no spaces: drop any inside one too
    n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == ' ' || c == '\t'; }),
            n.end());
  return v;
}

namespace {

// Parses "top.cg_r<R>_c<C>[.pe_cluster[.pe_r<I>_c<J>]]"; false if it is not of that form.
bool parse_rtl_name(const std::string& s, int& R, int& C, int& I, int& J) {
  I = J = -1;
  int n = 0;
  if (std::sscanf(s.c_str(), "top.cg_r%d_c%d%n", &R, &C, &n) != 2) return false;
  std::string rest = s.substr(n);
  if (rest.empty() || rest == ".pe_cluster") return true;
  int m = 0;
  if (std::sscanf(rest.c_str(), ".pe_cluster.pe_r%d_c%d%n", &I, &J, &m) != 2) return false;
  return static_cast<std::size_t>(m) == rest.size();
}

}  // namespace

bool ArchConfig::rtl_selected(const std::string& pe) const {
  for (const std::string& sel : rtl_pe) {
    if (sel == "all" || sel == pe) return true;
    // A cluster group or its PE cluster selects every PE in it.
    const std::string group =
        sel.size() > 11 && sel.compare(sel.size() - 11, 11, ".pe_cluster") == 0
            ? sel
            : sel + ".pe_cluster";
    if (pe.compare(0, group.size() + 1, group + ".") == 0) return true;
  }
  return false;
}

ArchConfig parse_arch_config(const std::string& yaml_text, const std::string& file,
                             const std::vector<std::string>& overrides) {
  const YAML::Node doc =
      detail::load_single_document(yaml_text, file, "expected a map of architecture keys");
  std::string origin = file;
  for (const std::string& o : overrides) {
    detail::apply_override(doc, o, "--set");
    origin += (origin == file ? " with --set " : ", --set ") + o;
  }
  Reader r(origin);

  ArchConfig a;
  const Reader::Map root = r.map(doc, "",
                                 {"name", "cluster_array", "pe_cluster", "pe", "glb", "noc",
                                  "clock_hz", "offchip", "controller", "mapper", "rtl"});
  r.get(root, "name", a.name);
  if (auto m = r.child(root, "cluster_array", {"rows", "cols"})) {
    r.get(*m, "rows", a.cluster_rows);
    r.get(*m, "cols", a.cluster_cols);
  }
  if (auto m = r.child(root, "pe_cluster", {"rows", "cols"})) {
    r.get(*m, "rows", a.pe_rows);
    r.get(*m, "cols", a.pe_cols);
  }
  if (auto pe = r.child(root, "pe",
                        {"sparse", "simd", "pipeline_stages", "count_bits", "iact_bits",
                         "weight_bits", "psum_bits", "spads", "psum_spad_ports"})) {
    r.get(*pe, "sparse", a.sparse);
    r.get(*pe, "simd", a.simd);
    r.get(*pe, "pipeline_stages", a.pipeline_stages);
    r.get(*pe, "count_bits", a.count_bits);
    r.get(*pe, "iact_bits", a.iact_bits);
    r.get(*pe, "weight_bits", a.weight_bits);
    r.get(*pe, "psum_bits", a.psum_bits);
    r.get(*pe, "psum_spad_ports", a.psum_spad_ports);
    if (auto sp = r.child(*pe, "spads",
                          {"iact_addr", "iact_data", "weight_addr", "weight_data", "psum"})) {
      const std::pair<const char*, SpadConfig*> spads[] = {{"iact_addr", &a.iact_addr},
                                                           {"iact_data", &a.iact_data},
                                                           {"weight_addr", &a.weight_addr},
                                                           {"weight_data", &a.weight_data},
                                                           {"psum", &a.psum}};
      for (const auto& [key, spad] : spads) {
        if (auto m = r.child(*sp, key, {"entries", "width_bits"})) {
          r.get(*m, "entries", spad->entries);
          r.get(*m, "width_bits", spad->width_bits);
        }
      }
    }
  }
  if (auto m = r.child(root, "glb",
                       {"iact_banks", "iact_bank_bytes", "psum_banks", "psum_bank_bytes",
                        "iact_port_bits", "psum_port_bits", "buffer_packets"})) {
    r.get(*m, "iact_banks", a.glb_iact_banks);
    r.get(*m, "iact_bank_bytes", a.glb_iact_bank_bytes);
    r.get(*m, "psum_banks", a.glb_psum_banks);
    r.get(*m, "psum_bank_bytes", a.glb_psum_bank_bytes);
    r.get(*m, "iact_port_bits", a.glb_iact_port_bits);
    r.get(*m, "psum_port_bits", a.glb_psum_port_bits);
    r.get(*m, "buffer_packets", a.glb_buffer_packets);
  }
  if (auto m = r.child(
          root, "noc",
          {"iact_routers", "weight_routers", "psum_routers", "iact_link_bits", "weight_link_bits",
           "psum_link_bits", "router_hop_cycles", "router_buffer_packets"})) {
    r.get(*m, "iact_routers", a.iact_routers);
    r.get(*m, "weight_routers", a.weight_routers);
    r.get(*m, "psum_routers", a.psum_routers);
    r.get(*m, "iact_link_bits", a.iact_link_bits);
    r.get(*m, "weight_link_bits", a.weight_link_bits);
    r.get(*m, "psum_link_bits", a.psum_link_bits);
    r.get(*m, "router_hop_cycles", a.router_hop_cycles);
    r.get(*m, "router_buffer_packets", a.router_buffer_packets);
  }
  r.get(root, "clock_hz", a.clock_hz);
  if (auto m = r.child(root, "offchip", {"bytes_per_cycle", "latency_cycles", "buffer_packets"})) {
    r.get(*m, "bytes_per_cycle", a.offchip_bytes_per_cycle);
    r.get(*m, "latency_cycles", a.offchip_latency_cycles);
    r.get(*m, "buffer_packets", a.offchip_buffer_packets);
  }
  if (auto m =
          r.child(root, "controller", {"command_bits", "config_bus_bits", "pass_config_cycles"})) {
    r.get(*m, "command_bits", a.command_bits);
    r.get(*m, "config_bus_bits", a.config_bus_bits);
    r.get(*m, "pass_config_cycles", a.pass_config_cycles);
  }

  if (auto m = r.child(root, "mapper", {"pe_mode"})) r.get(*m, "pe_mode", a.mapper_pe_mode);
  if (auto m = r.child(root, "rtl", {"pe", "strict_cycles"})) {
    std::string list;
    if (r.get(*m, "pe", list)) a.rtl_pe = split_rtl_list(list);
    r.get(*m, "strict_cycles", a.rtl_strict_cycles);
  }

  validate_arch_config(a, origin);
  a.overrides = overrides;
  return a;
}

ArchConfig load_arch_config(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_arch_config(detail::read_text_file(path, "architecture"), path, overrides);
}

void validate_arch_config(const ArchConfig& a, const std::string& origin) {
  auto fail = [&](const std::string& msg) { throw InputError(origin + ": " + msg); };
  if (a.mapper_pe_mode != "auto" && a.mapper_pe_mode != "sparse" && a.mapper_pe_mode != "dense")
    fail("mapper.pe_mode must be auto, sparse or dense (got '" + a.mapper_pe_mode + "')");
  if (a.mapper_pe_mode == "sparse" && !a.sparse)
    fail("mapper.pe_mode 'sparse' needs a sparse PE (pe.sparse: true)");
  auto num = [](double v) {  // as the user would write it: 1e-12, not 0.000000
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return std::string(b);
  };
  auto at_least = [&](const char* key, int64_t v, int64_t min, const std::string& why = "") {
    if (v < min)
      fail(std::string(key) + " must be >= " + std::to_string(min) + " (got " + std::to_string(v) +
           ")" + (why.empty() ? "" : ": " + why));
  };

  if (a.name.empty()) fail("name must not be empty");
  at_least("cluster_array.rows", a.cluster_rows, 1);
  at_least("cluster_array.cols", a.cluster_cols, 1);
  at_least("pe_cluster.rows", a.pe_rows, 1);
  at_least("pe_cluster.cols", a.pe_cols, 1);
  // Keeps clusters() * pes_per_cluster() and per-PE arrays well inside int.
  const int64_t pes = int64_t(a.cluster_rows) * a.cluster_cols * a.pe_rows * a.pe_cols;
  if (pes > (int64_t(1) << 24))
    fail("cluster_array x pe_cluster gives " + std::to_string(pes) +
         " PEs, more than the supported 16777216");

  at_least("pe.simd", a.simd, 1);
  at_least("pe.pipeline_stages", a.pipeline_stages, 4);  // stages 1-4 hold a position
  if (a.count_bits < 1 || a.count_bits > 8)
    fail("pe.count_bits must be in [1, 8] (got " + std::to_string(a.count_bits) + ")");
  if (a.iact_bits != 8)
    fail("pe.iact_bits must be 8: only 8-bit iacts are supported for now (got " +
         std::to_string(a.iact_bits) + ")");
  if (a.weight_bits != 8)
    fail("pe.weight_bits must be 8: only 8-bit weights are supported for now (got " +
         std::to_string(a.weight_bits) + ")");
  if (a.psum_bits < 8 || a.psum_bits > 32)
    fail("pe.psum_bits must be in [8, 32] (got " + std::to_string(a.psum_bits) + ")");
  at_least("pe.psum_spad_ports", a.psum_spad_ports, 1);

  const std::pair<const char*, const SpadConfig*> spads[] = {{"iact_addr", &a.iact_addr},
                                                             {"iact_data", &a.iact_data},
                                                             {"weight_addr", &a.weight_addr},
                                                             {"weight_data", &a.weight_data},
                                                             {"psum", &a.psum}};
  for (const auto& [key, spad] : spads) {
    const std::string base = std::string("pe.spads.") + key;
    at_least((base + ".entries").c_str(), spad->entries, 1);
    at_least((base + ".width_bits").c_str(), spad->width_bits, 1);
  }
  const int64_t iact_el = iact_element_bits(a);
  const int64_t weight_el = weight_element_bits(a);
  const std::string pair_note = a.sparse ? " (count + value, sparse mode)" : " (dense mode)";
  at_least("pe.spads.weight_data.width_bits", a.weight_data.width_bits, a.simd * weight_el,
           "a word must hold simd = " + std::to_string(a.simd) + " weights of " +
               std::to_string(weight_el) + " bits" + pair_note);
  at_least("pe.spads.iact_data.width_bits", a.iact_data.width_bits, iact_el,
           "an entry must hold one iact of " + std::to_string(iact_el) + " bits" + pair_note);
  at_least("pe.spads.psum.width_bits", a.psum.width_bits, a.psum_bits,
           "an entry must hold one psum (pe.psum_bits)");

  at_least("glb.iact_banks", a.glb_iact_banks, 1);
  at_least("glb.psum_banks", a.glb_psum_banks, 1);
  // A bank must hold at least one element.
  at_least("glb.iact_bank_bytes", a.glb_iact_bank_bytes, (iact_el + 7) / 8,
           "a bank must hold at least one iact");
  at_least("glb.psum_bank_bytes", a.glb_psum_bank_bytes, (a.psum_bits + 7) / 8,
           "a bank must hold at least one psum");
  at_least("glb.iact_port_bits", a.glb_iact_port_bits, iact_el,
           "a port must carry at least one iact");
  at_least("glb.psum_port_bits", a.glb_psum_port_bits, a.psum_bits,
           "a port must carry at least one psum");
  if (a.glb_psum_banks != a.pe_cols)
    fail("glb.psum_banks (" + std::to_string(a.glb_psum_banks) + ") must equal pe_cluster.cols (" +
         std::to_string(a.pe_cols) + "): one psum bank per PE column");

  at_least("noc.iact_routers", a.iact_routers, 1);
  at_least("noc.weight_routers", a.weight_routers, 1);
  at_least("noc.psum_routers", a.psum_routers, 1);
  if (a.psum_routers != a.pe_cols)
    fail("noc.psum_routers (" + std::to_string(a.psum_routers) + ") must equal pe_cluster.cols (" +
         std::to_string(a.pe_cols) + "): one psum router per PE column");
  if (a.weight_routers != a.pe_rows)
    fail("noc.weight_routers (" + std::to_string(a.weight_routers) +
         ") must equal pe_cluster.rows (" + std::to_string(a.pe_rows) +
         "): one weight router per PE row");
  if (a.iact_routers != a.glb_iact_banks)
    fail("noc.iact_routers (" + std::to_string(a.iact_routers) + ") must equal glb.iact_banks (" +
         std::to_string(a.glb_iact_banks) + "): one iact router per GLB iact bank");
  at_least("noc.iact_link_bits", a.iact_link_bits, iact_el, "a link must carry one iact");
  at_least("noc.weight_link_bits", a.weight_link_bits, weight_el, "a link must carry one weight");
  at_least("noc.psum_link_bits", a.psum_link_bits, a.psum_bits, "a link must carry one psum");
  // Every hand-off between blocks takes at least a cycle in the causal model: a router's
  // register stage is what lets a decision in one cycle reach the next block at the next edge.
  at_least("noc.router_hop_cycles", a.router_hop_cycles, 1,
           "a router needs at least one register stage (docs/architecture.md, \"Time\")");
  at_least("noc.router_buffer_packets", a.router_buffer_packets, 1);
  at_least("glb.buffer_packets", a.glb_buffer_packets, 1);
  // A link word travels in one 64-bit container of the transaction's data.
  for (const auto& [key, v] : {std::pair<const char*, int>{"noc.iact_link_bits", a.iact_link_bits},
                               {"noc.weight_link_bits", a.weight_link_bits},
                               {"noc.psum_link_bits", a.psum_link_bits}})
    if (v > 64) fail(std::string(key) + " must be <= 64 (got " + std::to_string(v) + ")");

  // Negated comparisons also reject NaN.
  // SystemC's time resolution is 1 ps and a cycle needs an edge and a decision phase half a
  // period later: periods from 2 ps (500 GHz) to 1 s (1 Hz).
  if (!(a.clock_hz >= 1 && a.clock_hz <= 5e11))
    fail(
        "clock_hz must be between 1 (1 Hz) and 5e11 (500 GHz: a period of 2 ps, twice SystemC's "
        "1 ps resolution) (got " +
        num(a.clock_hz) + ")");
  // Below 1/1024 byte per cycle a single packet takes millions of cycles: a typo, not a study.
  if (!(a.offchip_bytes_per_cycle == 0 ||
        (a.offchip_bytes_per_cycle >= 1.0 / 1024 && std::isfinite(a.offchip_bytes_per_cycle))))
    fail("offchip.bytes_per_cycle must be 0 (unlimited) or at least 1/1024 = 0.0009765625 (got " +
         num(a.offchip_bytes_per_cycle) + ")");
  at_least("offchip.latency_cycles", a.offchip_latency_cycles, 0);
  at_least("offchip.buffer_packets", a.offchip_buffer_packets, 1);
  at_least("controller.command_bits", a.command_bits, 0, "0 derives it from the PE count");
  at_least("controller.config_bus_bits", a.config_bus_bits, 0,
           "0 loads the command in no time (a study that leaves configuration out)");
  at_least("controller.pass_config_cycles", a.pass_config_cycles, 0);

  // RTL PEs: names of this chip's PEs, and a PE the RTL (built with the published parameters,
  // pe/rtl/eyeriss_pe.sv) can stand in for.
  for (const std::string& sel : a.rtl_pe) {
    if (sel == "all") continue;
    int R, C, I, J;
    if (!parse_rtl_name(sel, R, C, I, J) || R < 0 || R >= a.cluster_rows || C < 0 ||
        C >= a.cluster_cols || (I >= 0 && (I >= a.pe_rows || J < 0 || J >= a.pe_cols)))
      fail("rtl.pe: '" + sel + "' names no PE of this chip (expected all, top.cg_rR_cC, or " +
           "top.cg_rR_cC.pe_cluster.pe_rI_cJ with R < " + std::to_string(a.cluster_rows) +
           ", C < " + std::to_string(a.cluster_cols) + ", I < " + std::to_string(a.pe_rows) +
           ", J < " + std::to_string(a.pe_cols) + ")");
  }
  if (!a.rtl_pe.empty()) {
    const ArchConfig pub;  // the RTL's parameters are the published PE's
    auto same = [&](const char* key, int64_t v, int64_t rtl) {
      if (v != rtl)
        fail(std::string("rtl.pe: the RTL PE is built for ") + key + " = " + std::to_string(rtl) +
             "; this architecture has " + std::to_string(v));
    };
    same("pe.simd", a.simd, pub.simd);
    same("pe.pipeline_stages", a.pipeline_stages, pub.pipeline_stages);
    same("pe.count_bits", a.count_bits, pub.count_bits);
    same("pe.iact_bits", a.iact_bits, pub.iact_bits);
    same("pe.weight_bits", a.weight_bits, pub.weight_bits);
    same("pe.psum_bits", a.psum_bits, pub.psum_bits);
    same("pe.psum_spad_ports", a.psum_spad_ports, pub.psum_spad_ports);
    same("pe.spads.iact_addr.entries", a.iact_addr.entries, pub.iact_addr.entries);
    same("pe.spads.iact_addr.width_bits", a.iact_addr.width_bits, pub.iact_addr.width_bits);
    same("pe.spads.iact_data.entries", a.iact_data.entries, pub.iact_data.entries);
    same("pe.spads.weight_addr.entries", a.weight_addr.entries, pub.weight_addr.entries);
    same("pe.spads.weight_addr.width_bits", a.weight_addr.width_bits, pub.weight_addr.width_bits);
    same("pe.spads.weight_data.entries", a.weight_data.entries, pub.weight_data.entries);
    same("pe.spads.weight_data.width_bits", a.weight_data.width_bits, pub.weight_data.width_bits);
    same("pe.spads.psum.entries", a.psum.entries, pub.psum.entries);
    same("noc.iact_link_bits", a.iact_link_bits, pub.iact_link_bits);
    same("noc.weight_link_bits", a.weight_link_bits, pub.weight_link_bits);
    same("noc.psum_link_bits", a.psum_link_bits, pub.psum_link_bits);
    same("controller.pass_config_cycles", a.pass_config_cycles, pub.pass_config_cycles);
  }
}

}  // namespace eyeriss
