#include "models/common/arch_config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "models/common/error.h"

namespace eyeriss {
namespace {

// Hand-written lexical checks (std::regex drags in warnings and is slow for this).
bool all_digits(const std::string& s, size_t from) {
  if (from >= s.size()) return false;
  for (size_t i = from; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
// [-+]?[0-9]+ (or [+]?[0-9]+ without `allow_minus`).
bool is_decimal_int(const std::string& s, bool allow_minus = true) {
  const bool sign = !s.empty() && (s[0] == '+' || (allow_minus && s[0] == '-'));
  return all_digits(s, sign ? 1 : 0);
}
// [-+]?(digits[.digits*] | .digits)([eE][-+]?digits)?: plain decimal, no inf/nan/hex.
bool is_decimal_number(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  size_t mantissa_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++mantissa_digits;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++mantissa_digits;
  if (mantissa_digits == 0) return false;
  if (i == s.size()) return true;
  if (s[i] != 'e' && s[i] != 'E') return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  return all_digits(s, i);
}

// Strict YAML reading: every key known, every value of the right type, every message naming
// the file, the dotted key and the line. (workload.cpp has its own copy of this helper: the two
// files are owned separately and share no private header.)
class Reader {
 public:
  struct Entry {
    YAML::Node key, value;
  };
  struct Map {
    std::string path;
    std::map<std::string, Entry> entries;
  };

  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& msg, const YAML::Node* at = nullptr) const {
    std::string where;
    if (at && at->Mark().line >= 0) where = " (line " + std::to_string(at->Mark().line + 1) + ")";
    throw InputError(origin_ + ": " + msg + where);
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // Checks that `n` is a map with unique keys, all in `allowed`.
  Map map(const YAML::Node& n, const std::string& path, const std::vector<std::string>& allowed,
          const YAML::Node* key_node = nullptr) const {
    if (!n.IsMap())
      fail((path.empty() ? std::string("the document") : "key '" + path + "'") + " must be a map" +
               got(n),
           key_node ? key_node : &n);
    Map m{path, {}};
    for (const auto& kv : n) {
      if (!kv.first.IsScalar())
        fail("a key under '" + (path.empty() ? std::string("<top>") : path) + "' is not a string",
             &kv.first);
      const std::string& k = kv.first.Scalar();
      bool known = false;
      for (const auto& a : allowed) known = known || a == k;
      if (!known) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail("unknown key '" + join(path, k) + "' (expected one of: " + list + ")", &kv.first);
      }
      if (!m.entries.emplace(k, Entry{kv.first, kv.second}).second)
        fail("duplicate key '" + join(path, k) + "'", &kv.first);
    }
    return m;
  }

  // The sub-map under `key`, if present.
  std::optional<Map> child(const Map& m, const std::string& key,
                           const std::vector<std::string>& allowed) const {
    auto it = m.entries.find(key);
    if (it == m.entries.end()) return std::nullopt;
    return map(it->second.value, join(m.path, key), allowed, &it->second.key);
  }

  // Each get() leaves `out` untouched when the key is absent (the default stands).
  void get(const Map& m, const std::string& key, int& out) const {
    if (const Entry* e = find(m, key)) out = to_int(*e, join(m.path, key));
  }
  void get(const Map& m, const std::string& key, bool& out) const {
    const Entry* e = find(m, key);
    if (!e) return;
    const std::string s = plain_scalar(*e, join(m.path, key), "a boolean (true or false)");
    if (s == "true" || s == "True" || s == "TRUE") {
      out = true;
    } else if (s == "false" || s == "False" || s == "FALSE") {
      out = false;
    } else {
      type_error(*e, join(m.path, key), "a boolean (true or false)");
    }
  }
  void get(const Map& m, const std::string& key, double& out) const {
    const Entry* e = find(m, key);
    if (!e) return;
    const std::string what = "a finite number";
    const std::string s = plain_scalar(*e, join(m.path, key), what);
    if (!is_decimal_number(s)) type_error(*e, join(m.path, key), what);
    const double v = std::strtod(s.c_str(), nullptr);
    if (!std::isfinite(v)) type_error(*e, join(m.path, key), what);
    out = v;
  }
  void get(const Map& m, const std::string& key, std::string& out) const {
    const Entry* e = find(m, key);
    if (!e) return;
    if (!e->value.IsScalar()) type_error(*e, join(m.path, key), "a string");
    out = e->value.Scalar();
  }

 private:
  static std::string got(const YAML::Node& n) {
    if (n.IsNull()) return " (got nothing)";
    if (n.IsSequence()) return " (got a list)";
    if (n.IsMap()) return " (got a map)";
    return " (got '" + n.Scalar() + "')";
  }
  [[noreturn]] void type_error(const Entry& e, const std::string& key,
                               const std::string& what) const {
    fail("key '" + key + "' must be " + what + got(e.value), &e.key);
  }
  static const Entry* find(const Map& m, const std::string& key) {
    auto it = m.entries.find(key);
    return it == m.entries.end() ? nullptr : &it->second;
  }
  // An unquoted scalar: a quoted "5" is a string, not a number.
  std::string plain_scalar(const Entry& e, const std::string& key, const std::string& what) const {
    const std::string& tag = e.value.Tag();
    if (!e.value.IsScalar() || tag == "!" || tag == "tag:yaml.org,2002:str")
      type_error(e, key, what);
    return e.value.Scalar();
  }
  int to_int(const Entry& e, const std::string& key) const {
    const std::string what = "an integer";
    const std::string s = plain_scalar(e, key, what);
    if (!is_decimal_int(s)) type_error(e, key, what);
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE || v < std::numeric_limits<int>::min() ||
        v > std::numeric_limits<int>::max())
      fail("key '" + key + "' = " + s + " is out of the integer range", &e.key);
    return int(v);
  }

  std::string origin_;
};

std::vector<YAML::Node> load_yaml(const std::string& text, const std::string& origin) {
  try {
    return YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ": malformed YAML: " + e.what());
  }
}

// Element sizes as stored on chip: in sparse mode each iact/weight carries a zero-run count.
int64_t iact_element_bits(const ArchConfig& a) {
  return int64_t(a.iact_bits) + (a.sparse ? a.count_bits : 0);
}
int64_t weight_element_bits(const ArchConfig& a) {
  return int64_t(a.weight_bits) + (a.sparse ? a.count_bits : 0);
}

}  // namespace

ArchConfig parse_arch_config(const std::string& yaml_text, const std::string& origin) {
  const std::vector<YAML::Node> docs = load_yaml(yaml_text, origin);
  Reader r(origin);
  if (docs.empty()) r.fail("empty document (expected a map of architecture keys)");
  if (docs.size() > 1) r.fail("expected one YAML document, found " + std::to_string(docs.size()));

  ArchConfig a;
  const Reader::Map root =
      r.map(docs[0], "",
            {"name", "cluster_array", "pe_cluster", "pe", "glb", "noc", "clock_hz", "offchip"});
  r.get(root, "name", a.name);
  if (auto m = r.child(root, "cluster_array", {"rows", "cols"})) {
    r.get(*m, "rows", a.cluster_rows);
    r.get(*m, "cols", a.cluster_cols);
  }
  if (auto m = r.child(root, "pe_cluster", {"rows", "cols"})) {
    r.get(*m, "rows", a.pe_rows);
    r.get(*m, "cols", a.pe_cols);
  }
  if (auto pe = r.child(root, "pe",
                        {"sparse", "simd", "pipeline_stages", "count_bits", "iact_bits",
                         "weight_bits", "psum_bits", "spads", "psum_spad_ports"})) {
    r.get(*pe, "sparse", a.sparse);
    r.get(*pe, "simd", a.simd);
    r.get(*pe, "pipeline_stages", a.pipeline_stages);
    r.get(*pe, "count_bits", a.count_bits);
    r.get(*pe, "iact_bits", a.iact_bits);
    r.get(*pe, "weight_bits", a.weight_bits);
    r.get(*pe, "psum_bits", a.psum_bits);
    r.get(*pe, "psum_spad_ports", a.psum_spad_ports);
    if (auto sp = r.child(*pe, "spads",
                          {"iact_addr", "iact_data", "weight_addr", "weight_data", "psum"})) {
      const std::pair<const char*, SpadConfig*> spads[] = {{"iact_addr", &a.iact_addr},
                                                           {"iact_data", &a.iact_data},
                                                           {"weight_addr", &a.weight_addr},
                                                           {"weight_data", &a.weight_data},
                                                           {"psum", &a.psum}};
      for (const auto& [key, spad] : spads) {
        if (auto m = r.child(*sp, key, {"entries", "width_bits"})) {
          r.get(*m, "entries", spad->entries);
          r.get(*m, "width_bits", spad->width_bits);
        }
      }
    }
  }
  if (auto m = r.child(root, "glb",
                       {"iact_banks", "iact_bank_bytes", "psum_banks", "psum_bank_bytes",
                        "iact_port_bits", "psum_port_bits"})) {
    r.get(*m, "iact_banks", a.glb_iact_banks);
    r.get(*m, "iact_bank_bytes", a.glb_iact_bank_bytes);
    r.get(*m, "psum_banks", a.glb_psum_banks);
    r.get(*m, "psum_bank_bytes", a.glb_psum_bank_bytes);
    r.get(*m, "iact_port_bits", a.glb_iact_port_bits);
    r.get(*m, "psum_port_bits", a.glb_psum_port_bits);
  }
  if (auto m = r.child(root, "noc",
                       {"iact_routers", "weight_routers", "psum_routers", "iact_link_bits",
                        "weight_link_bits", "psum_link_bits", "router_hop_cycles"})) {
    r.get(*m, "iact_routers", a.iact_routers);
    r.get(*m, "weight_routers", a.weight_routers);
    r.get(*m, "psum_routers", a.psum_routers);
    r.get(*m, "iact_link_bits", a.iact_link_bits);
    r.get(*m, "weight_link_bits", a.weight_link_bits);
    r.get(*m, "psum_link_bits", a.psum_link_bits);
    r.get(*m, "router_hop_cycles", a.router_hop_cycles);
  }
  r.get(root, "clock_hz", a.clock_hz);
  if (auto m = r.child(root, "offchip", {"bytes_per_cycle", "latency_cycles"})) {
    r.get(*m, "bytes_per_cycle", a.offchip_bytes_per_cycle);
    r.get(*m, "latency_cycles", a.offchip_latency_cycles);
  }

  validate_arch_config(a, origin);
  return a;
}

ArchConfig load_arch_config(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path + ": architecture file not found");
  if (fs::is_directory(path, ec)) throw InputError(path + ": is a directory, not a YAML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": cannot read file");
  return parse_arch_config(text, path);
}

void validate_arch_config(const ArchConfig& a, const std::string& origin) {
  auto fail = [&](const std::string& msg) { throw InputError(origin + ": " + msg); };
  auto at_least = [&](const char* key, int64_t v, int64_t min, const std::string& why = "") {
    if (v < min)
      fail(std::string(key) + " must be >= " + std::to_string(min) + " (got " + std::to_string(v) +
           ")" + (why.empty() ? "" : ": " + why));
  };

  if (a.name.empty()) fail("name must not be empty");
  at_least("cluster_array.rows", a.cluster_rows, 1);
  at_least("cluster_array.cols", a.cluster_cols, 1);
  at_least("pe_cluster.rows", a.pe_rows, 1);
  at_least("pe_cluster.cols", a.pe_cols, 1);
  // Keeps clusters() * pes_per_cluster() and per-PE arrays well inside int.
  const int64_t pes = int64_t(a.cluster_rows) * a.cluster_cols * a.pe_rows * a.pe_cols;
  if (pes > (int64_t(1) << 24))
    fail("cluster_array x pe_cluster gives " + std::to_string(pes) +
         " PEs, more than the supported 16777216");

  at_least("pe.simd", a.simd, 1);
  at_least("pe.pipeline_stages", a.pipeline_stages, 1);
  if (a.count_bits < 1 || a.count_bits > 8)
    fail("pe.count_bits must be in [1, 8] (got " + std::to_string(a.count_bits) + ")");
  if (a.iact_bits != 8)
    fail("pe.iact_bits must be 8: only 8-bit iacts are supported for now (got " +
         std::to_string(a.iact_bits) + ")");
  if (a.weight_bits != 8)
    fail("pe.weight_bits must be 8: only 8-bit weights are supported for now (got " +
         std::to_string(a.weight_bits) + ")");
  if (a.psum_bits < 8 || a.psum_bits > 32)
    fail("pe.psum_bits must be in [8, 32] (got " + std::to_string(a.psum_bits) + ")");
  at_least("pe.psum_spad_ports", a.psum_spad_ports, 1);

  const std::pair<const char*, const SpadConfig*> spads[] = {{"iact_addr", &a.iact_addr},
                                                             {"iact_data", &a.iact_data},
                                                             {"weight_addr", &a.weight_addr},
                                                             {"weight_data", &a.weight_data},
                                                             {"psum", &a.psum}};
  for (const auto& [key, spad] : spads) {
    const std::string base = std::string("pe.spads.") + key;
    at_least((base + ".entries").c_str(), spad->entries, 1);
    at_least((base + ".width_bits").c_str(), spad->width_bits, 1);
  }
  const int64_t iact_el = iact_element_bits(a);
  const int64_t weight_el = weight_element_bits(a);
  const std::string pair_note = a.sparse ? " (count + value, sparse mode)" : " (dense mode)";
  at_least("pe.spads.weight_data.width_bits", a.weight_data.width_bits, a.simd * weight_el,
           "a word must hold simd = " + std::to_string(a.simd) + " weights of " +
               std::to_string(weight_el) + " bits" + pair_note);
  at_least("pe.spads.iact_data.width_bits", a.iact_data.width_bits, iact_el,
           "an entry must hold one iact of " + std::to_string(iact_el) + " bits" + pair_note);
  at_least("pe.spads.psum.width_bits", a.psum.width_bits, a.psum_bits,
           "an entry must hold one psum (pe.psum_bits)");

  at_least("glb.iact_banks", a.glb_iact_banks, 1);
  at_least("glb.psum_banks", a.glb_psum_banks, 1);
  // A bank must hold at least one element.
  at_least("glb.iact_bank_bytes", a.glb_iact_bank_bytes, (iact_el + 7) / 8,
           "a bank must hold at least one iact");
  at_least("glb.psum_bank_bytes", a.glb_psum_bank_bytes, (a.psum_bits + 7) / 8,
           "a bank must hold at least one psum");
  at_least("glb.iact_port_bits", a.glb_iact_port_bits, iact_el,
           "a port must carry at least one iact");
  at_least("glb.psum_port_bits", a.glb_psum_port_bits, a.psum_bits,
           "a port must carry at least one psum");
  if (a.glb_psum_banks != a.pe_cols)
    fail("glb.psum_banks (" + std::to_string(a.glb_psum_banks) + ") must equal pe_cluster.cols (" +
         std::to_string(a.pe_cols) + "): one psum bank per PE column");

  at_least("noc.iact_routers", a.iact_routers, 1);
  at_least("noc.weight_routers", a.weight_routers, 1);
  at_least("noc.psum_routers", a.psum_routers, 1);
  if (a.psum_routers != a.pe_cols)
    fail("noc.psum_routers (" + std::to_string(a.psum_routers) + ") must equal pe_cluster.cols (" +
         std::to_string(a.pe_cols) + "): one psum router per PE column");
  if (a.weight_routers != a.pe_rows)
    fail("noc.weight_routers (" + std::to_string(a.weight_routers) +
         ") must equal pe_cluster.rows (" + std::to_string(a.pe_rows) +
         "): one weight router per PE row");
  if (a.iact_routers != a.glb_iact_banks)
    fail("noc.iact_routers (" + std::to_string(a.iact_routers) + ") must equal glb.iact_banks (" +
         std::to_string(a.glb_iact_banks) + "): one iact router per GLB iact bank");
  at_least("noc.iact_link_bits", a.iact_link_bits, iact_el, "a link must carry one iact");
  at_least("noc.weight_link_bits", a.weight_link_bits, weight_el, "a link must carry one weight");
  at_least("noc.psum_link_bits", a.psum_link_bits, a.psum_bits, "a link must carry one psum");
  at_least("noc.router_hop_cycles", a.router_hop_cycles, 0);

  // Negated comparisons also reject NaN.
  if (!(a.clock_hz > 0) || !std::isfinite(a.clock_hz))
    fail("clock_hz must be a positive number (got " + std::to_string(a.clock_hz) + ")");
  if (!(a.offchip_bytes_per_cycle >= 0) || !std::isfinite(a.offchip_bytes_per_cycle))
    fail("offchip.bytes_per_cycle must be >= 0, 0 meaning unlimited (got " +
         std::to_string(a.offchip_bytes_per_cycle) + ")");
  at_least("offchip.latency_cycles", a.offchip_latency_cycles, 0);
}

}  // namespace eyeriss
