#include "testbench/workload.h"

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/common/error.h"
#include "models/common/yaml_util.h"

namespace eyeriss {
namespace {

namespace fs = std::filesystem;

using Reader = detail::YamlReader;

// Shape values are capped so that H + 2 * pad and friends stay far from int overflow.
constexpr int kMaxDim = 1 << 20;

// Layer names name output files (<name>.psum.npy): at most kMaxName characters, so the longest
// file name stays well inside the 255 bytes file systems allow.
constexpr std::size_t kMaxName = 200;

bool safe_name(const std::string& s) {
  if (s.size() > kMaxName) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  // "." and ".." (and the empty name) are not usable file names.
  return s.find_first_not_of('.') != std::string::npos;
}

std::string resolve(const std::string& dir, const std::string& p) {
  fs::path path(p);
  if (path.is_relative()) path = fs::path(dir) / path;
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? path : abs).lexically_normal().string();
}

LayerSpec parse_layer(Reader& r, const YAML::Node& node, size_t index) {
  const std::string path = "layers[" + std::to_string(index) + "]";
  r.set_context("");
  // Read the name first so that every later message can name the layer.
  if (node.IsMap()) {
    const YAML::Node name = node["name"];
    if (name && name.IsScalar()) r.set_context("layer '" + name.Scalar() + "': ");
  }
  static const std::vector<std::string> kKeys = {"name",
                                                 "type",
                                                 "N",
                                                 "C",
                                                 "M",
                                                 "G",
                                                 "H",
                                                 "W",
                                                 "R",
                                                 "S",
                                                 "stride",
                                                 "pad",
                                                 "shift",
                                                 "weights",
                                                 "iacts",
                                                 "weight_density",
                                                 "iact_density",
                                                 "signed_iacts",
                                                 "weight_range",
                                                 "pool",
                                                 "mapping"};
  const Reader::Map m = r.map(node, path, kKeys);

  LayerSpec spec;
  Layer& l = spec.layer;
  const Reader::Entry& name = r.require(m, "name");
  r.get(m, "name", l.name);
  if (!safe_name(l.name))
    r.fail("key '" + path + ".name' = '" + l.name + "' must be a non-empty name of at most " +
               std::to_string(kMaxName) + " letters, digits, '_', '-' and '.' (it names files)",
           &name.key);

  const Reader::Entry& type = r.require(m, "type");
  std::string type_s;
  r.get(m, "type", type_s);
  if (type_s == "conv") {
    l.type = LayerType::Conv;
  } else if (type_s == "depthwise") {
    l.type = LayerType::Depthwise;
  } else if (type_s == "fc") {
    l.type = LayerType::FC;
  } else {
    r.fail("key '" + path + ".type' must be one of conv, depthwise, fc (got '" + type_s +
               "'; a pointwise layer is conv with R = S = 1)",
           &type.key);
  }

  // Required and optional integer keys; R, S and G defaults depend on the type.
  for (const char* key : {"C", "M", "H", "W", "shift"}) r.require(m, key);
  if (l.type != LayerType::FC)
    for (const char* key : {"R", "S"}) r.require(m, key);
  const std::pair<const char*, int*> ints[] = {
      {"N", &l.N},           {"C", &l.C},     {"M", &l.M},        {"G", &l.G},
      {"H", &l.H},           {"W", &l.W},     {"R", &l.R},        {"S", &l.S},
      {"stride", &l.stride}, {"pad", &l.pad}, {"shift", &l.shift}};
  for (const auto& [key, out] : ints) r.get(m, key, *out);
  if (!Reader::find(m, "G")) l.G = l.type == LayerType::Depthwise ? l.C : 1;
  if (l.type == LayerType::FC) {
    if (!Reader::find(m, "R")) l.R = l.H;
    if (!Reader::find(m, "S")) l.S = l.W;
  }
  for (const auto& [key, out] : ints) {
    const Reader::Entry* e = Reader::find(m, key);
    if (*out > kMaxDim)
      r.fail("key '" + path + "." + key + "' = " + std::to_string(*out) + " is larger than " +
                 std::to_string(kMaxDim),
             e ? &e->key : nullptr);
  }

  if (r.get(m, "weights", spec.weights_path)) {
    if (spec.weights_path.empty()) r.fail("key '" + path + ".weights' must not be empty");
  }
  if (r.get(m, "iacts", spec.iacts_path)) {
    if (spec.iacts_path.empty()) r.fail("key '" + path + ".iacts' must not be empty");
  }

  // Densities only matter when the data is generated; they are accepted (and checked) anyway.
  for (const auto& [key, out] :
       {std::pair<const char*, double*>{"weight_density", &spec.weight_density},
        {"iact_density", &spec.iact_density}}) {
    if (r.get(m, key, *out) && !(*out >= 0.0 && *out <= 1.0))
      r.fail("key '" + path + "." + key + "' must be in [0, 1] (got " + std::to_string(*out) + ")",
             &Reader::find(m, key)->key);
  }
  r.get(m, "signed_iacts", spec.signed_iacts);

  if (const Reader::Entry* e = Reader::find(m, "weight_range")) {
    const std::string key = path + ".weight_range";
    if (!e->value.IsSequence() || e->value.size() != 2)
      r.type_error(e->value, e->key, key, "a list [min, max]");
    spec.weight_min = r.to_int(e->value[0], e->key, key + "[0]");
    spec.weight_max = r.to_int(e->value[1], e->key, key + "[1]");
    if (spec.weight_min > spec.weight_max || spec.weight_min < -128 || spec.weight_max > 127 ||
        (spec.weight_min == 0 && spec.weight_max == 0))
      r.fail("key '" + key + "' = [" + std::to_string(spec.weight_min) + ", " +
                 std::to_string(spec.weight_max) +
                 "] must have min <= max within the int8 range [-128, 127] and hold a nonzero "
                 "value (generated weights are nonzero where the density puts them)",
             &e->key);
  }

  if (const Reader::Entry* e = Reader::find(m, "pool")) {
    const Reader::Map p = r.map(e->value, path + ".pool", {"type", "size", "stride"}, &e->key);
    const Reader::Entry& pt = r.require(p, "type");
    std::string pool_type;
    r.get(p, "type", pool_type);
    if (pool_type == "max") {
      l.pool.type = Pool::Type::Max;
    } else if (pool_type == "avg") {
      l.pool.type = Pool::Type::Avg;
    } else {
      r.fail("key '" + path + ".pool.type' must be max or avg (got '" + pool_type + "')", &pt.key);
    }
    r.require(p, "size");
    r.get(p, "size", l.pool.size);
    // Non-overlapping pooling unless a stride is given.
    if (!r.get(p, "stride", l.pool.stride)) l.pool.stride = l.pool.size;
  }

  if (const Reader::Entry* e = Reader::find(m, "mapping")) {
    const Reader::Map mp =
        r.map(e->value, path + ".mapping", {"M0", "C0", "F0", "vr", "noc"}, &e->key);
    Mapping pin;
    pin.F0 = 0;
    r.require(mp, "M0");
    r.require(mp, "C0");
    r.get(mp, "M0", pin.M0);
    r.get(mp, "C0", pin.C0);
    r.get(mp, "F0", pin.F0);
    r.get(mp, "vr", pin.vr);
    if (pin.M0 < 1 || pin.C0 < 1 || pin.F0 < 0 || pin.vr < 1)
      r.fail("key '" + path + ".mapping' needs M0, C0, vr >= 1 and F0 >= 0 (0: automatic)",
             &e->key);
    if (const Reader::Entry* ne = Reader::find(mp, "noc")) {
      const Reader::Map nm = r.map(ne->value, path + ".mapping.noc", {"iact", "weight"}, &ne->key);
      for (const char* dt : {"iact", "weight"}) {
        std::string v;
        if (!r.get(nm, dt, v)) continue;
        Sharing sh = Sharing::Auto;
        if (!parse_sharing(v, sh))
          r.fail("key '" + path + ".mapping.noc." + dt +
                     "' must be auto, multicast, unicast, grouped, interleaved or broadcast "
                     "(got '" +
                     v + "')",
                 &ne->key);
        (std::string(dt) == "iact" ? pin.iact_sharing : pin.weight_sharing) = sh;
      }
    }
    spec.pinned = pin;
  }

  try {
    l.validate();
  } catch (const InputError& err) {
    r.set_context("");
    r.fail(err.what(), &node);
  }
  if (double(l.N) * l.M * l.E() * l.F() * l.Cg() * l.R * l.S >
      double(std::numeric_limits<int64_t>::max() / 2))
    r.fail("the layer is too large: its MAC count overflows 64 bits", &node);
  r.set_context("");
  return spec;
}

std::string shape(int c, int h, int w) {
  return std::to_string(c) + " x " + std::to_string(h) + " x " + std::to_string(w);
}

}  // namespace

Workload parse_workload(const std::string& yaml_text, const std::string& origin,
                        const std::string& dir) {
  const YAML::Node doc =
      detail::load_single_document(yaml_text, origin, "expected a map with a 'layers' list");
  Reader r(origin);

  Workload w;
  w.source = origin;
  const Reader::Map root = r.map(doc, "", {"name", "seed", "layers"});
  if (!r.get(root, "name", w.name)) w.name = fs::path(origin).stem().string();
  if (w.name.empty()) r.fail("key 'name' must not be empty", &r.require(root, "name").key);
  r.get(root, "seed", w.seed);

  const Reader::Entry& layers = r.require(root, "layers");
  if (!layers.value.IsSequence())
    r.type_error(layers.value, layers.key, "layers", "a list of layers");
  if (layers.value.size() == 0) r.fail("key 'layers' is empty: a workload needs a layer");

  std::set<std::string> names;
  for (size_t i = 0; i < layers.value.size(); ++i) {
    const YAML::Node node = layers.value[i];
    LayerSpec spec = parse_layer(r, node, i);
    if (!names.insert(spec.layer.name).second)
      r.fail("duplicate layer name '" + spec.layer.name + "'", &node);
    if (!spec.weights_path.empty()) spec.weights_path = resolve(dir, spec.weights_path);
    if (!spec.iacts_path.empty()) spec.iacts_path = resolve(dir, spec.iacts_path);

    // Without an iacts file, a layer reads the previous layer's (pooled) output.
    if (i > 0 && spec.iacts_path.empty()) {
      const Layer& prev = w.layers.back().layer;
      const Layer& cur = spec.layer;
      int e = prev.E(), f = prev.F();
      const bool pooled = prev.pool.type != Pool::Type::None;
      if (pooled) {
        e = (e - prev.pool.size) / prev.pool.stride + 1;
        f = (f - prev.pool.size) / prev.pool.stride + 1;
      }
      if (cur.C != prev.M || cur.H != e || cur.W != f)
        r.fail("layer '" + cur.name + "' input C x H x W = " + shape(cur.C, cur.H, cur.W) +
                   " does not match layer '" + prev.name + "' output " + shape(prev.M, e, f) +
                   (pooled ? " (after pooling)" : "") +
                   "; give the layer an 'iacts' file to break the chain",
               &node);
      if (cur.N != prev.N)
        r.fail("layer '" + cur.name + "' batch N = " + std::to_string(cur.N) +
                   " does not match layer '" + prev.name + "' N = " + std::to_string(prev.N),
               &node);
    }
    w.layers.push_back(std::move(spec));
  }
  return w;
}

Workload load_workload(const std::string& path) {
  const std::string text = detail::read_text_file(path, "workload");
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  const std::string dir = (ec ? fs::path(path) : abs).lexically_normal().parent_path().string();
  return parse_workload(text, path, dir);
}

}  // namespace eyeriss
