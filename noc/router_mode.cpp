#include "noc/router_mode.h"

#include <stdexcept>

namespace eyeriss {

const char* to_string(RouterMode m) {
  switch (m) {
    case RouterMode::Unicast:
      return "unicast";
    case RouterMode::HorizontalMulticast:
      return "horizontal_multicast";
    case RouterMode::VerticalMulticast:
      return "vertical_multicast";
    case RouterMode::Broadcast:
      return "broadcast";
    case RouterMode::Invalid:
      return "invalid";
  }
  return "?";
}

const char* to_string(Port p) {
  static const char* names[] = {"local", "north", "south", "west", "east"};
  return names[static_cast<int>(p)];
}

RouterMode parse_router_mode(const std::string& s) {
  if (s == "unicast") return RouterMode::Unicast;
  if (s == "horizontal_multicast") return RouterMode::HorizontalMulticast;
  if (s == "vertical_multicast") return RouterMode::VerticalMulticast;
  if (s == "broadcast") return RouterMode::Broadcast;
  throw std::invalid_argument("unknown router mode '" + s +
                              "' (expected unicast, horizontal_multicast, vertical_multicast or "
                              "broadcast)");
}

PortSet allowed_outputs(RouterMode mode, Port in) {
  const PortSet local = bit(Port::Local);
  const PortSet horiz = bit(Port::W) | bit(Port::E);
  const PortSet vert = bit(Port::N) | bit(Port::S);
  PortSet out = local;
  switch (mode) {
    case RouterMode::Unicast:
      return in == Port::Local ? local : PortSet(0);
    case RouterMode::HorizontalMulticast:
      if (in == Port::Local || in == Port::W || in == Port::E)
        out |= horiz;
      else
        return 0;
      break;
    case RouterMode::VerticalMulticast:
      if (in == Port::Local || in == Port::N || in == Port::S)
        out |= vert;
      else
        return 0;
      break;
    case RouterMode::Broadcast:
      if (in == Port::Local || in == Port::W || in == Port::E)
        out |= horiz | vert;
      else
        out |= vert;
      break;
    case RouterMode::Invalid:
      return 0;
  }
  // Never back out of the input port.
  if (in != Port::Local) out &= PortSet(~bit(in));
  return out;
}

}  // namespace eyeriss
