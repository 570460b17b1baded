// Timing of single blocks driven through their sockets (block_harness.h), every figure derived
// by hand in the comment beside it from the rules in docs/architecture.md ("Time") and
// docs/pe-cycle-model.md:
//  - a transfer accepted at edge s on a link of W bits per cycle runs [s, s + ceil(B / W)) and
//    never ends before its tail (the cycle its last word can be there);
//  - a router forwards `hop_cycles` (1) after a packet's first word arrived and its outgoing
//    transfer ends no earlier than the incoming one's end + 1 (cut-through);
//  - a block decides in the middle of a cycle on what was there at that cycle's edge.
#include <gtest/gtest.h>

#include <systemc>

#include "models/common/arch_config.h"
#include "models/glb/iact_bank.h"
#include "models/glb/psum_bank.h"
#include "noc/mesh_router.h"
#include "pe/pe.h"
#include "testbench/tests/sc/block_benches.h"
#include "testbench/tests/sc/block_harness.h"

namespace eyeriss {
namespace {

using test::Configurator;
using test::in_child;
using test::packet_of_bits;
using test::PsumBankBench;
using test::Receiver;
using test::RouterBench;
using test::Sender;

std::vector<std::pair<Cycle, Cycle>> spans(const std::vector<Sender::Sent>& v) {
  std::vector<std::pair<Cycle, Cycle>> r;
  for (const auto& s : v) r.emplace_back(s.start, s.end);
  return r;
}
std::vector<std::pair<Cycle, Cycle>> spans(const std::vector<Receiver::Got>& v) {
  std::vector<std::pair<Cycle, Cycle>> r;
  for (const auto& s : v) r.emplace_back(s.start, s.end);
  return r;
}
using Spans = std::vector<std::pair<Cycle, Cycle>>;

// A link alone: a receiver that is ready only far in the future (beyond the decision calendar's
// ring of 4096 cycles) still takes the packet exactly then.
TEST(LinkTiming, FarFutureReadinessIsKept) {
  in_child([] {
    Sender tx("tx", 24);
    Receiver rx("rx");
    tx.out.bind(rx.in);
    rx.ready_at = {9000, 20000};
    tx.send_at(5, packet_of_bits(DataType::Iact, 24));
    tx.send_at(5, packet_of_bits(DataType::Iact, 48));
    sc_core::sc_start();
    // Offered at 5, taken at 9000 for 1 cycle; the second, offered at 9001, taken at 20000 for 2.
    EXPECT_EQ(spans(rx.got), (Spans{{9000, 9001}, {20000, 20002}}));
    EXPECT_EQ(spans(tx.sent), (Spans{{9000, 9001}, {20000, 20002}}));
  });
}

// A receiver that says "ready" with an explicit END_REQ and then sends BEGIN_RESP annotated to
// the transfer's end (as an RTL adapter may), instead of LinkIn's single BEGIN_RESP.
class TwoPhaseReceiver : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TwoPhaseReceiver> in;
  explicit TwoPhaseReceiver(sc_core::sc_module_name n) : sc_module(n), in("in") {
    in.register_nb_transport_fw(this, &TwoPhaseReceiver::fw);
    dp_.init(this, &TwoPhaseReceiver::decide, "decide");
  }

 private:
  tlm::tlm_sync_enum fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time&) {
    if (ph != tlm::BEGIN_REQ) return tlm::TLM_COMPLETED;
    gp_ = &gp;
    dp_.wake(packet_of(gp).at);
    return tlm::TLM_ACCEPTED;
  }
  void decide(Cycle t) {
    if (!gp_ || packet_of(*gp_).at > t) return;
    tlm::tlm_generic_payload* gp = gp_;
    gp_ = nullptr;  // END_REQ lets the sender offer its next packet at once
    NocPacket& p = packet_of(*gp);
    p.start = t;
    p.end = std::max(t + p.xfer, p.tail);
    const Cycle end = p.end;
    tlm::tlm_phase ph = tlm::END_REQ;
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    in->nb_transport_bw(*gp, ph, d);
    ph = tlm::BEGIN_RESP;
    d = ClockDomain::until_edge(end);
    in->nb_transport_bw(*gp, ph, d);
  }
  tlm::tlm_generic_payload* gp_ = nullptr;
  DecisionPhase dp_;
};

// The same transfers as with LinkIn's single BEGIN_RESP: 24 bits over 24 at 5, [5,6); 48 bits
// offered at 6, [6,8). The sender counts each delivery once (END_REQ, not again on BEGIN_RESP).
TEST(LinkTiming, ExplicitEndReqThenBeginRespCountsOnce) {
  in_child([] {
    Sender tx("tx", 24);
    TwoPhaseReceiver rx("rx");
    tx.out.bind(rx.in);
    tx.send_at(5, packet_of_bits(DataType::Iact, 24));
    tx.send_at(5, packet_of_bits(DataType::Iact, 48));
    sc_core::sc_start();
    EXPECT_EQ(spans(tx.sent), (Spans{{5, 6}, {6, 8}}));
    EXPECT_EQ(tx.stats().transfers, 2u);
    EXPECT_EQ(tx.stats().deliveries, 2u);
  });
}

TEST(RouterTiming, PacketOfBBitsOverAWBitLink) {
  for (const auto& [W, B, x] :
       {std::tuple<int, int, Cycle>{24, 100, 5}, {40, 100, 3}, {24, 24, 1}, {24, 25, 2}}) {
    SCOPED_TRACE("W=" + std::to_string(W) + " B=" + std::to_string(B));
    in_child([W = W, B = B, x = x] {
      RouterBench b(W, bit(Port::E));
      b.glb.send_at(10, packet_of_bits(DataType::Iact, B, W));
      sc_core::sc_start();
      // The router takes it at 10 for x = ceil(B/W) cycles; the east link carries it from the
      // next cycle (one register stage), [11, 11 + x); its tail (10 + x + 1) is no later.
      EXPECT_EQ(spans(b.glb.sent), (Spans{{10, 10 + x}}));
      EXPECT_EQ(spans(b.east.got), (Spans{{11, 11 + x}}));
      EXPECT_TRUE(b.bus.got.empty());
    });
  }
}

TEST(RouterTiming, BackToBackPacketsKeepTheLinksBusy) {
  in_child([] {
    RouterBench b(24, bit(Port::E));
    for (int i = 0; i < 3; ++i) b.glb.send_at(10, packet_of_bits(DataType::Iact, 100));
    sc_core::sc_start();
    // 100 bits on 24-bit links: 5 cycles each. The GLB port sends them back to back
    // [10,15) [15,20) [20,25) (the 2-packet input buffer always has room: a packet leaves it
    // when the east link has taken it, 1 cycle after it arrived), and the east link follows
    // one cycle behind.
    EXPECT_EQ(spans(b.glb.sent), (Spans{{10, 15}, {15, 20}, {20, 25}}));
    EXPECT_EQ(spans(b.east.got), (Spans{{11, 16}, {16, 21}, {21, 26}}));
  });
}

TEST(RouterTiming, AStalledMulticastOutputBackPressuresTheSender) {
  in_child([] {
    // The local input drives the east link and the PE bus; the bus takes nothing before 40.
    RouterBench b(24, bit(Port::E) | bit(Port::Local));
    for (int i = 0; i < 3; ++i) {
      PacketTag t;
      t.seg = i;
      b.router.pe_ids().add(0, DataType::Iact, t, 0);  // the bus's receiver takes them all
      b.glb.send_at(10, packet_of_bits(DataType::Iact, 100), t);
    }
    b.bus.ready_at = {40, 40, 40};
    sc_core::sc_start();
    // p0: in [10,15); east [11,16); bus waits until 40: [40,45), so p0 holds its buffer slot
    //     until 45.
    // p1: in [15,20) (one slot still free); east [16,21); bus after p0: [45,50).
    // p2: offered at 20 but both slots are held (p0 until 45, p1 until 50): taken at 45,
    //     [45,50); east [46,51); bus after p1: [50,55). The stalled bus reached the sender.
    EXPECT_EQ(spans(b.glb.sent), (Spans{{10, 15}, {15, 20}, {45, 50}}));
    EXPECT_EQ(spans(b.east.got), (Spans{{11, 16}, {16, 21}, {46, 51}}));
    EXPECT_EQ(spans(b.bus.got), (Spans{{40, 45}, {45, 50}, {50, 55}}));
  });
}

TEST(RouterTiming, ABusPacketNobodyIsAddressedByIsDropped) {
  in_child([] {
    RouterBench b(24, bit(Port::Local));
    b.glb.send_at(10, packet_of_bits(DataType::Iact, 48));  // no ID table entry: no PE takes it
    b.glb.send_at(10, packet_of_bits(DataType::Iact, 48));
    sc_core::sc_start();
    // Each crosses the bus anyway (2 cycles) and goes nowhere: [11,13) and, after the second
    // arrived [12,14), [13,15).
    EXPECT_TRUE(b.bus.got.empty());
    EXPECT_EQ(b.router.link(Port::Local).dropped, 2u);
    EXPECT_EQ(b.router.link(Port::Local).busy, 4u);
    EXPECT_EQ(spans(b.glb.sent), (Spans{{10, 12}, {12, 14}}));
  });
}

TEST(GlbTiming, PsumBankPortTwoRequestersAtTheSameInstant) {
  in_child([] {
    PsumBankBench b;
    b.write(2, 0);
    b.write(4, 1);
    sc_core::sc_start();
    // Row 0 written [2,4). At 4 the read of row 0 and the write of row 1 both want the port:
    // the write goes first [4,6), the read follows [6,8) and leaves a cycle later, [7,9). Row
    // 1 is read [8,10) and leaves [9,11).
    EXPECT_EQ(spans(b.writer.sent), (Spans{{2, 4}, {4, 6}}));
    EXPECT_EQ(spans(b.reader.got), (Spans{{7, 9}, {9, 11}}));
    EXPECT_EQ(b.reader.got[0].tag.f, 0);
    EXPECT_EQ(b.reader.got[1].tag.f, 1);
  });
}

TEST(GlbTiming, PsumBankPortTwoRequestersAtDifferentInstants) {
  in_child([] {
    PsumBankBench b;
    b.write(2, 0);
    b.write(5, 1);
    sc_core::sc_start();
    // Row 0 written [2,4) and read at once [4,6), leaving [5,7). Row 1's write, offered at 5,
    // waits for the port: [6,8); then it is read [8,10) and leaves [9,11).
    EXPECT_EQ(spans(b.writer.sent), (Spans{{2, 4}, {6, 8}}));
    EXPECT_EQ(spans(b.reader.got), (Spans{{5, 7}, {9, 11}}));
  });
}

// One PE with a pass of mc = 2 output channels, cc = 1 channel, S = 2, U = 1 and `positions`
// positions: weights 2 x 2 all 1 (two CSC columns of 2 entries: 1 word each; 2 x 24 + 2 x 7 =
// 62 bits, 3 cycles on the 24-bit weight link), iact segments of one nonzero value (12 + 4 =
// 16 bits, 1 cycle). Psums leave on the 40-bit psum link (2 x 20 bits: 1 cycle).
struct PeBench {
  Sender weights, iacts, below;
  Pe pe;
  Receiver above;
  Configurator cfg;
  std::vector<PePass> prog;
  PeBench(int positions)
      : weights("weights", 24, DataType::Weight),
        iacts("iacts", 24),
        below("below", 40, DataType::Psum),
        pe("pe", PeParams::from(ArchConfig{}), 0, 0),
        above("above"),
        cfg("cfg") {
    weights.out.bind(pe.weight_in);
    iacts.out.bind(pe.iact_in);
    below.out.bind(pe.psum_in);
    pe.psum_out.bind(above.in);
    PePass p;
    p.cfg.active = true;
    p.cfg.mc = 2;
    p.cfg.cc = 1;
    p.cfg.S = 2;
    p.cfg.U = 1;
    p.cfg.positions = positions;
    p.rows = positions;
    p.row.mc = 2;
    prog.push_back(p);
    cfg.add(pe.cfg_in, &prog);
  }
  void send_weights(Cycle at) {
    PacketRef d = PacketRef::make();
    d->type = DataType::Weight;
    d->format = PacketData::Format::Csc;
    d->words.reset(24);
    const CscMatrix w = csc_encode(std::vector<int16_t>{1, 1, 1, 1}, 2, 2);
    d->entries = w.entries();
    d->cols = 2;
    d->words_in_spad = pack_weight_csc(w, PeParams::from(ArchConfig{}).format, d->words);
    weights.send_at(at, d);
  }
  void send_iact(Cycle at, int seg, int16_t value) {
    PacketRef d = PacketRef::make();
    d->type = DataType::Iact;
    d->format = PacketData::Format::Csc;
    d->words.reset(24);
    const CscMatrix c = csc_encode(std::vector<int16_t>{value}, 1, 1);
    d->entries = c.entries();
    pack_iact_csc(c, PeParams::from(ArchConfig{}).format, d->words);
    PacketTag t;
    t.seg = seg;
    iacts.send_at(at, d, t);
  }
  std::vector<std::vector<int32_t>> rows() const {
    std::vector<std::vector<int32_t>> v;
    for (const auto& g : above.got) {
      std::vector<int32_t> p;
      unpack_psums(g.data->words, g.data->entries, 20, p);
      v.push_back(p);
    }
    return v;
  }
};

TEST(PeTiming, PositionsStartWhenTheirWindowAndWeightsAreIn) {
  in_child([] {
    PeBench b(2);
    b.send_weights(0);
    b.send_iact(0, 0, 3);
    b.send_iact(0, 1, 5);
    b.send_iact(0, 2, 7);
    sc_core::sc_start();
    // Weights [0,3). Segments back to back [0,1) [1,2) [2,3) (3 one-entry segments fit).
    // Position 0 (window = segments 0, 1) starts at 3, when the weights are in: frontend 2,
    // words 2, each iact's word issued in the cycle it is walked -> 2 cycles, done 5; stages
    // 5-7 after the last issue: ready 5 + 3 = 8, sent [8,9). Position 1 starts at 5 (previous
    // done; two rows fit the psum SPad), done 7, ready 10: [10,11).
    // Psums: 1*3 + 1*5 = 8 and 5 + 7 = 12 in both output channels.
    EXPECT_EQ(spans(b.above.got), (Spans{{8, 9}, {10, 11}}));
    EXPECT_EQ(b.rows(), (std::vector<std::vector<int32_t>>{{8, 8}, {12, 12}}));
    EXPECT_EQ(b.pe.core().stats().first_start, 3u);
    EXPECT_EQ(b.pe.core().stats().last_done, 7u);
  });
}

TEST(PeTiming, LateWeightsDelayEveryPosition) {
  in_child([] {
    PeBench b(2);
    b.send_weights(20);
    for (int k = 0; k < 3; ++k) b.send_iact(0, k, 1);
    sc_core::sc_start();
    // Weights [20,23): position 0 [23,25) ready 28, position 1 [25,27) ready 30.
    EXPECT_EQ(spans(b.above.got), (Spans{{28, 29}, {30, 31}}));
  });
}

TEST(PeTiming, PsumBackPressureHoldsThePipelineWithoutLosingData) {
  in_child([] {
    PeBench b(4);
    b.send_weights(0);
    for (int k = 0; k < 5; ++k) b.send_iact(0, k, static_cast<int16_t>(k + 1));
    b.above.ready_at = {50};  // the PE above takes nothing before 50
    sc_core::sc_start();
    // Positions 0 [3,5) and 1 [5,7) fill the two psum buffers (ready 8 and 10). Row 0 leaves
    // [50,51); position 2 can start only then: [51,53), ready 56; row 1 leaves [51,52) (ready
    // since 10), and position 3 starts when it is gone: [53,55) (after position 2), ready 58.
    // Rows 2 and 3 leave [56,57) and [58,59). Nothing lost: psums 1+2, 2+3, 3+4, 4+5.
    EXPECT_EQ(spans(b.above.got), (Spans{{50, 51}, {51, 52}, {56, 57}, {58, 59}}));
    EXPECT_EQ(b.rows(), (std::vector<std::vector<int32_t>>{{3, 3}, {5, 5}, {7, 7}, {9, 9}}));
  });
}

TEST(PeTiming, AFullIactSpadHoldsTheBus) {
  in_child([] {
    // 16-entry iact data SPad; segments of one entry fit many at a time, so make the window
    // large: segments here carry 1 entry, but the third segment must wait for position 0 only
    // if the SPad is full. Use the address SPad instead: it holds 9 segments, so with 12
    // positions (13 segments) segment 9 waits for position 0 to be done.
    PeBench b(12);
    b.send_weights(30);  // no position before 33
    for (int k = 0; k < 13; ++k) b.send_iact(0, k, 1);
    sc_core::sc_start();
    // Segments 0..8 are written [0,1) .. [8,9). Segment 9 needs segment 0's address entry:
    // position 0 runs [33,35), so segment 9 is written [35,36); the link held it from 9.
    ASSERT_GE(b.iacts.sent.size(), 10u);
    EXPECT_EQ(b.iacts.sent[8].start, 8u);
    EXPECT_EQ(b.iacts.sent[9].start, 35u);
    EXPECT_EQ(b.above.got.size(), 12u);
  });
}

// The whole iact path: off-chip (a Sender) -> GLB iact bank (pass-through) -> iact router ->
// PE bus -> PE. The PE's pass is PeBench's with 14 positions (15 one-entry segments); its
// weights come at 30, so its address SPad (9 segments) fills and back-pressure walks up the
// chain to off-chip.
TEST(PathTiming, AFullSpadStallsTheRouterTheGlbBankAndOffchip) {
  in_child([] {
    Sender offchip("offchip", 24);
    IactBank bank("bank", IactBankParams::from(ArchConfig{}));
    MeshRouter router("router", MeshPosition{0, 0, 1, 1}, RouterParams::iact(ArchConfig{}));
    Pe pe("pe", PeParams::from(ArchConfig{}), 0, 0);
    Sender weights("weights", 24, DataType::Weight), below("below", 40, DataType::Psum);
    Receiver above("above");
    Configurator cfg("cfg");
    offchip.out.bind(bank.from_offchip);
    bank.to_router.bind(router.in_local);
    router.to_pe.bind(pe.iact_in);
    weights.out.bind(pe.weight_in);
    below.out.bind(pe.psum_in);
    pe.psum_out.bind(above.in);
    pe.attach_bus(DataType::Iact, &router.pe_ids(), 0);
    RouterConfig rc;
    rc.drive[static_cast<int>(Port::Local)] = bit(Port::Local);
    cfg.add(router.cfg_in, &rc);
    std::vector<PortStep> steps(1);
    StreamSend s;
    s.cc = 1;
    s.fc = 14;
    steps[0].streams.push_back(s);
    const IactBankProgram bp{&steps, 2};
    cfg.add(bank.cfg_in, &bp);
    std::vector<PePass> prog(1);
    prog[0].cfg.active = true;
    prog[0].cfg.mc = 2, prog[0].cfg.cc = 1, prog[0].cfg.S = 2, prog[0].cfg.U = 1;
    prog[0].cfg.positions = 14;
    prog[0].rows = 14;
    prog[0].row.mc = 2;
    cfg.add(pe.cfg_in, &prog);
    {
      PacketRef d = PacketRef::make();
      d->type = DataType::Weight;
      d->words.reset(24);
      const CscMatrix w = csc_encode(std::vector<int16_t>{1, 1, 1, 1}, 2, 2);
      d->entries = w.entries();
      d->cols = 2;
      d->words_in_spad = pack_weight_csc(w, PeParams::from(ArchConfig{}).format, d->words);
      weights.send_at(30, d);
    }
    for (int k = 0; k < 15; ++k) {
      PacketRef d = PacketRef::make();
      d->words.reset(24);
      const CscMatrix c = csc_encode(std::vector<int16_t>{1}, 1, 1);
      d->entries = 1;
      pack_iact_csc(c, PeParams::from(ArchConfig{}).format, d->words);
      PacketTag t;
      t.seg = k;
      offchip.send_at(0, d, t);
    }
    sc_core::sc_start();
    // Segments are 16 bits: 1 cycle per link. Segment k goes off-chip -> bank [k,k+1), bank ->
    // router [k+1,k+2), bus -> PE [k+2,k+3) for k = 0..8: the address SPad then holds 9.
    // Segment 9 needs segment 0's place, free when position 0 is done: weights [30,33),
    // position 0 [33,35), so the PE takes segment 9 only at 35. Meanwhile:
    //  - the router holds segment 9 (offered on the bus from 11) and takes segment 10 [11,12):
    //    its 2-packet buffer is full;
    //  - the bank holds segment 11 (offered to the router from 12) and takes segment 12
    //    [12,13): its 2-packet out buffer is full, so off-chip's segment 13, offered at 13,
    //    waits.
    // Draining: the PE takes segment 9 [35,36) and, once position 1 is done at 37, segment 10
    // [37,38); the router takes segment 11 at 36 (segment 9 gone), so the bank's slot frees at
    // 37 and off-chip's segment 13 goes [37,38); the router takes segment 12 at 38 (segment 10
    // gone), the bank's next slot frees at 39: segment 14 goes [39,40).
    ASSERT_EQ(offchip.sent.size(), 15u);
    for (int k = 0; k <= 12; ++k) EXPECT_EQ(offchip.sent[k].start, Cycle(k)) << "segment " << k;
    EXPECT_EQ(offchip.sent[13].start, 37u);
    EXPECT_EQ(offchip.sent[14].start, 39u);
    EXPECT_EQ(above.got.size(), 14u);  // every position came out
  });
}

}  // namespace
}  // namespace eyeriss
