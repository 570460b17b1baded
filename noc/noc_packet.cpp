#include "noc/noc_packet.h"

#include <sstream>

namespace eyeriss {

namespace {

std::vector<PacketData*>& data_free_list() {
  static std::vector<PacketData*> v;
  return v;
}

}  // namespace

PacketRef PacketRef::make() {
  auto& fl = data_free_list();
  PacketRef r;
  if (fl.empty()) {
    r.p_ = new PacketData();
  } else {
    r.p_ = fl.back();
    fl.pop_back();
  }
  r.p_->refs = 1;
  r.p_->entries = 0;
  r.p_->cols = 1;
  r.p_->words_in_spad = 0;
  return r;
}

void PacketRef::recycle(PacketData* p) { data_free_list().push_back(p); }

std::string PacketTag::str(DataType t) const {
  std::ostringstream o;
  o << to_string(t) << " step " << step;
  switch (t) {
    case DataType::Iact:
      o << " (n " << n << ", g " << g << ", c " << ci << ", h " << h << ", f0 " << f0
        << ") segment " << seg;
      break;
    case DataType::Weight:
      o << " (g " << g << ", m " << m_base << ", c " << c_base << ", r " << r << ")";
      break;
    case DataType::Psum:
      o << " row (n " << n << ", m " << m_base << ", e " << e << ", f " << f_out << ")";
      break;
  }
  return o.str();
}

tlm::tlm_generic_payload* TransactionPool::acquire(const PacketRef& data, const PacketTag& tag) {
  NocPayload* gp;
  if (free_.empty()) {
    gp = new NocPayload();
    gp->set_mm(this);
    gp->set_extension(&gp->pkt);
    gp->set_command(tlm::TLM_WRITE_COMMAND);
    gp->set_address(0);
    gp->set_streaming_width(sizeof(uint64_t));
    gp->set_byte_enable_ptr(nullptr);
  } else {
    gp = free_.back();
    free_.pop_back();
  }
  NocPacket& p = gp->pkt;
  p.data = data;
  p.tag = tag;
  p.tail = p.xfer = p.start = p.end = 0;
  p.ignored = false;
  p.acked = false;
  p.sender = nullptr;
  p.target = 0;
  auto& w = data->words.data();
  gp->set_data_ptr(reinterpret_cast<unsigned char*>(w.data()));
  gp->set_data_length(static_cast<unsigned>(w.size() * sizeof(uint64_t)));
  gp->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  gp->acquire();
  return gp;
}

void TransactionPool::free(tlm::tlm_generic_payload* gp) {
  auto* p = static_cast<NocPayload*>(gp);
  p->pkt.data.reset();
  free_.push_back(p);
}

TransactionPool::~TransactionPool() {
  for (auto* gp : free_) {
    gp->clear_extension(&gp->pkt);  // the extension is a member, not heap-owned
    delete gp;
  }
}

}  // namespace eyeriss
