// NumPy .npy file I/O (format versions 1.0, 2.0 and 3.0; little-endian, C order), written
// in-house so the model depends only on the standard library. Every problem with a file is an
// InputError naming the path, what was being loaded and what was expected vs found.
#pragma once
#include <string>
#include <vector>

#include "models/common/tensor.h"

namespace eyeriss {

// Loads iacts: dtype must be |u1 (uint8 -> is_signed=false) or |i1 (int8 -> is_signed=true);
// shape must equal expected_shape. `what` describes the tensor for messages, e.g.
// "layer 'conv1' iacts".
ActTensor load_npy_acts(const std::string& path, const std::vector<int>& expected_shape,
                        const std::string& what);

// Loads int8 weights: dtype must be |i1; shape must equal expected_shape.
Int8Tensor load_npy_int8(const std::string& path, const std::vector<int>& expected_shape,
                         const std::string& what);

// Writers: int32 as '<i4', uint8 as '|u1', int8 as '|i1' (format 1.0, or 2.0 if the header
// needs it). Throw InputError if the file cannot be written.
void save_npy(const std::string& path, const Int32Tensor& t);
void save_npy(const std::string& path, const Uint8Tensor& t);
void save_npy(const std::string& path, const Int8Tensor& t);
// Writes |u1 or |i1 per is_signed. A value outside that 8-bit range is a model bug and throws
// std::out_of_range (nothing is written).
void save_npy(const std::string& path, const ActTensor& t);

}  // namespace eyeriss
