#include "models/common/yaml_util.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "models/common/error.h"

namespace eyeriss {
namespace detail {
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

}  // namespace

std::string read_text_file(const std::string& path, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path + ": " + what + " file not found");
  if (fs::is_directory(path, ec)) throw InputError(path + ": is a directory, not a YAML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": cannot read file");
  return text;
}

YAML::Node load_single_document(const std::string& text, const std::string& origin,
                                const std::string& empty_hint) {
  // Not YAML::LoadAll: yaml-cpp 0.7's LoadAll loops without end, allocating, on some malformed
  // input (a file holding only ","). A second document starts with a "---" line after content.
  bool content = false;
  std::size_t line_no = 0;
  for (std::size_t p = 0; p < text.size(); ++line_no) {
    std::size_t q = text.find('\n', p);
    if (q == std::string::npos) q = text.size();
    const std::string line = text.substr(p, q - p);
    const bool marker = line.rfind("---", 0) == 0 &&
                        (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (marker && content)
      throw InputError(origin + ": expected one YAML document, found a second one at line " +
                       std::to_string(line_no + 1));
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (!marker && first != std::string::npos && line[first] != '#') content = true;
    p = q + 1;
  }
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ": malformed YAML: " + e.what());
  }
  if (!doc || doc.IsNull()) throw InputError(origin + ": empty document (" + empty_hint + ")");
  return doc;
}

void apply_override(YAML::Node doc, const std::string& assignment, const std::string& what) {
  auto fail = [&](const std::string& msg) {
    throw InputError(what + " '" + assignment + "': " + msg);
  };
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos) fail("expected KEY.PATH=VALUE");
  std::vector<std::string> keys;
  const std::string path = assignment.substr(0, eq);
  for (std::size_t p = 0;;) {
    const std::size_t q = path.find('.', p);
    keys.push_back(path.substr(p, q == std::string::npos ? q : q - p));
    if (keys.back().empty() || keys.back().find_first_of(" \t") != std::string::npos)
      fail("expected a dotted key such as noc.iact_link_bits before '='");
    if (q == std::string::npos) break;
    p = q + 1;
  }
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    fail(std::string("the value is not valid YAML: ") + e.what());
  }
  if (!doc.IsMap()) fail("the document is not a map of keys");
  YAML::Node cur = doc;  // walks the path; reset() rebinds it (operator= would overwrite)
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    YAML::Node next = cur[keys[i]];
    if (!next.IsDefined() || next.IsNull()) {
      cur[keys[i]] = YAML::Node(YAML::NodeType::Map);
      next.reset(cur[keys[i]]);
    } else if (!next.IsMap()) {
      std::string at;
      for (std::size_t k = 0; k <= i; ++k) at += (k ? "." : "") + keys[k];
      fail("'" + at + "' holds a value, not a map of keys");
    }
    cur.reset(next);
  }
  cur[keys.back()] = value;
}

void YamlReader::fail(const std::string& msg, const YAML::Node* at) const {
  std::string where;
  if (at && at->Mark().line >= 0) where = " (line " + std::to_string(at->Mark().line + 1) + ")";
  throw InputError(origin_ + ": " + context_ + msg + where);
}

std::string YamlReader::join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

YamlReader::Map YamlReader::map(const YAML::Node& n, const std::string& path,
                                const std::vector<std::string>& allowed,
                                const YAML::Node* key_node) const {
  if (!n.IsMap())
    fail((path.empty() ? std::string("the document") : "key '" + path + "'") + " must be a map" +
             got(n),
         key_node ? key_node : &n);
  Map m{path, {}, n};
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

std::optional<YamlReader::Map> YamlReader::child(const Map& m, const std::string& key,
                                                 const std::vector<std::string>& allowed) const {
  const Entry* e = find(m, key);
  if (!e) return std::nullopt;
  return map(e->value, join(m.path, key), allowed, &e->key);
}

const YamlReader::Entry* YamlReader::find(const Map& m, const std::string& key) {
  auto it = m.entries.find(key);
  return it == m.entries.end() ? nullptr : &it->second;
}

const YamlReader::Entry& YamlReader::require(const Map& m, const std::string& key) const {
  if (const Entry* e = find(m, key)) return *e;
  fail("missing required key '" + join(m.path, key) + "'", &m.node);
}

bool YamlReader::get(const Map& m, const std::string& key, int& out) const {
  const Entry* e = find(m, key);
  if (e) out = to_int(e->value, e->key, join(m.path, key));
  return e;
}

bool YamlReader::get(const Map& m, const std::string& key, uint64_t& out) const {
  const Entry* e = find(m, key);
  if (!e) return false;
  const std::string k = join(m.path, key);
  const std::string what = "a non-negative integer";
  const std::string s = plain_scalar(e->value, e->key, k, what);
  if (!is_decimal_int(s, false)) type_error(e->value, e->key, k, what);
  errno = 0;
  const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
  if (errno == ERANGE || v > std::numeric_limits<uint64_t>::max())
    fail("key '" + k + "' = " + s + " does not fit in 64 bits", &e->key);
  out = v;
  return true;
}

bool YamlReader::get(const Map& m, const std::string& key, bool& out) const {
  const Entry* e = find(m, key);
  if (!e) return false;
  const std::string k = join(m.path, key);
  const std::string what = "a boolean (true or false)";
  const std::string s = plain_scalar(e->value, e->key, k, what);
  if (s == "true" || s == "True" || s == "TRUE") {
    out = true;
  } else if (s == "false" || s == "False" || s == "FALSE") {
    out = false;
  } else {
    type_error(e->value, e->key, k, what);
  }
  return true;
}

bool YamlReader::get(const Map& m, const std::string& key, double& out) const {
  const Entry* e = find(m, key);
  if (!e) return false;
  const std::string k = join(m.path, key);
  const std::string what = "a finite number";
  const std::string s = plain_scalar(e->value, e->key, k, what);
  if (!is_decimal_number(s)) type_error(e->value, e->key, k, what);
  const double v = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(v)) type_error(e->value, e->key, k, what);
  out = v;
  return true;
}

bool YamlReader::get(const Map& m, const std::string& key, std::string& out) const {
  const Entry* e = find(m, key);
  if (!e) return false;
  if (!e->value.IsScalar()) type_error(e->value, e->key, join(m.path, key), "a string");
  out = e->value.Scalar();
  return true;
}

int YamlReader::to_int(const YAML::Node& v, const YAML::Node& at, const std::string& key) const {
  const std::string what = "an integer";
  const std::string s = plain_scalar(v, at, key, what);
  if (!is_decimal_int(s)) type_error(v, at, key, what);
  errno = 0;
  const long long x = std::strtoll(s.c_str(), nullptr, 10);
  if (errno == ERANGE || x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
    fail("key '" + key + "' = " + s + " is out of the integer range", &at);
  return int(x);
}

void YamlReader::type_error(const YAML::Node& v, const YAML::Node& at, const std::string& key,
                            const std::string& what) const {
  fail("key '" + key + "' must be " + what + got(v), &at);
}

std::string YamlReader::got(const YAML::Node& n) {
  if (n.IsNull()) return " (got nothing)";
  if (n.IsSequence()) return " (got a list)";
  if (n.IsMap()) return " (got a map)";
  return " (got '" + n.Scalar() + "')";
}

std::string YamlReader::plain_scalar(const YAML::Node& v, const YAML::Node& at,
                                     const std::string& key, const std::string& what) const {
  const std::string& tag = v.Tag();
  if (!v.IsScalar() || tag == "!" || tag == "tag:yaml.org,2002:str") type_error(v, at, key, what);
  return v.Scalar();
}

}  // namespace detail
}  // namespace eyeriss
