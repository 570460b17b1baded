#include "testbench/workload.h"

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
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

// `pool` and `input_pool`: {type: max|avg, size, stride (default: size), pad (default 0)}.
Pool parse_pool(Reader& r, const Reader::Entry& e, const std::string& key) {
  const Reader::Map p = r.map(e.value, key, {"type", "size", "stride", "pad"}, &e.key);
  Pool pool;
  const Reader::Entry& pt = r.require(p, "type");
  std::string pool_type;
  r.get(p, "type", pool_type);
  if (pool_type == "max") {
    pool.type = Pool::Type::Max;
  } else if (pool_type == "avg") {
    pool.type = Pool::Type::Avg;
  } else {
    r.fail("key '" + key + ".type' must be max or avg (got '" + pool_type + "')", &pt.key);
  }
  r.require(p, "size");
  r.get(p, "size", pool.size);
  // Non-overlapping pooling unless a stride is given.
  if (!r.get(p, "stride", pool.stride)) pool.stride = pool.size;
  r.get(p, "pad", pool.pad);
  if (pool.size < 1 || pool.stride < 1 || pool.pad < 0 || pool.pad >= pool.size)
    r.fail("key '" + key + "' needs size >= 1, stride >= 1 and pad in [0, size - 1] (got size " +
               std::to_string(pool.size) + ", stride " + std::to_string(pool.stride) + ", pad " +
               std::to_string(pool.pad) + ")",
           &e.key);
  return pool;
}

// The graph keys of a layer as written; names are resolved once all earlier layers are known.
struct GraphRefs {
  bool has_input = false;
  std::vector<std::string> inputs;
  std::string residual;
};

LayerSpec parse_layer(Reader& r, const YAML::Node& node, size_t index, GraphRefs& refs) {
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
                                                 "mapping",
                                                 "input",
                                                 "input_pool",
                                                 "residual"};
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

  if (const Reader::Entry* e = Reader::find(m, "pool")) l.pool = parse_pool(r, *e, path + ".pool");
  if (const Reader::Entry* e = Reader::find(m, "input_pool"))
    spec.input_pool = parse_pool(r, *e, path + ".input_pool");

  if (const Reader::Entry* e = Reader::find(m, "input")) {
    const std::string key = path + ".input";
    refs.has_input = true;
    if (e->value.IsScalar()) {
      refs.inputs.push_back(e->value.Scalar());
    } else if (e->value.IsSequence() && e->value.size() > 0) {
      for (std::size_t k = 0; k < e->value.size(); ++k) {
        if (!e->value[k].IsScalar())
          r.type_error(e->value[k], e->key, key + "[" + std::to_string(k) + "]", "a layer name");
        refs.inputs.push_back(e->value[k].Scalar());
      }
    } else {
      r.type_error(e->value, e->key, key, "a layer name or a non-empty list of layer names");
    }
  }
  if (r.get(m, "residual", refs.residual) && refs.residual.empty())
    r.fail("key '" + path + ".residual' must name an earlier layer (got '')",
           &Reader::find(m, "residual")->key);

  if (const Reader::Entry* e = Reader::find(m, "mapping")) {
    const Reader::Map mp = r.map(e->value, path + ".mapping",
                                 {"M0", "C0", "F0", "vr", "noc", "pe_mode", "order"}, &e->key);
    Mapping pin;
    pin.F0 = 0;
    std::string mode;
    if (r.get(mp, "pe_mode", mode) && !parse_pe_mode(mode, pin.pe_mode))
      r.fail(
          "key '" + path + ".mapping.pe_mode' must be auto, sparse or dense (got '" + mode + "')",
          &e->key);
    spec.pe_mode = pin.pe_mode;
    std::string order;
    if (r.get(mp, "order", order) && !parse_task_order(order, pin.order))
      r.fail("key '" + path + ".mapping.order' must be auto, iact_reuse or weight_reuse (got '" +
                 order + "')",
             &e->key);
    // The PE mode alone pins only the mode; the mapper still chooses the tile sizes.
    const bool only_mode = Reader::find(mp, "pe_mode") && !Reader::find(mp, "M0") &&
                           !Reader::find(mp, "C0") && !Reader::find(mp, "F0") &&
                           !Reader::find(mp, "vr") && !Reader::find(mp, "noc") &&
                           !Reader::find(mp, "order");
    if (!only_mode) {
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
        const Reader::Map nm =
            r.map(ne->value, path + ".mapping.noc", {"iact", "weight"}, &ne->key);
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

// A layer's output as later layers see it: [N, C, H, W] after its residual add and pooling.
struct OutShape {
  int N, C, H, W;
  std::string str() const { return std::to_string(N) + " x " + shape(C, H, W); }
};

// Resolves a graph reference (key `key` of layer `cur`) to an earlier layer's index.
int resolve_ref(const Reader& r, const std::map<std::string, int>& earlier,
                const std::set<std::string>& all, const std::string& cur, const std::string& key,
                const std::string& ref, const YAML::Node& at) {
  auto it = earlier.find(ref);
  if (it != earlier.end()) return it->second;
  const std::string head = "layer '" + cur + "': key '" + key + "' names '" + ref + "', ";
  if (ref == cur) r.fail(head + "this layer itself (a layer cannot read its own output)", &at);
  if (all.count(ref))
    r.fail(head + "which comes later in the file (a layer reads only earlier layers: no cycles)",
           &at);
  r.fail(head + "which is not a layer of this workload", &at);
}

// Checks a layer's graph keys against the earlier layers' output shapes and fills in
// spec.inputs (explicit, or the previous layer for the chain) and spec.residual.
void resolve_graph(const Reader& r, const YAML::Node& node, std::size_t i, const GraphRefs& refs,
                   const std::map<std::string, int>& earlier, const std::set<std::string>& all,
                   const std::vector<LayerSpec>& done, const std::vector<OutShape>& outs,
                   LayerSpec& spec) {
  const Layer& cur = spec.layer;
  const std::string path = "layers[" + std::to_string(i) + "]";
  const std::string who = "layer '" + cur.name + "': ";
  if (refs.has_input && !spec.iacts_path.empty())
    r.fail(who + "keys '" + path + ".input' and '" + path +
               ".iacts' exclude each other (iacts come from earlier layers or from a file)",
           &node);
  if (refs.has_input) {
    for (const std::string& ref : refs.inputs)
      spec.inputs.push_back(resolve_ref(r, earlier, all, cur.name, path + ".input", ref, node));
  } else if (i > 0 && spec.iacts_path.empty()) {
    spec.inputs.push_back(static_cast<int>(i) - 1);  // the chain
  }
  if (spec.input_pool.type != Pool::Type::None && spec.inputs.empty())
    r.fail(who + "key '" + path + ".input_pool' needs an input layer (this layer's iacts are " +
               (spec.iacts_path.empty() ? "generated" : "read from 'iacts'") + ")",
           &node);

  if (!spec.inputs.empty()) {
    const OutShape& first = outs[spec.inputs[0]];
    std::string parts;
    int c = 0;
    for (const int j : spec.inputs) {
      const OutShape& o = outs[j];
      const std::string& name = done[j].layer.name;
      if (o.N != first.N || o.H != first.H || o.W != first.W)
        r.fail(who + "key '" + path + ".input': layer '" + done[spec.inputs[0]].layer.name +
                   "' output N x C x H x W = " + first.str() + " and layer '" + name + "' output " +
                   o.str() + " differ in N, H or W (inputs are concatenated along channels)",
               &node);
      c += o.C;
      parts += (parts.empty() ? "" : " + ") + name + " " + std::to_string(o.C);
    }
    const Pool& ip = spec.input_pool;
    if (ip.type != Pool::Type::None &&
        (ip.size > first.H + 2 * ip.pad || ip.size > first.W + 2 * ip.pad))
      r.fail(who + "key '" + path + ".input_pool': size " + std::to_string(ip.size) +
                 " is larger than the input " + std::to_string(first.H) + " x " +
                 std::to_string(first.W) + " plus padding",
             &node);
    const int h = ip.out(first.H), w = ip.out(first.W);
    const bool pooled = ip.type != Pool::Type::None;
    if (cur.C != c || cur.H != h || cur.W != w) {
      const std::string what = " does not match ";
      std::string src;
      if (spec.inputs.size() == 1) {
        const Layer& prev = done[spec.inputs[0]].layer;
        src = "layer '" + prev.name + "' output " + shape(c, h, w) +
              (prev.pool.type != Pool::Type::None ? " (after pooling)" : "") +
              (pooled ? " (after input_pool)" : "");
      } else {
        src = "the concatenation of its inputs " + shape(c, h, w) + " (channels: " + parts + ")" +
              (pooled ? " after input_pool" : "");
      }
      r.fail("layer '" + cur.name + "' input C x H x W = " + shape(cur.C, cur.H, cur.W) + what +
                 src +
                 (refs.has_input ? ""
                                 : "; give the layer an 'input' or an 'iacts' file to break the "
                                   "chain"),
             &node);
    }
    if (cur.N != first.N)
      r.fail("layer '" + cur.name + "' batch N = " + std::to_string(cur.N) +
                 " does not match layer '" + done[spec.inputs[0]].layer.name +
                 "' N = " + std::to_string(first.N),
             &node);
  }

  if (!refs.residual.empty()) {
    spec.residual = resolve_ref(r, earlier, all, cur.name, path + ".residual", refs.residual, node);
    const OutShape& o = outs[spec.residual];
    const OutShape mine{cur.N, cur.M, cur.E(), cur.F()};
    if (o.N != mine.N || o.C != mine.C || o.H != mine.H || o.W != mine.W)
      r.fail(who + "key '" + path + ".residual': layer '" + done[spec.residual].layer.name +
                 "' output N x C x H x W = " + o.str() + " differs from this layer's output " +
                 mine.str() + " before pooling (the add is elementwise)",
             &node);
  }
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

  // Every layer name in the file, so a reference to a later layer is told apart from a typo.
  std::set<std::string> all;
  for (const YAML::Node& node : layers.value)
    if (node.IsMap() && node["name"] && node["name"].IsScalar()) all.insert(node["name"].Scalar());

  std::map<std::string, int> names;
  std::vector<OutShape> outs;
  for (size_t i = 0; i < layers.value.size(); ++i) {
    const YAML::Node node = layers.value[i];
    GraphRefs refs;
    LayerSpec spec = parse_layer(r, node, i, refs);
    if (names.count(spec.layer.name))
      r.fail("duplicate layer name '" + spec.layer.name + "'", &node);
    if (!spec.weights_path.empty()) spec.weights_path = resolve(dir, spec.weights_path);
    if (!spec.iacts_path.empty()) spec.iacts_path = resolve(dir, spec.iacts_path);

    resolve_graph(r, node, i, refs, names, all, w.layers, outs, spec);
    const Layer& l = spec.layer;
    outs.push_back({l.N, l.M, l.pool.out(l.E()), l.pool.out(l.F())});
    names.emplace(l.name, static_cast<int>(i));
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
