#include "testbench/layers_csv.h"

#include <cstdint>
#include <initializer_list>
#include <sstream>

namespace eyeriss {
namespace {

using Json = nlohmann::json;

const Json* at(const Json& j, std::initializer_list<const char*> path) {
  const Json* p = &j;
  for (const char* k : path) {
    if (!p->is_object() || !p->contains(k)) return nullptr;
    p = &(*p)[k];
  }
  return p;
}

// A counter (an integer in stats.json); absent counts as 0.
uint64_t count(const Json& j, std::initializer_list<const char*> path) {
  const Json* p = at(j, path);
  return p && p->is_number_unsigned() ? p->get<uint64_t>() : 0;
}

// A number or string as stats.json holds it: integers exactly, doubles shortest round-trip.
std::string value(const Json* p) {
  if (!p || p->is_null()) return "";
  if (p->is_string()) return csv_field(p->get<std::string>());
  if (p->is_boolean()) return p->get<bool>() ? "true" : "false";
  return p->dump();
}

// Bits as bytes: an integer when whole, else the exact fraction (the bit counters are whole
// packets, so off-chip traffic need not be whole bytes).
std::string bytes_of(uint64_t bits) {
  return bits % 8 ? Json(bits / 8.0).dump() : Json(bits / 8).dump();
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

const std::vector<std::string>& layers_csv_columns() {
  static const std::vector<std::string> c = {"workload",
                                             "arch",
                                             "overrides",
                                             "name",
                                             "type",
                                             "cycles",
                                             "macs",
                                             "nonzero_macs",
                                             "utilization",
                                             "active_pes",
                                             "total_pes",
                                             "busy_min",
                                             "busy_mean",
                                             "busy_max",
                                             "M0",
                                             "C0",
                                             "F0",
                                             "vr",
                                             "pe_mode",
                                             "order",
                                             "iact_pattern",
                                             "weight_pattern",
                                             "eyexam1_shape",
                                             "eyexam2_dataflow",
                                             "eyexam3_pes",
                                             "eyexam4_array",
                                             "eyexam5_storage",
                                             "eyexam6_bandwidth",
                                             "eyexam7_measured",
                                             "offchip_bytes",
                                             "offchip_min_bytes",
                                             "offchip_weight_vs_min",
                                             "glb_iact_bits",
                                             "glb_psum_bits",
                                             "noc_iact_bits",
                                             "noc_weight_bits",
                                             "noc_psum_bits",
                                             "spad_accesses",
                                             "energy_pj",
                                             "bit_exact",
                                             "simulator_version",
                                             "workload_path",
                                             "arch_path",
                                             "command_line"};
  return c;
}

std::string layers_csv(const Json& stats) {
  std::ostringstream o;
  const auto& cols = layers_csv_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) o << (i ? "," : "") << cols[i];
  o << "\n";
  const Json& run = stats.contains("run") ? stats["run"] : Json::object();
  std::string overrides;
  if (const Json* ov = at(run, {"overrides"}))
    for (const auto& s : *ov) overrides += (overrides.empty() ? "" : ";") + s.get<std::string>();
  for (const Json& L : stats["layers"]) {
    const Json& c = L["counters"];
    uint64_t spad = 0;
    for (const char* sp : {"iact_addr", "iact_data", "weight_addr", "weight_data", "psum"})
      spad += count(c, {"spad", sp, "reads"}) + count(c, {"spad", sp, "writes"});
    const uint64_t offchip_bits = count(c, {"offchip", "iact_bits"}) +
                                  count(c, {"offchip", "weight_bits"}) +
                                  count(c, {"offchip", "oact_bits"});
    std::vector<std::string> f = {value(at(run, {"workload", "name"})),
                                  value(at(run, {"arch", "name"})),
                                  csv_field(overrides),
                                  value(at(L, {"name"})),
                                  value(at(L, {"type"})),
                                  value(at(L, {"cycles"})),
                                  value(at(L, {"macs"})),
                                  value(at(L, {"nonzero_macs"})),
                                  value(at(L, {"utilization"})),
                                  value(at(L, {"active_pes"})),
                                  value(at(L, {"total_pes"})),
                                  value(at(L, {"pe_busy_cycles", "min"})),
                                  value(at(L, {"pe_busy_cycles", "mean"})),
                                  value(at(L, {"pe_busy_cycles", "max"})),
                                  value(at(L, {"mapping", "M0"})),
                                  value(at(L, {"mapping", "C0"})),
                                  value(at(L, {"mapping", "F0"})),
                                  value(at(L, {"mapping", "vr"})),
                                  value(at(L, {"mapping", "pe_mode"})),
                                  value(at(L, {"mapping", "order"})),
                                  value(at(L, {"noc", "iact", "pattern"})),
                                  value(at(L, {"noc", "weight", "pattern"}))};
    for (std::size_t k = 0; k < 7; ++k)
      f.push_back(L.contains("eyexam") && k < L["eyexam"].size() ? value(&L["eyexam"][k]) : "");
    f.push_back(bytes_of(offchip_bits));
    f.push_back(bytes_of(count(L, {"offchip_min_bits", "iact"}) +
                         count(L, {"offchip_min_bits", "weight"}) +
                         count(L, {"offchip_min_bits", "oact"})));
    // Weights moved against their least: how often the mapping fetches them again.
    const uint64_t wmin = count(L, {"offchip_min_bits", "weight"});
    f.push_back(wmin ? Json(double(count(c, {"offchip", "weight_bits"})) / double(wmin)).dump()
                     : "");
    f.push_back(std::to_string(count(c, {"glb", "iact", "port_bits"})));
    f.push_back(std::to_string(count(c, {"glb", "psum", "port_bits"})));
    f.push_back(std::to_string(count(c, {"noc", "iact", "local_bits"}) +
                               count(c, {"noc", "iact", "mesh_bits"})));
    f.push_back(std::to_string(count(c, {"noc", "weight", "local_bits"}) +
                               count(c, {"noc", "weight", "mesh_bits"})));
    // Psums travel up the PE columns, between psum routers and GLB, and across the mesh.
    f.push_back(std::to_string(count(c, {"noc", "psum", "column_bits"}) +
                               count(c, {"noc", "psum", "local_bits"}) +
                               count(c, {"noc", "psum", "mesh_bits"})));
    f.push_back(std::to_string(spad));
    f.push_back(value(at(L, {"energy_pj"})));
    f.push_back(value(at(L, {"bit_exact"})));
    f.push_back(value(at(run, {"simulator_version"})));
    f.push_back(value(at(run, {"workload", "path"})));
    f.push_back(value(at(run, {"arch", "path"})));
    f.push_back(value(at(run, {"command_line"})));
    for (std::size_t i = 0; i < f.size(); ++i) o << (i ? "," : "") << f[i];
    o << "\n";
  }
  return o.str();
}

}  // namespace eyeriss
