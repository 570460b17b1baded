// The ID comparators of one bus's receivers, gathered in one table: the receivers (PEs) enter
// the IDs of the packets their configured passes take, and the bus finds the receivers a
// packet is addressed to with one lookup instead of asking each of them. It gives exactly the
// answer every receiver's own comparison would (each still checks what it accepts).
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "noc/noc_packet.h"

namespace eyeriss {

class IdTable {
 public:
  using Targets = std::vector<int>;  // bus target indices, ascending

  // A receiver (bus target `target`) takes packets with this tag in `layer`. Entries of an
  // earlier layer are dropped the first time a later layer's entry arrives.
  void add(int layer, DataType type, const PacketTag& tag, int target) {
    begin_layer(layer);
    if (tag.step < 0) return;
    if (static_cast<std::size_t>(tag.step) >= by_step_.size()) by_step_.resize(tag.step + 1);
    const Key k = key(type, tag);
    for (auto& e : by_step_[tag.step])
      if (e.first == k) {
        insert(e.second, target);
        return;
      }
    by_step_[tag.step].emplace_back(k, Targets{target});
  }
  // Drops an earlier layer's entries: the bus's owner calls it when it is configured for
  // `layer`, so a bus none of whose receivers takes anything in this layer holds no stale IDs.
  void begin_layer(int layer) {
    if (layer == layer_) return;
    for (auto& s : by_step_) s.clear();
    layer_ = layer;
  }
  // The receivers a packet is addressed to (none: an empty list).
  const Targets& lookup(DataType type, const PacketTag& tag) const {
    static const Targets kNone;
    if (tag.step < 0 || static_cast<std::size_t>(tag.step) >= by_step_.size()) return kNone;
    const Key k = key(type, tag);
    for (const auto& e : by_step_[tag.step])
      if (e.first == k) return e.second;
    return kNone;
  }

 private:
  // The IDs besides the step (a step has a handful of distinct packets per bus).
  struct Key {
    int v[5];
    bool operator==(const Key& o) const {
      return v[0] == o.v[0] && v[1] == o.v[1] && v[2] == o.v[2] && v[3] == o.v[3] && v[4] == o.v[4];
    }
  };
  static Key key(DataType type, const PacketTag& t) {
    return type == DataType::Iact ? Key{{t.n, t.g, t.ci, t.h, t.f0}}
                                  : Key{{t.g, t.m_base, t.c_base, t.r, -1}};
  }
  static void insert(Targets& t, int target) {
    auto it = std::lower_bound(t.begin(), t.end(), target);
    if (it == t.end() || *it != target) t.insert(it, target);
  }
  std::vector<std::vector<std::pair<Key, Targets>>> by_step_;
  int layer_ = -1;
};

}  // namespace eyeriss
