#include "noc/link.h"

#include <algorithm>
#include <map>
#include <set>

#include "models/common/trace.h"
#include "noc/progress.h"

namespace eyeriss {

namespace {

std::set<LinkOut*>& registry() {
  static std::set<LinkOut*> r;
  return r;
}

int& links_of(DataType t) {
  static int n[3] = {0, 0, 0};
  return n[static_cast<int>(t)];
}

}  // namespace

// The shared calendar of decision phases: buckets for the next kRing cycles, a map beyond.
class DecisionCalendar : public sc_core::sc_module {
 public:
  static DecisionCalendar& get() {
    static DecisionCalendar* c = new DecisionCalendar("decision_calendar");
    return *c;
  }
  void add(Cycle c, DecisionPhase* dp) {
    if (c < base_) c = base_;
    if (c < base_ + kRing) {
      bucket(c).push_back(dp);
      ++in_ring_;
    } else {
      far_[c].push_back(dp);
    }
    if (c < scheduled_) {
      scheduled_ = c;
      ev_.cancel();
      ev_.notify(ClockDomain::until_decision(c));
    }
  }

 private:
  static constexpr Cycle kRing = 4096;
  static constexpr std::size_t kAhead = 4;  // decisions to prefetch ahead
  static constexpr int kLines = 4;          // cache lines from each DecisionPhase on
  SC_HAS_PROCESS(DecisionCalendar);
  explicit DecisionCalendar(sc_core::sc_module_name n) : sc_module(n), ring_(kRing) {
    SC_METHOD(tick);
    sensitive << ev_;
    dont_initialize();
  }
  // Cycle c's bucket (c in the ring's window), with storage from a bucket already run.
  std::vector<DecisionPhase*>& bucket(Cycle c) {
    auto& b = ring_[c % kRing];
    if (b.capacity() == 0 && !spare_.empty()) {
      b.swap(spare_.back());
      spare_.pop_back();
    }
    return b;
  }
  // Brings the far entries due before b + kRing into the ring.
  void migrate(Cycle b) {
    while (!far_.empty() && far_.begin()->first < b + kRing) {
      auto& v = bucket(far_.begin()->first);
      v.insert(v.end(), far_.begin()->second.begin(), far_.begin()->second.end());
      in_ring_ += far_.begin()->second.size();
      far_.erase(far_.begin());
    }
  }
  void tick() {
    const Cycle now = ClockDomain::now();
    scheduled_ = kNever;
    base_ = now;
    migrate(now);
    auto& due = ring_[now % kRing];
    // Signs of life every kEvery decision cycles, and at every jump of kEvery cycles or more (so
    // the watchdog sees a long silence before the decisions that end it run).
    Progress& prog = Progress::get();
    if (prog.hook && (++ticks_ % Progress::kEvery == 0 || now - last_hook_ >= Progress::kEvery)) {
      last_hook_ = now;
      prog.hook(now);
    }
    // Decisions only wake later cycles, so the bucket does not grow while it runs; index it
    // anyway so that would stay safe.
    ClockDomain::enter_decision(now);
    // Each decision touches its block's state, which on a large array is far from the cache:
    // prefetch the lines after the DecisionPhase (blocks keep their hot fields there) a few
    // decisions ahead, so those misses overlap the decisions running meanwhile.
    const std::size_t n = due.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {
        const char* b = reinterpret_cast<const char*>(due[i + kAhead]);
        for (int l = 0; l < kLines; ++l) __builtin_prefetch(b + 64 * l);
      }
      due[i]->run(now);
    }
    ClockDomain::leave_decision();
    in_ring_ -= due.size();
    due.clear();
    spare_.push_back(std::move(due));  // leaves the bucket without storage
    base_ = now + 1;
    migrate(base_);
    if (in_ring_ == 0 && far_.empty()) return;
    Cycle c = base_;
    if (in_ring_ == 0)
      c = far_.begin()->first;
    else
      while (ring_[c % kRing].empty()) ++c;
    scheduled_ = c;
    ev_.notify(ClockDomain::until_decision(c));
  }

  std::vector<std::vector<DecisionPhase*>> ring_;
  // Storage of buckets that have run, handed to the next bucket that fills. Without it every
  // one of the kRing buckets kept the capacity of its busiest cycle: 15 MB on the sparse
  // MobileNet, touched once per lap of the ring (page faults, cache misses); with it the
  // storage is that of the buckets in use at once.
  std::vector<std::vector<DecisionPhase*>> spare_;
  std::map<Cycle, std::vector<DecisionPhase*>> far_;
  std::size_t in_ring_ = 0;  // entries in the ring's buckets
  Cycle base_ = 0, scheduled_ = kNever;
  uint64_t ticks_ = 0;
  Cycle last_hook_ = 0;
  sc_core::sc_event ev_;
};

void DecisionPhase::elaborate_calendar() {
  ClockDomain::ensure_period();
  DecisionCalendar::get();
}

void DecisionPhase::wake(Cycle c) {
  const Cycle earliest = ClockDomain::in_edge_phase() ? ClockDomain::now() : ClockDomain::now() + 1;
  if (c < earliest) c = earliest;
  if (c == last_woken_ || c == last_run_) return;
  last_woken_ = c;
  DecisionCalendar::get().add(c, this);
}

LinkOut::~LinkOut() {
  if (registry().erase(this)) --links_of(type_);
}

int LinkOut::count(DataType type) { return links_of(type); }

void LinkOut::init(std::string name, int width_bits, LinkOwner* owner, DataType type) {
  name_ = std::move(name);
  width_ = width_bits;
  owner_ = owner;
  type_ = type;
  if (registry().insert(this).second) ++links_of(type);
}

void LinkOut::send(const PacketRef& data, const PacketTag& tag, Cycle at, Cycle tail,
                   uint64_t cookie) {
  queue_.push_back({data, tag, at, tail, cookie});
  if (!offered_ && queue_.size() == 1) post();
}

void LinkOut::post() {
  // A packet no receiver is addressed by finishes at once; offer the next one then.
  while (!queue_.empty() && !offered_) offer_head();
}

void LinkOut::offer_head() {
  Item& it = queue_.front();
  const Cycle t = std::max({it.at, free_at_, ClockDomain::next_edge()});
  const Cycle xfer = cycles_for(it.data->bits());
  offered_ = true;
  offered_at_ = t;
  outstanding_ = 0;
  took_.clear();
  start_ = kNever;
  end_ = 0;
  const sc_core::sc_time delay = ClockDomain::until_edge(t);
  // One payload per receiver that takes the packet; a receiver that is not addressed answers
  // at once, and the same payload is offered to the next one. A bus asks its receivers' ID
  // table first and offers the packet only to those it is addressed to.
  TransactionPool& pool = TransactionPool::get();
  tlm::tlm_generic_payload* gp = nullptr;
  auto offer = [&](std::size_t i) {
    if (!gp) gp = pool.acquire(it.data, it.tag);
    NocPacket& p = packet_of(*gp);
    p.at = t;
    p.tail = it.tail;
    p.xfer = xfer;
    p.sender = this;
    p.target = static_cast<int>(i);
    p.ignored = false;
    p.acked = false;
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_core::sc_time d = delay;
    ++outstanding_;
    const tlm::tlm_sync_enum s = targets_[i]->nb_transport_fw(*gp, ph, d);
    if (s == tlm::TLM_COMPLETED) {  // not addressed to this receiver
      if (!p.ignored)
        SC_REPORT_FATAL("eyeriss/noc",
                        (name_ + ": a receiver completed a request it did not accept").c_str());
      --outstanding_;
      ++stats_.refused;
    } else {
      gp = nullptr;
    }
  };
  if (ids_) {
    for (const int i : ids_->lookup(type_, it.tag))
      if (static_cast<std::size_t>(i) < targets_.size()) offer(i);
  } else {
    for (std::size_t i = 0; i < targets_.size(); ++i) offer(i);
  }
  if (gp) gp->release();
  if (outstanding_ == 0) {
    // Nobody is addressed: the packet still crosses the link (a bus carries it once).
    ++stats_.dropped;
    finish(t, t + std::max(xfer, it.tail > t ? it.tail - t : Cycle(0)), true);
  }
}

void LinkOut::accepted(NocPacket& p) {
  p.acked = true;
  took_.push_back(p.target);
  start_ = std::min(start_, p.start);
  end_ = std::max(end_, p.end);
  ++stats_.deliveries;
  if (--outstanding_ == 0) finish(start_, end_, false);
}

void LinkOut::finish(Cycle start, Cycle end, bool dropped) {
  Item it = std::move(queue_.front());
  queue_.pop_front();
  offered_ = false;
  free_at_ = end;
  ++stats_.transfers;
  Progress& prog = Progress::get();
  ++prog.transfers;
  prog.last_transfer_end = std::max(prog.last_transfer_end, end);
  stats_.bits += it.data->bits();
  stats_.busy += end - start;
  stats_.wait += start - offered_at_;
  if (Trace::get().on()) trace(it, start, end, dropped);
  if (owner_) owner_->on_sent(*this, it.cookie, start, end, dropped);
  if (!dropped) post();  // a dropped packet is finished inside post(), which goes on itself
}

void LinkOut::trace(const Item& it, Cycle start, Cycle end, bool dropped) const {
  Trace& tr = Trace::get();
  std::string who;
  if (dropped) {
    who = "none (no receiver addressed)";
  } else if (targets_.size() == 1) {
    who = "the one receiver";
  } else {
    std::vector<int> took = took_;
    std::sort(took.begin(), took.end());
    for (const int i : took) who += (who.empty() ? "" : ",") + std::to_string(i);
    who = "receivers " + who + " of " + std::to_string(targets_.size());
  }
  const uint64_t bits = it.data->bits();
  tr.add_transfer(name_, to_string(type_), start, end, bits, it.tag.str(type_), who);
  const int n = links_of(type_);
  if (n > 0 && end > start)
    tr.rate(std::string(to_string(type_)) + " link load (fraction of capacity)", start, end,
            double(end - start) / n);
  if (offchip_) tr.rate("off-chip bytes per cycle", start, end, bits / 8.0);
}

tlm::tlm_sync_enum LinkOut::backward(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time&) {
  NocPacket& p = packet_of(gp);
  auto* link = static_cast<LinkOut*>(p.sender);
  if (ph == tlm::END_REQ) {  // an explicit ready; its BEGIN_RESP follows
    link->accepted(p);
    return tlm::TLM_ACCEPTED;
  }
  if (ph == tlm::BEGIN_RESP) {  // taken (END_REQ implied unless it came) and complete
    if (!p.acked) link->accepted(p);
    gp.release();
    return tlm::TLM_COMPLETED;
  }
  SC_REPORT_FATAL("eyeriss/noc", "unexpected phase on a link's backward path");
  return tlm::TLM_COMPLETED;
}

std::vector<std::string> LinkOut::stalled() {
  std::vector<LinkOut*> links;
  for (LinkOut* l : registry())
    if (l->offered_) links.push_back(l);
  std::sort(links.begin(), links.end(), [](const LinkOut* a, const LinkOut* b) {
    return a->offered_at_ != b->offered_at_ ? a->offered_at_ < b->offered_at_ : a->name_ < b->name_;
  });
  std::vector<std::string> out;
  for (LinkOut* l : links) {
    const Item& it = l->queue_.front();
    out.push_back(l->name_ + " offers " + it.tag.str(l->type_) + " since cycle " +
                  std::to_string(l->offered_at_) + " (" + std::to_string(l->outstanding_) +
                  " receiver(s) not ready)");
  }
  return out;
}

tlm::tlm_sync_enum LinkIn::request(tlm::tlm_generic_payload& gp, const sc_core::sc_time& delay,
                                   tlm::tlm_bw_transport_if<>* bw, DecisionPhase& dp) {
  if (gp_)
    SC_REPORT_FATAL("eyeriss/noc", "a second request on a link before the first was accepted");
  gp_ = &gp;
  ext_ = &packet_of(gp);
  bw_ = bw;
  at_ = ext_->at;  // the edge `delay` reaches, as the sender put it
  (void)delay;
  dp.wake(at_);
  return tlm::TLM_ACCEPTED;
}

Received LinkIn::accept(Cycle t, Cycle min_cycles) {
  Received r;
  r.data = ext_->data;
  r.tag = ext_->tag;
  r.start = t;
  r.end = std::max({t + ext_->xfer, t + min_cycles, ext_->tail});
  ext_->start = r.start;
  ext_->end = r.end;
  tlm::tlm_generic_payload* gp = gp_;
  tlm::tlm_bw_transport_if<>* bw = bw_;
  gp_ = nullptr;
  ext_ = nullptr;
  gp->set_response_status(tlm::TLM_OK_RESPONSE);
  // BEGIN_RESP without a separate END_REQ: the base protocol's implicit END_REQ (ready) now,
  // the response annotated to the transfer's end.
  tlm::tlm_phase ph = tlm::BEGIN_RESP;
  sc_core::sc_time d = ClockDomain::until_edge(r.end);
  bw->nb_transport_bw(*gp, ph, d);
  return r;
}

}  // namespace eyeriss
