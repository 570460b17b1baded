#include "models/energy/energy_model.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "models/common/error.h"
#include "models/common/yaml_util.h"

namespace eyeriss {
namespace {

using Reader = detail::YamlReader;
using json = nlohmann::json;

// One term of the model: `counter` (a flat dotted name; 0 when absent) times `key` (pJ per
// action, from the table), added to `component`.
struct Term {
  const char* component;
  const char* counter;
  const char* key;
};

// How each component maps to counters (docs/energy.md, "Components"):
//   mac         = pe.nonzero_macs                     x mac
//   mac_gated   = (pe.macs - pe.nonzero_macs)         x mac_gated      (a zero operand: gated)
//   mac_idle    = (pe.mac_slots - pe.macs)            x mac_idle_lane  (SIMD lane with no weight)
//   spad_iact   = spad.iact_addr.{reads,writes}       x spad_iact_addr_{read,write}
//               + spad.iact_data.{reads,writes}       x spad_iact_data_{read,write}
//   spad_weight = spad.weight_addr.{reads,writes}     x spad_weight_addr_{read,write}
//               + spad.weight_data.{reads,writes}     x spad_weight_data_{read,write}
//   spad_psum   = spad.psum.{reads,writes}            x spad_psum_{read,write}
//   glb_iact    = glb.iact.{read,write}_bits          x glb_iact_{read,write}_bit
//                 (glb.iact.passthrough: no SRAM access, its bits are on the NoC; not priced)
//   glb_psum    = glb.psum.{read,write}_bits          x glb_psum_{read,write}_bit
//   noc_iact    = noc.iact.{local,mesh}_bits          x noc_iact_{local,mesh}_bit
//   noc_weight  = noc.weight.{local,mesh}_bits        x noc_weight_{local,mesh}_bit
//   noc_psum    = noc.psum.{local,mesh,column}_bits   x noc_psum_{local,mesh,column}_bit
//   offchip     = offchip.{iact,weight}_bits          x offchip_read_bit
//               + offchip.oact_bits                   x offchip_write_bit
//   clock       = chip.{pe,cluster}_cycles            x clock_{pe,cluster}_cycle
//   static      = chip.{pe,cluster}_cycles            x static_{pe,cluster}_cycle  (leakage)
//   control     = control.config_bits                 x control_config_bit  (command load)
// Transfer and packet counts, pe.busy_cycles and pe.dropped_iacts are not priced (the bits and
// the SPad accesses they cause are).
const std::vector<Term>& linear_terms() {
  static const std::vector<Term> terms = {
      {"mac", "pe.nonzero_macs", "mac"},
      {"spad_iact", "spad.iact_addr.reads", "spad_iact_addr_read"},
      {"spad_iact", "spad.iact_addr.writes", "spad_iact_addr_write"},
      {"spad_iact", "spad.iact_data.reads", "spad_iact_data_read"},
      {"spad_iact", "spad.iact_data.writes", "spad_iact_data_write"},
      {"spad_weight", "spad.weight_addr.reads", "spad_weight_addr_read"},
      {"spad_weight", "spad.weight_addr.writes", "spad_weight_addr_write"},
      {"spad_weight", "spad.weight_data.reads", "spad_weight_data_read"},
      {"spad_weight", "spad.weight_data.writes", "spad_weight_data_write"},
      {"spad_psum", "spad.psum.reads", "spad_psum_read"},
      {"spad_psum", "spad.psum.writes", "spad_psum_write"},
      {"glb_iact", "glb.iact.read_bits", "glb_iact_read_bit"},
      {"glb_iact", "glb.iact.write_bits", "glb_iact_write_bit"},
      {"glb_psum", "glb.psum.read_bits", "glb_psum_read_bit"},
      {"glb_psum", "glb.psum.write_bits", "glb_psum_write_bit"},
      {"noc_iact", "noc.iact.local_bits", "noc_iact_local_bit"},
      {"noc_iact", "noc.iact.mesh_bits", "noc_iact_mesh_bit"},
      {"noc_weight", "noc.weight.local_bits", "noc_weight_local_bit"},
      {"noc_weight", "noc.weight.mesh_bits", "noc_weight_mesh_bit"},
      {"noc_psum", "noc.psum.local_bits", "noc_psum_local_bit"},
      {"noc_psum", "noc.psum.mesh_bits", "noc_psum_mesh_bit"},
      {"noc_psum", "noc.psum.column_bits", "noc_psum_column_bit"},
      {"offchip", "offchip.iact_bits", "offchip_read_bit"},
      {"offchip", "offchip.weight_bits", "offchip_read_bit"},
      {"offchip", "offchip.oact_bits", "offchip_write_bit"},
      {"clock", "chip.pe_cycles", "clock_pe_cycle"},
      {"clock", "chip.cluster_cycles", "clock_cluster_cycle"},
      {"static", "chip.pe_cycles", "static_pe_cycle"},
      {"static", "chip.cluster_cycles", "static_cluster_cycle"},
      {"control", "control.config_bits", "control_config_bit"},
  };
  return terms;
}

uint64_t counter(const std::map<std::string, uint64_t>& c, const std::string& name) {
  auto it = c.find(name);
  return it == c.end() ? 0 : it->second;
}

void flatten_into(const json& j, const std::string& path, const std::string& origin,
                  std::map<std::string, uint64_t>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items())
      flatten_into(v, path.empty() ? k : path + "." + k, origin, out);
    return;
  }
  if (j.is_number_unsigned()) {
    out[path] = j.get<uint64_t>();
    return;
  }
  if (j.is_number_integer() && j.get<int64_t>() >= 0) {
    out[path] = uint64_t(j.get<int64_t>());
    return;
  }
  throw InputError(origin + ": counter '" + path + "' must be a non-negative integer (got " +
                   j.dump() + ")");
}

}  // namespace

const std::vector<std::string>& energy_action_keys() {
  static const std::vector<std::string> keys = {
      "mac",
      "mac_gated",
      "mac_idle_lane",
      "spad_iact_addr_read",
      "spad_iact_addr_write",
      "spad_iact_data_read",
      "spad_iact_data_write",
      "spad_weight_addr_read",
      "spad_weight_addr_write",
      "spad_weight_data_read",
      "spad_weight_data_write",
      "spad_psum_read",
      "spad_psum_write",
      "glb_iact_read_bit",
      "glb_iact_write_bit",
      "glb_psum_read_bit",
      "glb_psum_write_bit",
      "noc_iact_local_bit",
      "noc_iact_mesh_bit",
      "noc_weight_local_bit",
      "noc_weight_mesh_bit",
      "noc_psum_local_bit",
      "noc_psum_mesh_bit",
      "noc_psum_column_bit",
      "offchip_read_bit",
      "offchip_write_bit",
      "clock_pe_cycle",
      "clock_cluster_cycle",
      "static_pe_cycle",
      "static_cluster_cycle",
      "control_config_bit",
  };
  return keys;
}

const std::vector<std::string>& energy_components() {
  static const std::vector<std::string> names = {
      "mac",       "mac_gated", "mac_idle", "spad_iact", "spad_weight",
      "spad_psum", "glb_iact",  "glb_psum", "noc_iact",  "noc_weight",
      "noc_psum",  "clock",     "static",   "control",   "offchip",
  };
  return names;
}

EnergyTable parse_energy_table(const std::string& yaml_text, const std::string& origin) {
  const YAML::Node doc = detail::load_single_document(
      yaml_text, origin, "expected an energy table: name, pj_per_action");
  Reader r(origin);
  const Reader::Map root = r.map(doc, "", {"name", "description", "pj_per_action"});

  EnergyTable t;
  t.source = origin;
  r.require(root, "name");
  r.get(root, "name", t.name);
  if (t.name.empty()) r.fail("key 'name' must not be empty", &r.require(root, "name").key);
  r.get(root, "description", t.description);

  const Reader::Entry& pj = r.require(root, "pj_per_action");
  const Reader::Map prices = r.map(pj.value, "pj_per_action", energy_action_keys(), &pj.key);
  for (const std::string& key : energy_action_keys()) {
    const Reader::Entry& e = r.require(prices, key);
    double v = 0;
    r.get(prices, key, v);
    if (v < 0)
      r.fail("key 'pj_per_action." + key + "' must be >= 0 pJ (got " + e.value.Scalar() + ")",
             &e.key);
    t.pj_per_action[key] = v;
  }
  return t;
}

EnergyTable load_energy_table(const std::string& path) {
  return parse_energy_table(detail::read_text_file(path, "energy table"), path);
}

EnergyBreakdown cost(const std::map<std::string, uint64_t>& counters, const EnergyTable& t) {
  for (const std::string& key : energy_action_keys())
    if (!t.pj_per_action.count(key))
      throw InputError(t.source + ": energy table has no value for '" + key + "'");

  EnergyBreakdown b;
  for (const std::string& c : energy_components()) b.by_component[c] = 0;
  for (const Term& term : linear_terms())
    b.by_component[term.component] += double(counter(counters, term.counter)) * t.at(term.key);

  // MAC lanes: slots >= lanes holding a weight (macs) >= lanes with both operands nonzero.
  const uint64_t slots = counter(counters, "pe.mac_slots");
  const uint64_t macs = counter(counters, "pe.macs");
  const uint64_t nonzero = counter(counters, "pe.nonzero_macs");
  if (nonzero > macs)
    throw InputError("counters: pe.nonzero_macs (" + std::to_string(nonzero) +
                     ") exceeds pe.macs (" + std::to_string(macs) + ")");
  if (macs > slots)
    throw InputError("counters: pe.macs (" + std::to_string(macs) + ") exceeds pe.mac_slots (" +
                     std::to_string(slots) + ")");
  b.by_component["mac_gated"] += double(macs - nonzero) * t.at("mac_gated");
  b.by_component["mac_idle"] += double(slots - macs) * t.at("mac_idle_lane");

  for (const auto& [name, pj] : b.by_component) b.total_pj += pj;
  return b;
}

std::map<std::string, uint64_t> flatten_counters(const json& counters, const std::string& origin) {
  if (!counters.is_object())
    throw InputError(origin + ": \"counters\" must be an object (got " + counters.dump() + ")");
  std::map<std::string, uint64_t> out;
  flatten_into(counters, "", origin, out);
  return out;
}

json recost_stats(const json& stats, const EnergyTable& t, const std::string& origin) {
  if (!stats.is_object()) throw InputError(origin + ": expected a stats object at the top");
  if (!stats.contains("layers") || !stats["layers"].is_array())
    throw InputError(origin + ": no \"layers\" list (not a stats.json from eyeriss-sim run?)");

  json out = stats;
  double total = 0;
  std::map<std::string, double> sum;
  for (const std::string& c : energy_components()) sum[c] = 0;

  size_t index = 0;
  for (json& layer : out["layers"]) {
    std::string where = origin + ": layer " + std::to_string(index);
    if (layer.is_object() && layer.contains("name") && layer["name"].is_string())
      where = origin + ": layer '" + layer["name"].get<std::string>() + "'";
    if (!layer.is_object() || !layer.contains("counters"))
      throw InputError(where + " has no \"counters\"");
    EnergyBreakdown b;
    try {
      b = cost(flatten_counters(layer["counters"], where), t);
    } catch (const InputError& e) {
      const std::string msg = e.what();
      // cost() does not know the layer: name it.
      throw InputError(msg.rfind("counters: ", 0) == 0 ? where + ": " + msg : msg);
    }
    layer["energy_pj"] = b.total_pj;
    layer["energy_breakdown_pj"] = b.by_component;
    total += b.total_pj;
    for (const auto& [c, pj] : b.by_component) sum[c] += pj;
    ++index;
  }

  out["energy_table"] = {{"name", t.name},
                         {"source", t.source},
                         {"description", t.description},
                         {"pj_per_action", t.pj_per_action}};
  // On chip: everything but DRAM, what a measurement of the chip's own power sees.
  const double onchip = total - sum["offchip"];
  out["energy_pj"] = total;
  out["energy_onchip_pj"] = onchip;
  out["energy_breakdown_pj"] = sum;
  out.erase("inferences_per_joule");
  out.erase("inferences_per_joule_onchip");
  if (out.contains("inferences_per_second") && total > 0)
    out["inferences_per_joule"] = 1e12 / total;
  if (out.contains("inferences_per_second") && onchip > 0)
    out["inferences_per_joule_onchip"] = 1e12 / onchip;
  return out;
}

json load_stats_json(const std::string& path) {
  const std::string text = detail::read_text_file(path, "stats");
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path + ": malformed JSON: " + e.what());
  }
}

}  // namespace eyeriss
