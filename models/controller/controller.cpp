#include "models/controller/controller.h"

#include <algorithm>

#include "models/mapper/mapper.h"
#include "noc/packet_bits.h"
#include "noc/psum_router.h"
#include "noc/timing.h"

namespace eyeriss {

namespace {
bool same_stream(const IactStreamKey& a, const IactStreamKey& b) { return a == b; }
}  // namespace

Controller::Controller(sc_core::sc_module_name name, const ArchConfig& arch, OffChip& offchip)
    : sc_module(name), to_offchip("to_offchip"), to_iact_bank("to_iact_bank"),
      to_psum_bank("to_psum_bank"), cfg("cfg"), arch_(arch), offchip_(offchip) {
  dirs_.resize(arch.clusters() * arch.glb_iact_banks);
  tlm_utils::tlm_quantumkeeper::set_global_quantum(ClockDomain::period() * 10000.0);
  SC_THREAD(run);
}

Cycle Controller::send_to(tlm_utils::multi_passthrough_initiator_socket<Controller>& s, int idx,
                          NocPacket& p, Cycle at) {
  PacketTransaction t(p);
  sc_core::sc_time d = ClockDomain::delay_to(at);
  s[idx]->b_transport(t.gp(), d);
  if (t.gp().is_response_error())
    SC_REPORT_FATAL("eyeriss/controller", "transaction failed");
  return ClockDomain::cycle_of(d);
}

void Controller::run() {
  qk_.reset();
  while (LayerJob* job = next_job ? next_job() : nullptr) {
    run_layer(*job);
    // Temporal decoupling: the layers run back to back; synchronise with the kernel between
    // layers so sc_time_stamp() follows the simulated chip.
    qk_.set(ClockDomain::delay_to(job->end));
    qk_.sync();
    if (job_done) job_done(*job);
  }
}

void Controller::run_layer(LayerJob& job) {
  const LayerProgram& prog = *job.prog;
  const Layer& l = prog.layer;
  const ArchConfig& a = arch_;
  LayerData& data = *job.data;
  data.seg_cols = prog.seg_cols;
  offchip_.set_layer(&data);
  const Cycle t0 = ClockDomain::cycle_of(sc_core::SC_ZERO_TIME);
  job.start = t0;
  Cycle end = t0;
  const int P = a.pes_per_cluster(), cols = a.pe_cols, rows = a.pe_rows;
  const int U = l.stride, wsegs = prog.window_segs;
  std::vector<int16_t> seg_vals;

  // Streams a previous layer left in the banks are stale: evict them.
  for (std::size_t idx = 0; idx < dirs_.size(); ++idx) {
    for (const StoredStream& st : dirs_[idx].fifo) {
      NocPacket ev;
      ev.op = Op::Evict;
      ev.stream = st.key;
      send_to(to_iact_bank, static_cast<int>(idx), ev, t0);
    }
    dirs_[idx].fifo.clear();
    dirs_[idx].used = 0;
  }

  struct Stream {
    IactStreamKey key;
    int cc = 0, fc = 0, bank = 0;
    uint32_t mask = 0;
    bool from_bank = false, store = false;
  };

  for (const Pass& pass : prog.passes) {
    const int cl = pass.cluster;
    // Per-pass configuration of PEs and psum routers (the per-layer command).
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) {
        NocPacket c;
        c.op = Op::Config;
        PePassConfig& pc = c.pe_cfg;
        const int ti = pass.col_task[j], ii = pass.row_item[i];
        pc.active = ti >= 0 && ii >= 0;
        if (pc.active) {
          pc.mc = prog.tasks[ti].mc;
          pc.cc = prog.items[ii].cc;
          pc.S = l.S;
          pc.U = U;
          pc.positions = prog.tasks[ti].fc;
        }
        send_to(cfg, cl * (P + cols) + i * cols + j, c, t0);
      }
    for (int j = 0; j < cols; ++j) {
      NocPacket c;
      c.op = Op::Config;
      c.router_mode = pass.last ? PsumRouter::ToOffchip : PsumRouter::ToGlb;
      send_to(cfg, cl * (P + cols) + P + j, c, t0);
    }

    // Weights: one packet per distinct block in a PE row, multicast along the row.
    for (int i = 0; i < rows; ++i) {
      const int ii = pass.row_item[i];
      if (ii < 0) continue;
      const RedItem& it = prog.items[ii];
      std::map<int, uint32_t> blocks;  // m_base -> PE mask
      for (int j = 0; j < cols; ++j)
        if (pass.col_task[j] >= 0) blocks[prog.tasks[pass.col_task[j]].m_base] |= 1u << (i * cols + j);
      for (auto& [m_base, mask] : blocks) {
        const RowTask* t = nullptr;
        for (int j = 0; j < cols; ++j)
          if (pass.col_task[j] >= 0 && prog.tasks[pass.col_task[j]].m_base == m_base)
            t = &prog.tasks[pass.col_task[j]];
        NocPacket w;
        w.op = Op::SendWeights;
        w.cluster = cl;
        w.port = i;
        w.dest_mask = mask;
        w.g = t->g;
        w.m_base = m_base;
        w.mc = t->mc;
        w.c_base = it.c_base;
        w.cc = it.cc;
        w.r = it.r;
        PacketTransaction tr(w);
        sc_core::sc_time d = ClockDomain::delay_to(t0);
        to_offchip->b_transport(tr.gp(), d);
        end = std::max(end, ClockDomain::cycle_of(d));
      }
    }

    // Iact streams: one per distinct (n, g, channel chunk, input row, column chunk).
    std::vector<Stream> streams;
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) {
        const int ti = pass.col_task[j], ii = pass.row_item[i];
        if (ti < 0 || ii < 0) continue;
        const RowTask& t = prog.tasks[ti];
        const RedItem& it = prog.items[ii];
        IactStreamKey k{t.n, t.g, it.c_base, t.e * U + it.r - l.pad, t.f0};
        auto s = std::find_if(streams.begin(), streams.end(),
                              [&](const Stream& x) { return same_stream(x.key, k); });
        if (s == streams.end()) {
          Stream ns;
          ns.key = k;
          ns.cc = it.cc;
          ns.fc = t.fc;
          const int chunk = it.c_base / std::max(1, prog.map.C0);
          ns.bank = ((chunk + k.h) % a.glb_iact_banks + a.glb_iact_banks) % a.glb_iact_banks;
          streams.push_back(ns);
          s = streams.end() - 1;
        }
        s->mask |= 1u << (i * cols + j);
      }
    // GLB policy: reuse a stored stream; else store it if it fits (evicting the oldest
    // streams not used by this pass); else pass it straight on.
    for (Stream& s : streams) {
      BankDir& dir = dirs_[cl * a.glb_iact_banks + s.bank];
      auto hit = std::find_if(dir.fifo.begin(), dir.fifo.end(), [&](const StoredStream& x) {
        return same_stream(x.key, s.key) && x.cc == s.cc;
      });
      if (hit != dir.fifo.end()) {
        s.from_bank = true;
        ++job.iact_streams_reused;
        continue;
      }
      int64_t bits = 0;
      for (int k = 0; k < s.fc - 1 + wsegs; ++k) {
        OffChip::build_segment(data, s.key, s.cc, k, seg_vals);
        const int n = static_cast<int>(seg_vals.size());
        bits += iact_segment_bits(
            a, a.sparse ? csc_entries(seg_vals.data(), n, 1, a.max_count()) : n);
      }
      auto in_pass = [&](const StoredStream& x) {
        return std::any_of(streams.begin(), streams.end(),
                           [&](const Stream& y) { return same_stream(x.key, y.key); });
      };
      const int64_t cap = a.iact_bank_bits();
      if (bits <= cap) {
        for (auto it = dir.fifo.begin(); it != dir.fifo.end() && dir.used + bits > cap;) {
          if (in_pass(*it)) {
            ++it;
            continue;
          }
          NocPacket ev;
          ev.op = Op::Evict;
          ev.stream = it->key;
          send_to(to_iact_bank, cl * a.glb_iact_banks + s.bank, ev, t0);
          dir.used -= it->bits;
          it = dir.fifo.erase(it);
        }
      }
      if (bits <= cap && dir.used + bits <= cap) {
        s.store = true;
        dir.fifo.push_back({s.key, s.cc, bits});
        dir.used += bits;
        ++job.iact_streams_stored;
      } else {
        ++job.iact_streams_passed;
      }
    }

    // Positions: segments for position f arrive just before its psums travel up the columns.
    int maxf = 0;
    for (int j = 0; j < cols; ++j)
      if (pass.col_task[j] >= 0) maxf = std::max(maxf, prog.tasks[pass.col_task[j]].fc);
    for (int f = 0; f < maxf; ++f) {
      for (const Stream& s : streams) {
        if (f >= s.fc) continue;
        const int k_first = f == 0 ? 0 : f + wsegs - 1, k_last = f + wsegs - 1;
        for (int k = k_first; k <= k_last; ++k) {
          NocPacket q;
          q.op = Op::SendIact;
          q.cluster = cl;
          q.port = s.bank;
          q.stream = s.key;
          q.seg = k;
          q.cc = s.cc;
          q.dest_mask = s.mask;
          q.store = s.store;
          Cycle done;
          if (s.from_bank) {
            done = send_to(to_iact_bank, cl * a.glb_iact_banks + s.bank, q, t0);
          } else {
            PacketTransaction tr(q);
            sc_core::sc_time d = ClockDomain::delay_to(t0);
            to_offchip->b_transport(tr.gp(), d);
            done = ClockDomain::cycle_of(d);
          }
          end = std::max(end, done);
        }
      }
      for (int j = 0; j < cols; ++j) {
        const int ti = pass.col_task[j];
        if (ti < 0 || f >= prog.tasks[ti].fc) continue;
        const RowTask& t = prog.tasks[ti];
        NocPacket q;
        q.op = Op::SendPsum;
        q.type = DataType::Psum;
        q.cluster = cl;
        q.port = j;
        q.task = ti;
        q.f = f;
        q.n = t.n;
        q.e = t.e;
        q.f_out = t.f0 + f;
        q.m_base = t.m_base;
        q.mc = t.mc;
        q.has_psums = !pass.first;
        end = std::max(end, send_to(to_psum_bank, cl * cols + j, q, t0));
      }
    }
  }
  job.end = end;
}

}  // namespace eyeriss
