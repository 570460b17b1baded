// A tiny virtual platform around the Eyeriss v2 chip (docs/platform.md), built against the
// installed package:  find_package(EyerissV2)  ->  EyerissV2::model.
//   memory  : a byte array behind a TLM target socket (with a fixed access latency)
//   cpu     : a driver thread with two initiator sockets, to the memory and to the chip's
//             registers, and the chip's interrupt line as input
//   chip    : eyeriss::EyerissChip, its `mem` socket bound to the memory
// The CPU writes a sparse convolution layer (descriptor, iacts, weights) into memory, starts
// the chip, sleeps until the interrupt, reads the outputs back and checks them against the
// golden reference. A second layer with a bad descriptor must end in the error status.
// Exit 0: both behaved; 1 otherwise.
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <cstring>
#include <systemc>
#include <vector>

// The package's headers live under include/eyeriss/.
#include <eyeriss/models/common/arch_config.h>
#include <eyeriss/models/platform/eyeriss_chip.h>
#include <eyeriss/models/platform/transport.h>
#include <eyeriss/testbench/golden.h>

namespace {

struct Memory : sc_core::sc_module {
  tlm_utils::multi_passthrough_target_socket<Memory> socket{"socket"};  // CPU and chip
  std::vector<uint8_t> bytes;
  sc_core::sc_time latency{50, sc_core::SC_NS};

  Memory(sc_core::sc_module_name n, std::size_t size) : sc_module(n), bytes(size) {
    socket.register_b_transport(this, &Memory::access);
  }
  void access(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    const uint64_t a = gp.get_address(), len = gp.get_data_length();
    if (a + len > bytes.size() || a + len < a) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (gp.is_read())
      std::memcpy(gp.get_data_ptr(), &bytes[a], len);
    else
      std::memcpy(&bytes[a], gp.get_data_ptr(), len);
    delay += latency;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

struct Cpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Cpu> to_mem{"to_mem"}, to_chip{"to_chip"};
  sc_core::sc_in<bool> irq{"irq"};
  int failures = 0;

  SC_HAS_PROCESS(Cpu);
  explicit Cpu(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }

  void access(tlm_utils::simple_initiator_socket<Cpu>& s, tlm::tlm_command cmd, uint64_t addr,
              void* data, unsigned len) {
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    if (!eyeriss::transport(s, cmd, addr, data, len, d).empty()) {
      std::printf("cpu: bus error at 0x%llx\n", static_cast<unsigned long long>(addr));
      ++failures;
    }
    wait(d);
  }
  void write_reg(uint64_t reg, uint64_t v) { access(to_chip, tlm::TLM_WRITE_COMMAND, reg, &v, 8); }
  // A register write the chip must refuse (an error response).
  bool refused(uint64_t reg, uint64_t v) {
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    return !eyeriss::transport(to_chip, tlm::TLM_WRITE_COMMAND, reg, &v, 8, d).empty();
  }
  uint64_t read_reg(uint64_t reg) {
    uint64_t v = 0;
    access(to_chip, tlm::TLM_READ_COMMAND, reg, &v, 8);
    return v;
  }
  // Starts the layer described at `desc` and sleeps until the interrupt; returns the status.
  uint64_t run_layer(uint64_t desc) {
    using C = eyeriss::EyerissChip;
    write_reg(C::kRegDescriptor, desc);
    write_reg(C::kRegStart, 1);
    while (!irq.read()) wait(irq.posedge_event());
    // Not acknowledged yet: a new START would give no new interrupt edge, so it is refused.
    if (!refused(C::kRegStart, 1)) {
      std::printf("cpu: START before the acknowledge was accepted\n");
      ++failures;
    }
    const uint64_t status = read_reg(C::kRegStatus);
    write_reg(C::kRegStatus, 0);  // acknowledge: clears the interrupt
    while (irq.read()) wait(irq.negedge_event());
    return status;
  }

  void run() {
    using C = eyeriss::EyerissChip;
    if (read_reg(C::kRegId) != C::kIdValue) {
      std::printf("cpu: unexpected chip ID\n");
      ++failures;
    }
    // A sparse 3 x 3 convolution: 8 -> 16 channels on 12 x 12, about half the values zero.
    eyeriss::LayerDescriptor d;
    eyeriss::Layer& l = d.layer;
    l.name = "conv";
    l.C = 8, l.M = 16, l.H = 12, l.W = 12, l.R = 3, l.S = 3, l.pad = 1, l.shift = 7;
    d.iact_addr = 0x1000, d.weight_addr = 0x10000, d.psum_addr = 0x20000, d.oact_addr = 0x40000;
    eyeriss::ActTensor x;
    x.t = eyeriss::Tensor<int16_t>({l.N, l.C, l.H, l.W});
    eyeriss::Int8Tensor w({l.M, l.Cg(), l.R, l.S});
    uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
    std::vector<uint8_t> xb(x.t.size()), wb(w.size());
    for (std::size_t i = 0; i < xb.size(); ++i) {
      xb[i] = next() % 2 ? uint8_t(next() % 256) : 0;
      x.t.values()[i] = xb[i];
    }
    for (std::size_t i = 0; i < wb.size(); ++i) {
      w.values()[i] = next() % 2 ? int8_t(int(next() % 255) - 127) : 0;
      wb[i] = uint8_t(w.values()[i]);
    }
    const auto desc = d.encode();
    access(to_mem, tlm::TLM_WRITE_COMMAND, 0x100, const_cast<uint8_t*>(desc.data()),
           unsigned(desc.size()));
    access(to_mem, tlm::TLM_WRITE_COMMAND, d.iact_addr, xb.data(), unsigned(xb.size()));
    access(to_mem, tlm::TLM_WRITE_COMMAND, d.weight_addr, wb.data(), unsigned(wb.size()));
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    const uint64_t status = run_layer(0x100);
    std::printf("cpu: layer done, status %llu, %llu chip cycles, interrupt after %s\n",
                static_cast<unsigned long long>(status),
                static_cast<unsigned long long>(read_reg(C::kRegCycles)),
                (sc_core::sc_time_stamp() - t0).to_string().c_str());
    if (status != C::kDone) ++failures;
    // The outputs, read back from memory, against the golden reference.
    const eyeriss::Int32Tensor want = eyeriss::golden::conv(l, x, w, 20);
    const eyeriss::Uint8Tensor want_o = eyeriss::golden::requantize(want, l.shift);
    std::vector<uint8_t> pb(want.size() * 4), ob(want.size());
    access(to_mem, tlm::TLM_READ_COMMAND, d.psum_addr, pb.data(), unsigned(pb.size()));
    access(to_mem, tlm::TLM_READ_COMMAND, d.oact_addr, ob.data(), unsigned(ob.size()));
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      int32_t p;
      std::memcpy(&p, &pb[4 * i], 4);
      wrong += p != want.values()[i] || ob[i] != want_o.values()[i];
    }
    std::printf("cpu: %zu of %zu outputs differ from the golden reference\n", wrong, want.size());
    if (wrong) ++failures;
    // A descriptor that does not describe a layer: the chip reports an error, not a crash.
    uint8_t junk[eyeriss::LayerDescriptor::kBytes] = {1, 2, 3};
    access(to_mem, tlm::TLM_WRITE_COMMAND, 0x800, junk, sizeof junk);
    const uint64_t bad = run_layer(0x800);
    std::printf("cpu: bad descriptor, status %llu\n", static_cast<unsigned long long>(bad));
    if (bad != C::kError) ++failures;
  }
};

}  // namespace

int sc_main(int, char*[]) {
  eyeriss::ArchConfig arch;  // the published chip
  Memory memory("memory", 1 << 20);
  Cpu cpu("cpu");
  eyeriss::EyerissChip chip("eyeriss", arch);
  sc_core::sc_signal<bool> irq("irq");
  cpu.to_mem.bind(memory.socket);
  chip.mem.bind(memory.socket);
  cpu.to_chip.bind(chip.regs);
  chip.irq.bind(irq);
  cpu.irq.bind(irq);
  sc_core::sc_start();
  const bool ok = cpu.failures == 0 && chip.last_error().find("wrong magic") != std::string::npos;
  std::printf("%s (chip error for the bad descriptor: %s)\n", ok ? "PASS" : "FAIL",
              chip.last_error().c_str());
  return ok ? 0 : 1;
}
