// The chip's data / enable / ready handshake on every link, as TLM-2.0 approximately-timed
// base-protocol phases (docs/architecture.md, "How a packet travels"):
//   BEGIN_REQ   sender -> receiver, posted at an edge: enable (a packet is offered);
//   BEGIN_RESP  receiver -> sender, in the receiver's decision phase: ready (accepted, the
//               base protocol's implicit END_REQ), annotated to the edge the last word has
//               arrived; the transfer occupies the link from the accepting edge for
//               ceil(bits / width) cycles, and ends no earlier than the packet's last word
//               reaches the sender (cut-through). A receiver may send END_REQ first;
//   sender answers TLM_COMPLETED (END_RESP).
// A sender holds its packet until every receiver it offered it to has accepted: a full SPad
// stalls its router, whose full input buffer stalls the GLB bank or off-chip stream behind it.
// The base protocol's request exclusion (one BEGIN_REQ outstanding per link) means each input
// has at most one pending request; its time stamp makes that slot a one-entry payload event
// queue, and the receiver's decision method is woken at that edge.
#pragma once
#include <cstring>
#include <deque>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/cycle.h"
#include "models/common/fifo.h"
#include "noc/clock.h"
#include "noc/id_table.h"
#include "noc/noc_packet.h"

namespace eyeriss {

// Runs a block's decision method in the decision phase of every cycle it was woken for.
// All blocks' decision methods share one calendar (DecisionCalendar): a bucket per cycle, and
// one SystemC method that runs each cycle's blocks in its decision phase. (A SystemC timed
// notification per wake-up costs a heap allocation and a heap insertion; the calendar costs
// neither. Decisions of one cycle only affect later edges, so their order within the cycle
// does not matter.)
class DecisionPhase {
 public:
  template <class Owner>
  void init(Owner* owner, void (Owner::*fn)(Cycle), const char*) {
    owner_ = owner;
    fn_ = [](void* o, Cycle c, void* f) {
      auto m = *static_cast<void (Owner::**)(Cycle)>(f);
      (static_cast<Owner*>(o)->*m)(c);
    };
    static_assert(sizeof(fn) <= sizeof(mfn_), "member pointer too large");
    std::memcpy(mfn_, &fn, sizeof(fn));
    elaborate_calendar();
  }
  // Decide in cycle c's decision phase (from a decision phase, c is at least the next cycle).
  void wake(Cycle c);
  void run(Cycle c) {
    if (c == last_run_) return;  // woken twice for one cycle
    last_run_ = c;
    fn_(owner_, c, mfn_);
  }

 private:
  void* owner_ = nullptr;
  void (*fn_)(void*, Cycle, void*) = nullptr;
  alignas(void*) unsigned char mfn_[2 * sizeof(void*)];
  Cycle last_run_ = kNever;
  Cycle last_woken_ = kNever;        // skips repeated wakes for the same cycle
  static void elaborate_calendar();  // the shared calendar exists before simulation starts
  friend class DecisionCalendar;
};

class LinkOut;

// A block that sends on LinkOuts hears here when a packet it queued has been accepted by
// every receiver (the transfer is [start, end); `dropped`: no receiver was addressed).
class LinkOwner {
 public:
  virtual ~LinkOwner() = default;
  virtual void on_sent(LinkOut& link, uint64_t cookie, Cycle start, Cycle end, bool dropped) = 0;
  // The owner's initiator sockets' nb_transport_bw (simple and multi-socket forms): hands
  // END_REQ / BEGIN_RESP to the LinkOut that sent the hop.
  tlm::tlm_sync_enum link_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& d);
  tlm::tlm_sync_enum link_bw_id(int, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                sc_core::sc_time& d) {
    return link_bw(gp, ph, d);
  }
};

struct LinkStats {
  uint64_t transfers = 0;   // packets sent
  uint64_t bits = 0;        // bits of those packets
  uint64_t deliveries = 0;  // receivers that took them (a multicast counts each)
  uint64_t dropped = 0;     // packets no receiver was addressed by
  uint64_t refused = 0;     // offers a receiver answered "not addressed to me" (a bus's ID
                            // table names exactly the receivers, so this stays 0)
  uint64_t busy = 0;        // cycles the link was held
  uint64_t wait = 0;        // cycles packets waited for ready after being offered
};

// The sender's end of one link (or of a bus to several receivers, which all see the packet
// and take it if it is addressed to them: the all-to-all link into a PE cluster).
class LinkOut {
 public:
  LinkOut() = default;
  LinkOut(const LinkOut&) = delete;
  LinkOut& operator=(const LinkOut&) = delete;
  ~LinkOut();
  void init(std::string name, int width_bits, LinkOwner* owner, DataType type);
  void add_target(tlm::tlm_fw_transport_if<>* fw) { targets_.push_back(fw); }
  // A bus: offer packets only to the targets the receivers' ID table names.
  void set_ids(const IdTable* ids) { ids_ = ids; }
  // Marks a link from DRAM (its bits are the trace's off-chip counter; outputs are counted
  // where they are written, as 8-bit oacts).
  void set_offchip() { offchip_ = true; }
  // Links of one data type on the chip (the trace normalizes link load by it).
  static int count(DataType type);
  const std::string& name() const { return name_; }
  Cycle cycles_for(uint64_t bits) const { return bits ? (bits + width_ - 1) / width_ : 1; }

  // Queues a packet to be offered at edge `at` or later, once the link is free; its transfer
  // cannot end before edge `tail`. `cookie` comes back in on_sent.
  void send(const PacketRef& data, const PacketTag& tag, Cycle at, Cycle tail, uint64_t cookie);
  bool idle() const { return queue_.empty(); }
  // The sender's output buffer slots the link's packets hold at edge t: every packet queued or
  // offered, and the last one taken until its transfer ends (a link carries one transfer at a
  // time, so the next cannot be taken before that end).
  int held(Cycle t) const { return static_cast<int>(queue_.size()) + (free_at_ > t ? 1 : 0); }
  // True when nothing is queued and the last transfer has ended by now.
  bool drained() const { return idle() && free_at_ <= ClockDomain::now(); }
  Cycle free_at() const { return free_at_; }
  const LinkStats& stats() const { return stats_; }

  // The sender's nb_transport_bw: hands END_REQ / BEGIN_RESP to the LinkOut that sent the hop.
  static tlm::tlm_sync_enum backward(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& d);
  // Every link offering a packet nobody has accepted yet: "who, to whom, what, since when".
  static std::vector<std::string> stalled();

 private:
  struct Item {
    PacketRef data;
    PacketTag tag;
    Cycle at, tail;
    uint64_t cookie;
  };
  void post();
  void offer_head();
  void accepted(NocPacket& p);
  void finish(Cycle start, Cycle end, bool dropped);
  void trace(const Item& it, Cycle start, Cycle end, bool dropped) const;

  std::string name_;
  int width_ = 24;
  LinkOwner* owner_ = nullptr;
  DataType type_ = DataType::Iact;
  std::vector<tlm::tlm_fw_transport_if<>*> targets_;
  const IdTable* ids_ = nullptr;
  Fifo<Item> queue_;
  bool offered_ = false;  // the head is offered and not yet accepted by all
  Cycle offered_at_ = 0;
  int outstanding_ = 0;
  std::vector<int> took_;  // receivers (target indices) that took the offered packet
  bool offchip_ = false;
  Cycle start_ = 0, end_ = 0;
  Cycle free_at_ = 0;
  LinkStats stats_;
};

inline tlm::tlm_sync_enum LinkOwner::link_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                             sc_core::sc_time& d) {
  return LinkOut::backward(gp, ph, d);
}

// What a receiver got when it accepted a packet.
struct Received {
  PacketRef data;
  PacketTag tag;
  Cycle start = 0, end = 0;  // the transfer on the link
};

// The receiver's end of one link: holds the one pending request.
class LinkIn {
 public:
  // From the receiver's nb_transport_fw on BEGIN_REQ: records the request at its edge and
  // wakes the receiver's decision there.
  tlm::tlm_sync_enum request(tlm::tlm_generic_payload& gp, const sc_core::sc_time& delay,
                             tlm::tlm_bw_transport_if<>* bw, DecisionPhase& dp);
  // The same for any phase (END_RESP and others complete at once).
  tlm::tlm_sync_enum forward(tlm::tlm_generic_payload& gp, const tlm::tlm_phase& ph,
                             const sc_core::sc_time& delay, tlm::tlm_bw_transport_if<>* bw,
                             DecisionPhase& dp) {
    return ph == tlm::BEGIN_REQ ? request(gp, delay, bw, dp) : tlm::TLM_COMPLETED;
  }
  bool offered(Cycle t) const { return gp_ && at_ <= t; }
  bool pending() const { return gp_ != nullptr; }
  const NocPacket& packet() const { return *ext_; }
  // Accepts at edge t (ready): BEGIN_RESP annotated to the transfer's end. A receiver
  // narrower than the link (a GLB port) stretches the transfer to `min_cycles`.
  Received accept(Cycle t, Cycle min_cycles = 0);

 private:
  tlm::tlm_generic_payload* gp_ = nullptr;
  NocPacket* ext_ = nullptr;
  tlm::tlm_bw_transport_if<>* bw_ = nullptr;
  Cycle at_ = 0;
};

// True when every entry of a buffer has left by now (entries carry the edge they leave at).
template <typename Buffer, typename FreeAt>
bool drained(const Buffer& b, FreeAt free_at) {
  const Cycle now = ClockDomain::now();
  for (const auto& e : b)
    if (free_at(e) > now) return false;
  return true;
}

// Reply of a receiver that is not addressed by a packet (ID mismatch on a bus).
inline tlm::tlm_sync_enum not_addressed(tlm::tlm_generic_payload& gp) {
  packet_of(gp).ignored = true;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  return tlm::TLM_COMPLETED;
}

}  // namespace eyeriss
