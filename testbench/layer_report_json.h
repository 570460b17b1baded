// A LayerReport as JSON, losslessly (every field, doubles exact): how `run --jobs N` workers
// hand their layers' reports back to the parent. Not the stats.json format (that is to_json of
// a RunResult, for people); this one round-trips, and test_layer_report_json pins that every
// field does.
#pragma once
#include <nlohmann/json.hpp>

#include "testbench/simulator.h"

namespace eyeriss {

nlohmann::json layer_report_to_json(const LayerReport& r);
LayerReport layer_report_from_json(const nlohmann::json& j);

}  // namespace eyeriss
