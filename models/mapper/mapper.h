// The RS+ mapper: enumerates tile sizes (M0, C0, F0), checks them against the SPad and GLB
// capacities using the layer's actual nonzero counts (sparsity-aware), ranks the ones that fit
// with an analytical estimate and emits the chosen program. Pure C++.
#pragma once
#include <string>

#include "models/common/arch_config.h"
#include "models/common/tensor.h"
#include "models/mapper/mapping.h"

namespace eyeriss {

// FC layers run as 1 x 1 convolutions over C*H*W channels (same weight and iact memory order).
Layer mapped_view(const Layer& l);

// The mode a layer runs in: Auto resolves to the architecture's mapper.pe_mode if it names one,
// else to the PE's own kind (sparse if the PE is sparse); Sparse on a dense PE is a MappingError.
PeMode resolve_pe_mode(const ArchConfig& a, PeMode m);
// The architecture as one layer sees it in mode `m`: a sparse PE in dense mode behaves, for
// every capacity and encoding, like a dense PE (raw data, address SPads gated).
ArchConfig mode_arch(const ArchConfig& a, PeMode m);

// Maps `l` (already a mapped view) with its actual weights [M][C/G][R][S] and iacts
// [N][C][H][W]: tile sizes and, on a sparse PE, the PE mode (sparse or dense), all ranked by
// one estimate; between equal estimates the mode whose encoding of the layer's data is smaller.
// Throws MappingError naming the layer and the capacity that no mapping meets.
LayerProgram map_layer(const Layer& l, const ArchConfig& arch, const Int8Tensor& weights,
                       const ActTensor& iacts);

// mapping_fit, build_program and plan_program take the chip's architecture and apply the
// mapping's PE mode themselves (mode_arch; Auto: the PE's own kind).

// Checks a mapping against every capacity (SPads with the actual nonzero counts, GLB psum
// bank, psum-chain span). Returns "" if it fits, else which capacity is exceeded and by what.
std::string mapping_fit(const Layer& l, const ArchConfig& arch, const Int8Tensor& weights,
                        const ActTensor& iacts, const Mapping& m);

// Bits a layer program reads from off-chip memory: the iact streams not served from a GLB copy
// and every weight block a weight channel fetches, as the links carry them (CSC or raw).
uint64_t offchip_read_bits(const LayerProgram& prog, const ArchConfig& arch,
                           const Int8Tensor& weights);

// The whole program for a mapping that fits (build_program, then plan_program). An Auto task
// order builds both orders and keeps the one that reads fewer bits from off-chip (the iact
// reuse order on a tie). Sets LayerProgram::offchip_read_bits.
LayerProgram program_for(const Layer& l, const ArchConfig& arch, const Int8Tensor& weights,
                         const ActTensor& iacts, const Mapping& m);

// The schedule (row tasks, reduction items, passes and steps) for a mapping that fits.
LayerProgram build_program(const Layer& l, const ArchConfig& arch, const Mapping& m);

// Completes a schedule into the program every block executes (program.h): sharing between
// clusters, static router settings, GLB iact policy, per-block order lists. `iacts` are the
// layer's actual iacts (stream sizes for the GLB policy).
void plan_program(LayerProgram& prog, const ArchConfig& arch, const ActTensor& iacts);

// CSC entries (nonzeros plus explicit zeros) of one column given as a strided sequence.
int csc_entries(const int16_t* v, int n, int stride, int max_count);

}  // namespace eyeriss
