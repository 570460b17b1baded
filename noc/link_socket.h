// Lean TLM-2.0 sockets for the model's links and configuration ports: a standard
// tlm_target_socket / tlm_initiator_socket bound to a small adapter that calls one member
// function of its owner.
//
// Why not tlm_utils::simple_target_socket: that socket converts between the blocking and
// non-blocking interfaces, so each one carries a payload event queue (an sc_object with an
// sc_event), two more events, a map of pending transactions searched on every backward call and
// a callback binder. A link speaks the AT protocol only and a configuration port b_transport
// only, so none of it is used; on the 16,384-PE chip it was most of the memory and build time
// of the sockets (docs/performance.md). The sockets bind, and look from outside, exactly like
// any TLM-2.0 socket: an RTL wrapper or a user's own block binds to them unchanged.
//
// A mesh port at the array's edge has no neighbour: such sockets take the policy
// sc_core::SC_ZERO_OR_MORE_BOUND (the router knows its neighbours from its position). They
// replaced tlm_utils' multi-passthrough sockets and their per-binding callback binders and
// generated names: building and tearing down the 16,384-PE chip went from 1.97 to 1.83 s and
// 375 to 350 MB (docs/performance.md).
#pragma once
#include <string>
#include <systemc>
#include <tlm>

namespace eyeriss {

namespace link_socket_detail {
[[noreturn]] inline void unsupported(const char* socket, const char* what) {
  SC_REPORT_FATAL("eyeriss/link", (std::string(socket) + ": " + what +
                                   " is not supported here (a link carries the AT protocol "
                                   "through nb_transport, a configuration port b_transport)")
                                      .c_str());
  std::abort();
}
}  // namespace link_socket_detail

template <class Owner, sc_core::sc_port_policy Policy = sc_core::SC_ONE_OR_MORE_BOUND>
class LinkTargetSocket
    : public tlm::tlm_target_socket<32, tlm::tlm_base_protocol_types, 1, Policy> {
  using Base = tlm::tlm_target_socket<32, tlm::tlm_base_protocol_types, 1, Policy>;

 public:
  using NbFw = tlm::tlm_sync_enum (Owner::*)(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                             sc_core::sc_time&);
  using BTransport = void (Owner::*)(tlm::tlm_generic_payload&, sc_core::sc_time&);

  explicit LinkTargetSocket(const char* name) : Base(name), fw_(this) { Base::bind(fw_); }
  const char* kind() const override { return "eyeriss::LinkTargetSocket"; }
  void register_nb_transport_fw(Owner* o, NbFw f) {
    fw_.owner = o;
    fw_.nb = f;
  }
  void register_b_transport(Owner* o, BTransport f) {
    fw_.owner = o;
    fw_.b = f;
  }

 private:
  struct Fw : tlm::tlm_fw_transport_if<> {
    explicit Fw(LinkTargetSocket* s) : socket(s) {}
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                       sc_core::sc_time& d) override {
      if (!nb) link_socket_detail::unsupported(socket->name(), "nb_transport_fw");
      return (owner->*nb)(gp, ph, d);
    }
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) override {
      if (!b) link_socket_detail::unsupported(socket->name(), "b_transport");
      (owner->*b)(gp, d);
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) override { return false; }
    unsigned int transport_dbg(tlm::tlm_generic_payload&) override { return 0; }
    LinkTargetSocket* socket;
    Owner* owner = nullptr;
    NbFw nb = nullptr;
    BTransport b = nullptr;
  };
  Fw fw_;
};

template <class Owner, sc_core::sc_port_policy Policy = sc_core::SC_ONE_OR_MORE_BOUND>
class LinkInitiatorSocket
    : public tlm::tlm_initiator_socket<32, tlm::tlm_base_protocol_types, 1, Policy> {
  using Base = tlm::tlm_initiator_socket<32, tlm::tlm_base_protocol_types, 1, Policy>;

 public:
  using NbBw = tlm::tlm_sync_enum (Owner::*)(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                             sc_core::sc_time&);

  explicit LinkInitiatorSocket(const char* name) : Base(name), bw_(this) { Base::bind(bw_); }
  const char* kind() const override { return "eyeriss::LinkInitiatorSocket"; }
  void register_nb_transport_bw(Owner* o, NbBw f) {
    bw_.owner = o;
    bw_.nb = f;
  }

 private:
  struct Bw : tlm::tlm_bw_transport_if<> {
    explicit Bw(LinkInitiatorSocket* s) : socket(s) {}
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                       sc_core::sc_time& d) override {
      if (!nb) link_socket_detail::unsupported(socket->name(), "nb_transport_bw");
      return (owner->*nb)(gp, ph, d);
    }
    void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}
    LinkInitiatorSocket* socket;
    Owner* owner = nullptr;
    NbBw nb = nullptr;
  };
  Bw bw_;
};

}  // namespace eyeriss
