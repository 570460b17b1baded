// Comma-separated lists from the command line and YAML ("conv1, pw4", "top.cg_r0_c0, all").
#pragma once
#include <string>
#include <vector>

namespace eyeriss {

// "a, b ,c" -> {"a", "b", "c"}: items with the spaces and tabs around them trimmed; empty items
// dropped.
inline std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> v;
  for (std::size_t p = 0; p <= list.size();) {
    std::size_t q = list.find(',', p);
    if (q == std::string::npos) q = list.size();
    const std::size_t a = list.find_first_not_of(" \t", p);
    if (a < q) v.push_back(list.substr(a, list.find_last_not_of(" \t", q - 1) - a + 1));
    p = q + 1;
  }
  return v;
}

}  // namespace eyeriss
