// The energy model: picojoules per action, kept apart from the action counts. The simulator
// counts actions (MACs, SPad accesses, GLB bits, NoC bits, off-chip bits; models/top/top.cpp);
// an EnergyTable prices them. Re-costing a saved stats.json with another table needs no new
// simulation (recost_stats). Pure C++, no SystemC. The model, the counters each component uses
// and the sources of the default 65 nm table: docs/energy.md.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace eyeriss {

// Picojoules per action. Every key of energy_action_keys() is present (the loader requires all
// of them, so a forgotten entry cannot silently cost nothing); values are finite and >= 0.
struct EnergyTable {
  std::string name;
  std::string source;       // the file it was loaded from (or the origin given), for messages
  std::string description;  // optional free text from the file
  std::map<std::string, double> pj_per_action;

  // The price of `key`; a key the table does not hold is a model bug (std::out_of_range).
  double at(const std::string& key) const { return pj_per_action.at(key); }
};

// The keys an energy table must define, in the order docs/energy.md lists them.
const std::vector<std::string>& energy_action_keys();

// The components of an EnergyBreakdown, always all present (0 when nothing was counted).
const std::vector<std::string>& energy_components();

struct EnergyBreakdown {
  double total_pj = 0;
  std::map<std::string, double> by_component;  // every name of energy_components()
};

// Reads an energy table YAML file:
//   name: TEXT                 (required)
//   description: TEXT          (optional)
//   pj_per_action: {KEY: PJ}   (required; exactly the keys of energy_action_keys())
// Unknown, missing or duplicate keys, non-numbers and negative values throw InputError naming the
// file and the key (and the line).
EnergyTable load_energy_table(const std::string& path);
// Same, from YAML text; `origin` names the source in messages and becomes `source`.
EnergyTable parse_energy_table(const std::string& yaml_text, const std::string& origin);

// Prices flat, dotted counters ("pe.macs", "spad.psum.reads", ...) with `t`. Counters the model
// does not use are ignored; counters it uses but `counters` lacks count 0. Inconsistent counters
// (pe.nonzero_macs > pe.macs, pe.macs > pe.mac_slots) throw InputError.
EnergyBreakdown cost(const std::map<std::string, uint64_t>& counters, const EnergyTable& t);

// Flattens a nested counters object ({"pe": {"macs": 5}}) into dotted names ("pe.macs").
// Leaves must be non-negative integers; anything else throws InputError naming `origin` and the
// counter.
std::map<std::string, uint64_t> flatten_counters(const nlohmann::json& counters,
                                                 const std::string& origin);

// A copy of a whole stats.json (as written by `eyeriss-sim run`) with, per layer,
// "energy_pj" and "energy_breakdown_pj" (from the layer's nested "counters"), and at the top
// "energy_table" ({name, source, description, pj_per_action}), "energy_pj" (sum over layers),
// "energy_breakdown_pj" (sum per component) and, when "inferences_per_second" is present (a
// whole-network run) and the energy is > 0, "inferences_per_joule" = 1e12 / energy_pj. Fields a
// previous re-costing added are replaced. A missing or malformed "layers" or "counters" throws
// InputError naming `origin`.
nlohmann::json recost_stats(const nlohmann::json& stats, const EnergyTable& t,
                            const std::string& origin = "stats.json");

// Reads and parses a stats.json file; a missing or malformed file throws InputError naming it.
nlohmann::json load_stats_json(const std::string& path);

}  // namespace eyeriss
