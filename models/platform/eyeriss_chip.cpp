#include "models/platform/eyeriss_chip.h"

#include <cstring>
#include <new>

#include "models/common/error.h"
#include "models/mapper/mapper.h"
#include "models/platform/transport.h"
#include "noc/clock.h"

namespace eyeriss {

const ArchConfig& EyerissChip::clocked(const ArchConfig& a) {
  ClockDomain::set_period(sc_core::sc_time(1.0 / a.clock_hz, sc_core::SC_SEC));
  return a;
}

EyerissChip::EyerissChip(sc_core::sc_module_name name, const ArchConfig& arch)
    : Top(name, clocked(arch)), regs("regs"), mem("mem"), irq("irq"), arch_(arch) {
  regs.register_b_transport(this, &EyerissChip::reg_access);
  SC_METHOD(drive_irq);  // the one process that drives irq (a signal has one driver)
  sensitive << irq_ev_;
  dont_initialize();
  controller.next_job = [this] { return next_job(); };
  controller.job_done = [this](LayerJob& j) { job_done(j); };
}

void EyerissChip::reg_access(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  const uint64_t a = gp.get_address();
  if (gp.get_data_length() != 8 || a % 8 != 0 || a > kRegLayers) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);  // 64-bit aligned registers only
    return;
  }
  uint64_t v = 0;
  if (gp.is_write()) {
    std::memcpy(&v, gp.get_data_ptr(), 8);
    if (a == kRegDescriptor) {
      descriptor_ = v;
    } else if (a == kRegStart) {
      if (v & 1) {
        // One layer at a time, and the last one acknowledged first: a START while irq is
        // still high would give no new rising edge for the CPU to wait on.
        if (status_ == kBusy || irq_level_) {
          gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
          return;
        }
        status_ = kBusy;
        error_.clear();
        start_ = true;
        start_ev_.notify(sc_core::SC_ZERO_TIME);
      }
    } else if (a == kRegStatus) {
      set_irq(false);  // acknowledged
      if (status_ != kBusy) status_ = kIdle;
    } else {
      gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);  // read-only register
      return;
    }
  } else {
    v = a == kRegId           ? kIdValue
        : a == kRegDescriptor ? descriptor_
        : a == kRegStatus     ? status_
        : a == kRegCycles     ? cycles_
        : a == kRegLayers     ? layers_
                              : 0;
    std::memcpy(gp.get_data_ptr(), &v, 8);
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void EyerissChip::mem_access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint64_t bytes) {
  if (bytes == 0) return;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  // bytes <= LayerDescriptor::kMaxTensorBytes, which fits the payload's length.
  const std::string error = transport(mem, cmd, addr, data, static_cast<unsigned>(bytes), delay);
  if (!error.empty()) {
    char where[64];
    std::snprintf(where, sizeof where, "0x%llx", static_cast<unsigned long long>(addr));
    throw InputError(std::string("memory ") + (cmd == tlm::TLM_READ_COMMAND ? "read" : "write") +
                     " of " + std::to_string(bytes) + " bytes at " + where + " failed (" + error +
                     ")");
  }
  if (delay != sc_core::SC_ZERO_TIME) wait(delay);  // the platform memory's own latency
}

void EyerissChip::set_irq(bool level) {
  irq_level_ = level;
  irq_ev_.notify(sc_core::SC_ZERO_TIME);
}

void EyerissChip::drive_irq() { irq.write(irq_level_); }

void EyerissChip::fail(const std::string& why) {
  error_ = why;
  status_ = kError;
  set_irq(true);
}

LayerJob* EyerissChip::next_job() {
  for (;;) {
    while (!start_) wait(start_ev_);
    start_ = false;
    try {
      uint8_t b[LayerDescriptor::kBytes];
      mem_access(tlm::TLM_READ_COMMAND, descriptor_, b, sizeof b);
      desc_ = LayerDescriptor::decode(b, descriptor_);
      if (load(desc_)) return &job_;
    } catch (const InputError& e) {  // a bad descriptor, a layer that does not fit, a bus error
      fail(e.what());
    } catch (const std::bad_alloc&) {
      fail("the layer's tensors do not fit in the simulator's memory");
    }
  }
}

bool EyerissChip::load(const LayerDescriptor& d) {
  const Layer& l = d.layer;
  std::vector<uint8_t> bytes(d.iact_bytes());
  mem_access(tlm::TLM_READ_COMMAND, d.iact_addr, bytes.data(), bytes.size());
  // The mapped view: FC as a 1 x 1 convolution over C*H*W channels (the same memory order).
  const Layer ml = mapped_view(l);
  iacts_.is_signed = d.iacts_signed;
  iacts_.t = Tensor<int16_t>({ml.N, ml.C, ml.H, ml.W});
  for (std::size_t i = 0; i < bytes.size(); ++i)
    iacts_.t.values()[i] = d.iacts_signed ? int16_t(int8_t(bytes[i])) : int16_t(bytes[i]);
  bytes.assign(d.weight_bytes(), 0);
  mem_access(tlm::TLM_READ_COMMAND, d.weight_addr, bytes.data(), bytes.size());
  weights_ = Int8Tensor({ml.M, ml.Cg(), ml.R, ml.S});
  for (std::size_t i = 0; i < bytes.size(); ++i) weights_.values()[i] = int8_t(bytes[i]);
  const LayerProgram* prog = nullptr;
  if (source_) {
    prog = source_(d);
    const Layer& p = prog ? prog->layer : ml;
    if (!prog || p.N != ml.N || p.C != ml.C || p.M != ml.M || p.G != ml.G || p.H != ml.H ||
        p.W != ml.W || p.R != ml.R || p.S != ml.S || p.stride != ml.stride || p.pad != ml.pad)
      throw InputError("the program source gave no program for this descriptor's layer");
  } else {
    prog_ = map_layer(ml, arch_, weights_, iacts_);
    prog = &prog_;
  }
  data_ = LayerData{};
  data_.layer = prog->layer;
  data_.iacts = &iacts_;
  data_.weights = &weights_;
  data_.psums = Int32Tensor({ml.N, ml.M, ml.E(), ml.F()});
  data_.oacts = Uint8Tensor({ml.N, ml.M, ml.E(), ml.F()});
  data_.written.assign(data_.psums.size(), 0);
  data_.seg_cols = prog->seg_cols;
  job_ = LayerJob{};
  job_.prog = prog;
  job_.data = &data_;
  offchip.load(&data_);
  return true;
}

void EyerissChip::job_done(LayerJob& job) {
  cycles_ = job.end - job.start;
  if (on_layer_end) on_layer_end(job);
  const Layer& l = data_.layer;
  for (std::size_t i = 0; i < data_.written.size(); ++i)
    if (!data_.written[i]) {
      const int F = l.F(), E = l.E(), M = l.M;
      fail("output [" + std::to_string(i / F / E / M) + "," + std::to_string((i / F / E) % M) +
           "," + std::to_string((i / F) % E) + "," + std::to_string(i % F) +
           "] was never written by the chip");
      return;
    }
  try {
    std::vector<uint8_t> out(data_.psums.size() * 4);
    for (std::size_t i = 0; i < data_.psums.size(); ++i) {
      const uint32_t v = static_cast<uint32_t>(data_.psums.values()[i]);
      for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<uint8_t>(v >> (8 * k));
    }
    mem_access(tlm::TLM_WRITE_COMMAND, desc_.psum_addr, out.data(), out.size());
    out.assign(data_.oacts.values().begin(), data_.oacts.values().end());
    mem_access(tlm::TLM_WRITE_COMMAND, desc_.oact_addr, out.data(), out.size());
  } catch (const InputError& e) {
    fail(e.what());
    return;
  }
  ++layers_;
  status_ = kDone;
  set_irq(true);
}

}  // namespace eyeriss
