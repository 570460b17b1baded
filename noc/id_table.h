// The ID comparators of one bus's receivers, gathered in one table: the receivers (PEs) enter
// the IDs of the packets their configured passes take, and the bus finds the receivers a
// packet is addressed to with one lookup instead of asking each of them. It gives exactly the
// answer every receiver's own comparison would (each still checks what it accepts).
#pragma once
#include <cstdint>
#include <unordered_map>

#include "noc/noc_packet.h"

namespace eyeriss {

class IdTable {
 public:
  // A receiver (bus target `target`, < 64) takes packets with this tag in `layer`. Entries of
  // an earlier layer are dropped the first time a later layer's entry arrives.
  void add(int layer, DataType type, const PacketTag& tag, int target) {
    if (layer != layer_) {
      map_.clear();
      layer_ = layer;
    }
    map_[key(type, tag)] |= uint64_t(1) << target;
  }
  uint64_t lookup(DataType type, const PacketTag& tag) const {
    auto it = map_.find(key(type, tag));
    return it == map_.end() ? 0 : it->second;
  }

 private:
  struct Key {
    int v[6];
    bool operator==(const Key& o) const {
      for (int i = 0; i < 6; ++i)
        if (v[i] != o.v[i]) return false;
      return true;
    }
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      uint64_t h = 1469598103934665603ull;
      for (int x : k.v) h = (h ^ uint32_t(x)) * 1099511628211ull;
      return h;
    }
  };
  static Key key(DataType type, const PacketTag& t) {
    return type == DataType::Iact ? Key{{t.step, t.n, t.g, t.ci, t.h, t.f0}}
                                  : Key{{t.step, t.g, t.m_base, t.c_base, t.r, -1}};
  }
  std::unordered_map<Key, uint64_t, Hash> map_;
  int layer_ = -1;
};

}  // namespace eyeriss
