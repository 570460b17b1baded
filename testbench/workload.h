// The workload YAML: a network as a list of layers, with optional tensors from .npy files and
// the settings used to generate data when none are given. Contract in README.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/layer.h"
#include "models/mapper/mapping.h"

namespace eyeriss {

struct LayerSpec {
  Layer layer;                  // shape, stride, pad, shift, pool
  std::string weights_path;     // absolute path or empty (generate)
  std::string iacts_path;       // absolute path or empty (previous layer's output, or generate)
  double weight_density = 1.0;  // fraction of nonzero weights when generating
  double iact_density = 1.0;    // fraction of nonzero iacts when generating (first layer only)
  bool signed_iacts = false;    // generated iacts are int8 instead of uint8
  // Optional weight value range for generation (inclusive), default [-128, 127].
  int weight_min = -128;
  int weight_max = 127;
  // The graph (docs/workloads.md, "Graphs"). `inputs`: the earlier layers whose outputs,
  // concatenated along channels in this order, are this layer's iacts; the parser fills in the
  // previous layer when the `input` key is absent (the chain), and leaves it empty for a layer
  // whose iacts are generated (the first) or read (`iacts`). A layer's output, as later layers
  // see it, is its requantized oacts plus the `residual` layer's output (saturating), then
  // pooled (`pool`). All of it runs on the host.
  std::vector<int> inputs;  // indices of earlier layers
  Pool input_pool;          // host-side pooling of the (concatenated) inputs
  int residual = -1;        // index of an earlier layer, or -1
  // A mapping pinned by the user (`mapping:` key): tile sizes (F0 = 0: as large as the psum
  // bank allows) and the sharing of iacts and weights between clusters. FC layers are mapped
  // as 1 x 1 convolutions over C*H*W input channels, so C0 counts those.
  std::optional<Mapping> pinned;
  // The PE mode pinned by the user (`mapping: {pe_mode: ...}`, alone or with tile sizes); Auto:
  // the architecture's mapper.pe_mode decides.
  PeMode pe_mode = PeMode::Auto;
};

struct Workload {
  std::string name;
  std::string source;  // the YAML file path, for messages
  uint64_t seed = 1;
  std::vector<LayerSpec> layers;
};

// Parses and validates a workload YAML file. Relative tensor paths resolve from the file's
// folder. Unknown keys, wrong types, impossible shapes: InputError naming file, layer and key.
Workload load_workload(const std::string& path);
// Same from text; `dir` resolves relative paths, `origin` names the source in messages.
Workload parse_workload(const std::string& yaml_text, const std::string& origin,
                        const std::string& dir);

}  // namespace eyeriss
