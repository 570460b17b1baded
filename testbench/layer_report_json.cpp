#include "testbench/layer_report_json.h"

namespace eyeriss {

NLOHMANN_JSON_SERIALIZE_ENUM(Sharing, {{Sharing::Auto, "auto"},
                                       {Sharing::Multicast, "multicast"},
                                       {Sharing::Unicast, "unicast"},
                                       {Sharing::Grouped, "grouped"},
                                       {Sharing::Interleaved, "interleaved"},
                                       {Sharing::Broadcast, "broadcast"}})

NLOHMANN_JSON_SERIALIZE_ENUM(PeMode, {{PeMode::Auto, "auto"},
                                      {PeMode::Sparse, "sparse"},
                                      {PeMode::Dense, "dense"}})

NLOHMANN_JSON_SERIALIZE_ENUM(TaskOrder, {{TaskOrder::Auto, "auto"},
                                         {TaskOrder::IactReuse, "iact_reuse"},
                                         {TaskOrder::WeightReuse, "weight_reuse"}})

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Mapping, M0, C0, F0, vr, iact_sharing, weight_sharing, pe_mode,
                                   order)

// Every field of LayerReport (simulator.h): a field added there must be added here, or the
// round-trip test fails.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LayerReport, name, type, mapping, map, pinned, passes, steps,
                                   candidates, est_cycles, planned_offchip_read_bits, loop_nest,
                                   cycles, macs, nonzero_macs, golden_nonzero_macs, macs_performed,
                                   mac_slots, active_pes, total_pes, utilization, busy_min,
                                   busy_max, busy_mean, counters, eyexam, eyexam_why, pe_busy,
                                   link_iact, link_weight, link_psum, iact_streams_stored,
                                   iact_streams_reused, iact_streams_passed, offchip_min_iact_bits,
                                   offchip_min_weight_bits, offchip_min_oact_bits, iact_mode,
                                   weight_mode, iact_pattern, weight_pattern, energy_pj, bit_exact,
                                   mismatch, rtl_pes, rtl_positions, rtl_rows,
                                   rtl_cycle_divergences, rtl_first_cycle_divergence)

nlohmann::json layer_report_to_json(const LayerReport& r) { return r; }

LayerReport layer_report_from_json(const nlohmann::json& j) { return j.get<LayerReport>(); }

}  // namespace eyeriss
