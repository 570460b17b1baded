// Router ports and per-layer modes of the hierarchical-mesh NoC. A router is a set of muxes set
// once per layer (circuit switched); its mode says to which outputs a packet arriving on a
// given input may go. Which of those it actually uses depends on where the packet's
// destination clusters lie (an XY multicast tree from the source cluster).
#pragma once
#include <cstdint>
#include <string>

namespace eyeriss {

enum class Port : uint8_t { Local = 0, N = 1, S = 2, W = 3, E = 4 };
constexpr int kPorts = 5;
using PortSet = uint8_t;  // bit per Port
constexpr PortSet bit(Port p) { return PortSet(1u << static_cast<int>(p)); }

enum class RouterMode : uint8_t {
  Unicast,
  HorizontalMulticast,
  VerticalMulticast,
  Broadcast,
  Invalid,  // settings no mode allows (e.g. a vertical packet turning horizontal)
};

const char* to_string(RouterMode m);
const char* to_string(Port p);
// Parses "unicast", "horizontal_multicast", "vertical_multicast", "broadcast"; throws
// std::invalid_argument listing the accepted names otherwise.
RouterMode parse_router_mode(const std::string& s);

// Outputs a packet arriving on `in` may leave on in `mode`. Packets never turn back, and a
// packet travelling vertically never turns horizontal (XY order: horizontal first).
PortSet allowed_outputs(RouterMode mode, Port in);

}  // namespace eyeriss
