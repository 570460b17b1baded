// What travels on a link. A generic payload per hop (pooled: no heap allocation per transfer)
// with one NocPacket extension that holds:
//  - a reference to the packet's immutable contents (PacketData): the link words, bit for bit,
//    shared by every copy of a multicast and by a GLB bank that stores it, never copied;
//  - the packet's tag: the tensor coordinates and the program step it belongs to, which the
//    receiving PEs compare with their configured IDs (routing follows the routers'
//    configuration, not the packet);
//  - per-hop timing: the earliest edge the last word can be on this link (cut-through).
// The payload's data pointer and length are the link words (one per 64-bit container).
#pragma once
#include <cstdint>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/common/cycle.h"
#include "models/mapper/program.h"
#include "noc/link_format.h"

namespace eyeriss {

enum class DataType : uint8_t { Iact, Weight, Psum };
inline const char* to_string(DataType t) {
  return t == DataType::Iact ? "iact" : t == DataType::Weight ? "weight" : "psum";
}

// Immutable contents of one packet. Reference counted; recycled through a free list.
struct PacketData {
  enum class Format : uint8_t { Csc, Raw, Psums };
  DataType type = DataType::Iact;
  Format format = Format::Csc;
  int entries = 0;        // CSC entries, raw values or psums: the packet's framing (its last word)
  int cols = 1;           // CSC weight block: columns
  int words_in_spad = 0;  // CSC weight block: weight-data SPad words it fills
  LinkWords words;
  uint64_t bits() const { return words.bits(); }

  int refs = 0;
};

class PacketRef {
 public:
  PacketRef() = default;
  static PacketRef make();  // a fresh, empty PacketData (from the free list)
  PacketRef(const PacketRef& o) : p_(o.p_) {
    if (p_) ++p_->refs;
  }
  PacketRef(PacketRef&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  PacketRef& operator=(PacketRef o) {
    std::swap(p_, o.p_);
    return *this;
  }
  ~PacketRef() { reset(); }
  void reset() {
    if (p_ && --p_->refs == 0) recycle(p_);
    p_ = nullptr;
  }
  PacketData* operator->() const { return p_; }
  PacketData& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  PacketData* get() const { return p_; }

 private:
  static void recycle(PacketData* p);
  PacketData* p_ = nullptr;
};

// Coordinates of a packet's contents. IDs the PEs match: iacts (step, n, g, ci, h, f0) plus the
// segment index; weights (step, g, m_base, c_base, r). Psum rows carry their output
// coordinates (task, f, n, e, f_out, m_base).
struct PacketTag {
  int step = 0;
  int n = 0, g = 0;
  int ci = 0, h = 0, f0 = 0, seg = 0;     // iacts
  int m_base = 0, c_base = 0, r = 0;      // weights (m_base also for psums)
  int task = 0, f = 0, e = 0, f_out = 0;  // psums
  std::string str(DataType t) const;

  // The IDs of segment `seg` of an iact stream and of a weight block, and back.
  static PacketTag iact(int step, const StreamKey& k, int seg = 0) {
    PacketTag t;
    t.step = step;
    t.n = k.n, t.g = k.g, t.ci = k.ci, t.h = k.h, t.f0 = k.f0;
    t.seg = seg;
    return t;
  }
  static PacketTag weight(int step, const BlockKey& k) {
    PacketTag t;
    t.step = step;
    t.g = k.g, t.m_base = k.m_base, t.c_base = k.c_base, t.r = k.r;
    return t;
  }
  // Position f of a psum row.
  static PacketTag psum(int step, const RowKey& k, int f) {
    PacketTag t;
    t.step = step;
    t.task = k.task, t.n = k.n, t.e = k.e, t.m_base = k.m_base;
    t.f = f;
    t.f_out = k.f0 + f;
    return t;
  }
  StreamKey stream() const { return {n, g, ci, h, f0}; }
  BlockKey block() const { return {g, m_base, c_base, r}; }
};

struct NocPacket : tlm::tlm_extension<NocPacket> {
  PacketRef data;
  PacketTag tag;
  Cycle at = 0;              // the edge the request is posted for (BEGIN_REQ's annotated time)
  Cycle tail = 0;            // the transfer may not end before this edge (the last word's arrival)
  Cycle xfer = 0;            // cycles on this link (set by the sender from its width)
  Cycle start = 0, end = 0;  // set by the receiver when it accepts: the transfer [start, end)
  bool ignored = false;      // set by a receiver that is not addressed (ID mismatch)
  bool acked = false;        // the sender has seen the receiver's ready (END_REQ)
  void* sender = nullptr;    // the LinkOut that sent this hop
  int target = 0;            // which of the sender's targets

  tlm::tlm_extension_base* clone() const override { return new NocPacket(*this); }
  void copy_from(const tlm::tlm_extension_base& o) override {
    *this = static_cast<const NocPacket&>(o);
  }
};

// The model's generic payloads carry their NocPacket inline (also set as the extension, for
// tools that look it up); packet_of reaches it without the extension lookup.
struct NocPayload : tlm::tlm_generic_payload {
  NocPacket pkt;
};

// Generic payloads with a NocPacket attached, recycled (tlm_mm_interface).
class TransactionPool : public tlm::tlm_mm_interface {
 public:
  static TransactionPool& get() {
    static TransactionPool pool;
    return pool;
  }
  // A payload with refcount 1, its data pointer/length showing `p.words`.
  tlm::tlm_generic_payload* acquire(const PacketRef& data, const PacketTag& tag);
  void free(tlm::tlm_generic_payload* gp) override;
  ~TransactionPool();

 private:
  std::vector<NocPayload*> free_;
};

// Every data transaction of the model comes from TransactionPool (NocPayload).
inline NocPacket& packet_of(tlm::tlm_generic_payload& gp) {
  return static_cast<NocPayload&>(gp).pkt;
}

}  // namespace eyeriss
