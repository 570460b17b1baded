// Error types shared by every layer of the model. Bad input (files, YAML, shapes) is an
// InputError: the CLI reports it and exits with code 2. Anything else is a model bug.
#pragma once
#include <stdexcept>
#include <string>

namespace eyeriss {

// A user-facing problem with the input: the message names the file, key or layer and what was
// expected.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

// A layer or pinned mapping that cannot be placed on the configured architecture.
class MappingError : public InputError {
 public:
  explicit MappingError(const std::string& what) : InputError(what) {}
};

// A bug or a stuck state of the model itself (deadlock, broken invariant): exit code 3.
class ModelError : public std::runtime_error {
 public:
  explicit ModelError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace eyeriss
