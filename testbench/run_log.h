// Run messages (layer progress, mappings, summaries) go through SystemC's report handler as
// SC_REPORT_INFO_VERB of type "eyeriss", so a platform that embeds the model sees and filters
// them like its own. Levels: SC_MEDIUM for progress and summaries (eyeriss-sim's default),
// SC_HIGH for details such as each layer's mapping (-v), SC_DEBUG for more (-vv); -q shows none.
#pragma once
#include <string>
#include <systemc>

namespace eyeriss {

inline void run_log(int verbosity, const std::string& msg) {
  SC_REPORT_INFO_VERB("eyeriss", msg.c_str(), verbosity);
}

}  // namespace eyeriss
