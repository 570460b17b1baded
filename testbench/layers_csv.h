// layers.csv: one row per simulated layer, derived from stats.json (docs/outputs.md lists every
// column). Integers are written exactly and floating values in their shortest form that reads
// back to the same double, so the CSV and stats.json always agree.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace eyeriss {

// The header, in column order.
const std::vector<std::string>& layers_csv_columns();

// The whole file: header and one row per entry of stats["layers"].
std::string layers_csv(const nlohmann::json& stats);

// One CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);

}  // namespace eyeriss
