// Strict YAML reading shared by the architecture and workload loaders: every key known, every
// value of the right type, every message naming the file, the dotted key and the line. All
// problems are InputErrors: "FILE: [context]what (line N)".
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace eyeriss {
namespace detail {

// The whole of the file at `path`. `what` names the kind of file in the not-found message
// ("PATH: WHAT file not found"); other messages: a directory, cannot open, cannot read.
std::string read_text_file(const std::string& path, const std::string& what);

// The one YAML document in `text`. Malformed YAML, no document ("empty document (EMPTY_HINT)")
// or more than one document is an InputError naming `origin`.
YAML::Node load_single_document(const std::string& text, const std::string& origin,
                                const std::string& empty_hint);

// Applies one "key.path=value" override (the `--set` of the command line) to `doc`: the value is
// read as YAML (48, true, [1, 2], "text"), missing maps on the path are created, and the result
// goes through the same strict reader as the file, so a bad key or value gets the same message.
// A malformed assignment, or a path through a value that is not a map, is an InputError naming
// `what` ("--set") and the assignment.
void apply_override(YAML::Node doc, const std::string& assignment, const std::string& what);

class YamlReader {
 public:
  struct Entry {
    YAML::Node key, value;
  };
  struct Map {
    std::string path;
    std::map<std::string, Entry> entries;
    YAML::Node node;  // for the line of a missing key
  };

  explicit YamlReader(std::string origin) : origin_(std::move(origin)) {}

  // Prefix for the following messages, e.g. "layer 'conv1': " (empty by default).
  void set_context(const std::string& context) { context_ = context; }

  // Throws "ORIGIN: CONTEXTmsg", with " (line N)" when `at` has a position.
  [[noreturn]] void fail(const std::string& msg, const YAML::Node* at = nullptr) const;

  // "path.key", or "key" at the top.
  static std::string join(const std::string& path, const std::string& key);

  // Checks that `n` is a map with unique keys, all in `allowed`. `path` is its dotted key ("" for
  // the document); `key_node`, if given, is where a non-map is reported.
  Map map(const YAML::Node& n, const std::string& path, const std::vector<std::string>& allowed,
          const YAML::Node* key_node = nullptr) const;

  // The checked sub-map under `key`, if present.
  std::optional<Map> child(const Map& m, const std::string& key,
                           const std::vector<std::string>& allowed) const;

  static const Entry* find(const Map& m, const std::string& key);
  const Entry& require(const Map& m, const std::string& key) const;

  // Each get() leaves `out` untouched when the key is absent (the default stands) and returns
  // whether it was present. Numbers and booleans must be unquoted scalars.
  bool get(const Map& m, const std::string& key, int& out) const;
  bool get(const Map& m, const std::string& key, uint64_t& out) const;
  bool get(const Map& m, const std::string& key, bool& out) const;
  bool get(const Map& m, const std::string& key, double& out) const;
  bool get(const Map& m, const std::string& key, std::string& out) const;

  // Reads `v` as an int; errors name `key` and the line of `at`.
  int to_int(const YAML::Node& v, const YAML::Node& at, const std::string& key) const;

  // "key 'KEY' must be WHAT (got ...)" at the line of `at`.
  [[noreturn]] void type_error(const YAML::Node& v, const YAML::Node& at, const std::string& key,
                               const std::string& what) const;

  // " (got nothing)", " (got a list)", " (got a map)" or " (got 'SCALAR')".
  static std::string got(const YAML::Node& n);

 private:
  // An unquoted scalar: a quoted "5" is a string, not a number.
  std::string plain_scalar(const YAML::Node& v, const YAML::Node& at, const std::string& key,
                           const std::string& what) const;

  std::string origin_;
  std::string context_;
};

}  // namespace detail
}  // namespace eyeriss
