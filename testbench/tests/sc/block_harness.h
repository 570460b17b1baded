// Small modules to drive one block through its sockets in a test (MachineWare VCML style): a
// Sender that offers packets on a link at chosen edges, a Receiver that takes them when its
// schedule allows (to hold a link: back-pressure), and a Configurator bound to cfg sockets.
// Every test builds its design in a forked child (one SystemC elaboration per process).
#pragma once
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "noc/block_config.h"
#include "noc/link.h"

namespace eyeriss::test {

// Runs `fn` in a forked child with SystemC errors thrown; the test fails if the child records a
// gtest failure, throws, or dies. The child's own failure messages appear in the output.
inline void in_child(const std::function<void()>& fn) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0) << "fork failed";
  if (pid == 0) {
    sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
    sc_core::sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
    try {
      fn();
    } catch (const sc_core::sc_report& r) {
      ADD_FAILURE() << "unexpected SystemC report: " << r.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
    }
    const bool failed = ::testing::Test::HasFailure();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(failed ? 1 : 0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child reported failures (above) or died; wait status " << status;
}

// A packet of `bits` bits (zero words) on links of `word_bits`.
inline PacketRef packet_of_bits(DataType type, uint64_t bits, int word_bits = 24) {
  PacketRef d = PacketRef::make();
  d->type = type;
  d->format = type == DataType::Psum ? PacketData::Format::Psums : PacketData::Format::Csc;
  d->words.reset(word_bits);
  for (uint64_t b = 0; b < bits; b += 8)
    d->words.put(0, static_cast<int>(std::min<uint64_t>(8, bits - b)));
  return d;
}

class Sender : public sc_core::sc_module, public LinkOwner {
 public:
  tlm_utils::simple_initiator_socket<Sender> out;
  struct Sent {
    Cycle start = 0, end = 0;
  };
  std::vector<Sent> sent;  // in order

  SC_HAS_PROCESS(Sender);
  Sender(sc_core::sc_module_name n, int width_bits, DataType type = DataType::Iact)
      : sc_module(n), out("out") {
    out.register_nb_transport_bw(this, &Sender::link_bw);
    link_.init(std::string(name()) + ".out", width_bits, this, type);
    SC_THREAD(run);
  }
  // Offers `data` at edge `at` (after the previous packet has gone); its transfer cannot end
  // before `tail`.
  void send_at(Cycle at, PacketRef data, PacketTag tag = {}, Cycle tail = 0) {
    plan_.push_back({at, std::move(data), tag, tail});
  }
  const LinkStats& stats() const { return link_.stats(); }

 private:
  struct Plan {
    Cycle at;
    PacketRef data;
    PacketTag tag;
    Cycle tail;
  };
  void end_of_elaboration() override { link_.add_target(out.operator->()); }
  void run() {
    wait(sc_core::SC_ZERO_TIME);  // after the Configurator: blocks are configured first
    for (std::size_t i = 0; i < plan_.size(); ++i)
      link_.send(plan_[i].data, plan_[i].tag, plan_[i].at, plan_[i].tail, i);
  }
  void on_sent(LinkOut&, uint64_t, Cycle start, Cycle end, bool) override {
    sent.push_back({start, end});
  }
  LinkOut link_;
  std::vector<Plan> plan_;
};

class Receiver : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Receiver> in;
  struct Got {
    Cycle start = 0, end = 0;
    PacketTag tag;
    PacketRef data;
  };
  std::vector<Got> got;
  // The k-th packet is taken no earlier than ready_at[k] (0 past the list's end).
  std::vector<Cycle> ready_at;
  bool addressed = true;  // false: answers like a PE whose IDs do not match

  Receiver(sc_core::sc_module_name n) : sc_module(n), in("in") {
    in.register_nb_transport_fw(this, &Receiver::fw);
    dp_.init(this, &Receiver::decide, "decide");
  }

 private:
  tlm::tlm_sync_enum fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& d) {
    if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
    if (!addressed) return not_addressed(gp);
    return link_.request(gp, d, in.operator->(), dp_);
  }
  void decide(Cycle t) {
    if (!link_.offered(t)) return;
    const Cycle ready = got.size() < ready_at.size() ? ready_at[got.size()] : 0;
    if (t < ready) {
      dp_.wake(ready);
      return;
    }
    const Received r = link_.accept(t);
    got.push_back({r.start, r.end, r.tag, r.data});
  }
  LinkIn link_;
  DecisionPhase dp_;
};

// Sends each block its configuration (a BlockConfig with a program pointer) at cycle 0.
class Configurator : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_initiator_socket<Configurator> cfg;
  SC_HAS_PROCESS(Configurator);
  explicit Configurator(sc_core::sc_module_name n) : sc_module(n), cfg("cfg") { SC_THREAD(run); }
  // Binds `socket` and configures it with `program` (kept alive by the caller), starting at
  // `start`.
  template <typename Socket>
  void add(Socket& socket, const void* program, Cycle start = 0, bool signed_iacts = false) {
    cfg.bind(socket);
    items_.push_back({program, start, signed_iacts});
  }

 private:
  struct Item {
    const void* program;
    Cycle start;
    bool signed_iacts;
  };
  void run() {
    for (std::size_t i = 0; i < items_.size(); ++i) {
      BlockConfig c;
      c.program = items_[i].program;
      c.start = items_[i].start;
      c.signed_iacts = items_[i].signed_iacts;
      tlm::tlm_generic_payload gp;
      gp.set_extension(&c);
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      try {
        cfg[static_cast<int>(i)]->b_transport(gp, d);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "configuring target " << i << ": " << e.what();
      }
      gp.clear_extension(&c);  // a stack object: the payload must not delete it
    }
  }
  std::vector<Item> items_;
};

}  // namespace eyeriss::test
