// A per-layer program: the mapping (tile sizes per level) and the schedule of passes the
// controller executes, like the chip's per-layer command plus the top-level controller's loop.
//
// RS+ on a PE cluster: each PE runs a 1-D convolution primitive over M0 output channels x C0
// input channels x one filter row. PE rows take reduction items (input-channel chunk ci, filter
// row r), whose psums add up the column; PE columns take row tasks (batch n, group g, output
// channel chunk mi, output row e, output column chunk fi). Clusters take groups of row tasks.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/common/layer.h"
#include "models/mapper/program.h"

namespace eyeriss {

// How clusters share a data type (models/mapper/sharing.h). Auto: the mapper's choice; the others
// pin the kind of grouping: multicast = any grouping with more than one cluster; grouped,
// interleaved, broadcast = that pattern only.
enum class Sharing : uint8_t { Auto, Multicast, Unicast, Grouped, Interleaved, Broadcast };
const char* to_string(Sharing s);
// Parses the names above; returns false for anything else.
bool parse_sharing(const std::string& s, Sharing& out);

// The PE's per-layer mode, a static setting of the layer's command (docs/pe-cycle-model.md,
// "Per-layer PE mode"). Sparse: CSC data, zero iacts skipped. Dense: raw data, address SPads
// gated, every iact read (zeros gated, not skipped). Auto: the mapper's choice.
enum class PeMode : uint8_t { Auto, Sparse, Dense };
const char* to_string(PeMode m);
// Parses the names above; returns false for anything else.
bool parse_pe_mode(const std::string& s, PeMode& out);

// The temporal order of row tasks (level 3/2 of the loop nest), which decides what clusters of
// one step share. IactReuse: output-channel chunks innermost, so a step's clusters work on the
// same iact rows for different output channels (iacts shared, each cluster its own weights).
// WeightReuse: output-row blocks innermost, so a step's clusters hold the same weights for
// different rows (weights shared, each cluster its own iacts). Auto: the mapper's choice.
enum class TaskOrder : uint8_t { Auto, IactReuse, WeightReuse };
const char* to_string(TaskOrder o);
bool parse_task_order(const std::string& s, TaskOrder& out);

struct Mapping {
  int M0 = 1;  // output channels per PE (psum SPad)
  int C0 = 1;  // input channels per PE
  int F0 = 1;  // output columns per row task (psum GLB bank)
  int vr = 1;  // clusters one PE column's psum chain spans (north to south); > 1 only when the
               // whole reduction fits in one pass (psums cannot travel back north)
  Sharing iact_sharing = Sharing::Auto;
  Sharing weight_sharing = Sharing::Auto;
  PeMode pe_mode = PeMode::Auto;      // chosen mappings are always Sparse or Dense
  TaskOrder order = TaskOrder::Auto;  // chosen mappings are IactReuse or WeightReuse
};

struct RowTask {
  int n = 0, g = 0, mi = 0, e = 0, fi = 0;
  int m_base = 0, mc = 0;  // absolute first output channel, count
  int f0 = 0, fc = 0;      // first output column, count
};

struct RedItem {
  int ci = 0, r = 0;
  int c_base = 0, cc = 0;  // first input channel within the group, count
};

struct Pass {
  int step = 0;     // passes of one step run together on different clusters (shared data)
  int cluster = 0;  // the north-most cluster of the pass; it spans Mapping::vr clusters south
  std::vector<int> col_task;  // per PE column: row task index or -1 (idle)
  std::vector<int> row_item;  // per PE row of the span (vr * pe_rows, north cluster first):
                              // reduction item index or -1 (psum bypass)
  bool first = false;         // first reduction pass of these tasks: psums start from zero
  bool last = false;          // last reduction pass: psums are final and go off-chip
};

struct LayerProgram {
  Layer layer;  // the layer as mapped (FC flattened to a 1 x 1 convolution)
  Mapping map;
  int seg_cols = 1, window_segs = 1;
  std::vector<RowTask> tasks;
  std::vector<RedItem> items;
  std::vector<Pass> passes;
  NocProgram noc;                  // what every block executes (plan_program)
  double est_cycles = 0;           // the mapper's analytical estimate
  uint64_t offchip_read_bits = 0;  // bits the program reads from off-chip (program_for)
  int candidates = 0;              // mappings considered
  std::string describe() const;
  // The loop nest per level, for --mapping-report.
  std::string loop_nest(int pe_rows, int pe_cols, int clusters) const;
};

}  // namespace eyeriss
