// Destroying SystemC modules newest first.
//
// SystemC's port and export registries find a port to remove by searching from the newest
// entry. A std::vector of modules is destroyed oldest first, which makes every removal search
// the whole registry: tearing down the 16,384-PE chip took seconds, quadratic in its ports.
// Destroying each vector newest first, in the reverse of construction, makes each removal O(1).
#pragma once
#include <memory>
#include <systemc>
#include <vector>

namespace eyeriss {

template <class T>
void destroy_newest_first(std::vector<std::unique_ptr<T>>& modules) {
  while (!modules.empty()) modules.pop_back();
}

// SystemC's module registry is the other way round: it finds a module to remove by searching
// from the oldest entry, and fills the hole with the newest. Removing modules newest first then
// searches the whole registry every time (a third of the 16,384-PE chip's build-and-teardown
// instructions). Anchor modules made just before a tree of modules, and destroyed just before
// the tree is torn down newest first, make every removal find its module at once: an anchor's
// slot is filled by the newest module, which is the next one removed, whose slot is filled by
// the next newest, and so on. There are several anchors because the newest modules need not be
// the tree's: SystemC adds a kernel module of its own at sc_start, which never leaves; each
// such module takes one anchor's slot. With none left for the tree, teardown is as before.
class RegistryAnchor {
 public:
  RegistryAnchor() {
    for (auto& a : anchors_) a.reset(new Anchor(sc_core::sc_gen_unique_name("registry_anchor")));
  }
  // Call first in the destructor of the tree's root.
  void release_anchors() {
    for (auto& a : anchors_) a.reset();
  }

 private:
  struct Anchor : sc_core::sc_module {
    explicit Anchor(sc_core::sc_module_name n) : sc_module(n) {}
  };
  std::unique_ptr<Anchor> anchors_[4];
};

}  // namespace eyeriss
