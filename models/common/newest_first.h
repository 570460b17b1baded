// Destroying SystemC modules newest first.
//
// SystemC's port and export registries find a port to remove by searching from the newest
// entry. A std::vector of modules is destroyed oldest first, which makes every removal search
// the whole registry: tearing down the 16,384-PE chip took seconds, quadratic in its ports.
// Destroying each vector newest first, in the reverse of construction, makes each removal O(1).
#pragma once
#include <memory>
#include <vector>

namespace eyeriss {

template <class T>
void destroy_newest_first(std::vector<std::unique_ptr<T>>& modules) {
  while (!modules.empty()) modules.pop_back();
}

}  // namespace eyeriss
