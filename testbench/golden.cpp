#include "testbench/golden.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace eyeriss::golden {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("golden: " + what); }

// v modulo 2^bits as a signed value in [-2^(bits-1), 2^(bits-1)).
int32_t wrap(int64_t v, int bits) {
  const int64_t modulus = int64_t{1} << bits;
  int64_t r = v & (modulus - 1);  // two's complement: the residue in [0, modulus)
  if (r >= modulus / 2) r -= modulus;
  return static_cast<int32_t>(r);
}

void check_layer(const Layer& l) {
  const std::string who = "layer '" + l.name + "': ";
  if (l.N < 1 || l.C < 1 || l.M < 1 || l.G < 1 || l.H < 1 || l.W < 1 || l.R < 1 || l.S < 1)
    fail(who + "N, C, M, G, H, W, R, S must all be >= 1");
  if (l.stride < 1 || l.pad < 0) fail(who + "needs stride >= 1 and pad >= 0");
  if (l.C % l.G != 0 || l.M % l.G != 0) fail(who + "C and M must be divisible by G");
  if (l.type == LayerType::Depthwise && !(l.G == l.C && l.C == l.M))
    fail(who + "depthwise needs G = C = M");
  if (l.type == LayerType::FC && (l.R != l.H || l.S != l.W || l.stride != 1 || l.pad != 0))
    fail(who + "fc needs R = H, S = W, stride 1, pad 0");
  if (l.H + 2 * l.pad < l.R || l.W + 2 * l.pad < l.S) fail(who + "filter larger than input");
}

void check_shape(const char* what, const std::vector<int>& got, const std::vector<int>& want) {
  if (got != want)
    fail(std::string(what) + " shape " + shape_str(got) + " does not match the layer's " +
         shape_str(want));
}

// For each filter tap k, the output positions [lo[k], hi[k]) whose input index
// o * stride - pad + k falls inside [0, in): padding taps are skipped instead of tested.
void tap_bounds(int in, int out, int taps, int stride, int pad, std::vector<int>& lo,
                std::vector<int>& hi) {
  lo.assign(taps, 0);
  hi.assign(taps, 0);
  for (int k = 0; k < taps; ++k) {
    const int first = std::max(0, pad - k);  // smallest o * stride that is in range
    lo[k] = std::min(out, (first + stride - 1) / stride);
    const int last = in - 1 + pad - k;  // largest o * stride that is in range
    hi[k] = last < 0 ? 0 : std::min(out, last / stride + 1);
    if (hi[k] < lo[k]) hi[k] = lo[k];
  }
}

}  // namespace

Int32Tensor conv(const Layer& l, const ActTensor& iacts, const Int8Tensor& weights, int psum_bits) {
  check_layer(l);
  if (psum_bits < 8 || psum_bits > 32)
    fail("psum_bits " + std::to_string(psum_bits) + " is outside [8, 32]");
  check_shape("iacts", iacts.t.shape(), {l.N, l.C, l.H, l.W});
  check_shape("weights", weights.shape(), {l.M, l.Cg(), l.R, l.S});
  const int vmin = iacts.is_signed ? -128 : 0;
  const int vmax = iacts.is_signed ? 127 : 255;
  for (int16_t v : iacts.t.values())
    if (v < vmin || v > vmax)
      fail("iact value " + std::to_string(v) + " is outside [" + std::to_string(vmin) + ", " +
           std::to_string(vmax) + "]");

  const int E = l.E(), F = l.F(), H = l.H, W = l.W, R = l.R, S = l.S;
  const int Cg = l.Cg(), Mg = l.Mg(), stride = l.stride, pad = l.pad;
  std::vector<int> e_lo, e_hi, f_lo, f_hi;
  tap_bounds(H, E, R, stride, pad, e_lo, e_hi);
  tap_bounds(W, F, S, stride, pad, f_lo, f_hi);

  Int32Tensor out({l.N, l.M, E, F});
  // Exact int64 sums over one output plane, wrapped once at the end (wrap is a ring morphism,
  // so wrapping at the end equals wrapping after every add).
  std::vector<int64_t> acc(static_cast<std::size_t>(E) * F);
  for (int n = 0; n < l.N; ++n) {
    for (int m = 0; m < l.M; ++m) {
      const int g = m / Mg;
      std::fill(acc.begin(), acc.end(), 0);
      for (int cg = 0; cg < Cg; ++cg) {
        const int16_t* in = iacts.t.data() + iacts.t.offset(n, g * Cg + cg, 0, 0);
        const int8_t* wt = weights.data() + weights.offset(m, cg, 0, 0);
        for (int r = 0; r < R; ++r) {
          for (int s = 0; s < S; ++s) {
            const int w = wt[r * S + s];
            if (w == 0) continue;  // pruned weight: contributes nothing
            for (int e = e_lo[r]; e < e_hi[r]; ++e) {
              const int16_t* row = in + static_cast<std::ptrdiff_t>(e * stride - pad + r) * W;
              int64_t* a = acc.data() + static_cast<std::size_t>(e) * F;
              for (int f = f_lo[s]; f < f_hi[s]; ++f) a[f] += w * row[f * stride - pad + s];
            }
          }
        }
      }
      int32_t* o = out.data() + out.offset(n, m, 0, 0);
      for (std::size_t i = 0; i < acc.size(); ++i) o[i] = wrap(acc[i], psum_bits);
    }
  }
  return out;
}

Uint8Tensor requantize(const Int32Tensor& psums, int shift) {
  if (shift < 0 || shift > 31) fail("shift " + std::to_string(shift) + " is outside [0, 31]");
  Uint8Tensor out(psums.shape());
  const std::vector<int32_t>& p = psums.values();
  std::vector<uint8_t>& o = out.values();
  for (std::size_t i = 0; i < p.size(); ++i) {
    const int32_t v = p[i] > 0 ? (p[i] >> shift) : 0;
    o[i] = static_cast<uint8_t>(v > 255 ? 255 : v);
  }
  return out;
}

Uint8Tensor pool(const Uint8Tensor& x, const Pool& p) {
  if (p.type == Pool::Type::None) return x;
  if (x.rank() != 4) fail("pool input must be [N][C][H][W], got " + shape_str(x.shape()));
  const int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  if (p.size < 1 || p.stride < 1) fail("pool size and stride must be >= 1");
  if (p.pad < 0 || p.pad >= p.size) fail("pool pad must be in [0, size - 1]");
  if (p.size > H + 2 * p.pad || p.size > W + 2 * p.pad)
    fail("pool size " + std::to_string(p.size) + " is larger than the input " +
         shape_str(x.shape()) + " plus padding " + std::to_string(p.pad));
  const int Ho = p.out(H), Wo = p.out(W);
  const int area = p.size * p.size;
  Uint8Tensor out({N, C, Ho, Wo});
  for (int n = 0; n < N; ++n)
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < Ho; ++i)
        for (int j = 0; j < Wo; ++j) {
          // Padding taps hold 0: they add nothing to the sum and never win the max.
          int mx = 0;
          int64_t sum = 0;
          for (int a = 0; a < p.size; ++a) {
            const int h = i * p.stride - p.pad + a;
            if (h < 0 || h >= H) continue;
            for (int b = 0; b < p.size; ++b) {
              const int w = j * p.stride - p.pad + b;
              if (w < 0 || w >= W) continue;
              const int v = x.at(n, c, h, w);
              mx = std::max(mx, v);
              sum += v;
            }
          }
          // sum >= 0, so integer division is the floor.
          out.at(n, c, i, j) = static_cast<uint8_t>(p.type == Pool::Type::Max ? mx : sum / area);
        }
  return out;
}

Uint8Tensor concat_channels(const std::vector<const Uint8Tensor*>& parts) {
  if (parts.empty()) fail("concat of no tensors");
  for (const Uint8Tensor* t : parts)
    if (t->rank() != 4) fail("concat input must be [N][C][H][W], got " + shape_str(t->shape()));
  const int N = parts[0]->dim(0), H = parts[0]->dim(2), W = parts[0]->dim(3);
  int C = 0;
  for (const Uint8Tensor* t : parts) {
    if (t->dim(0) != N || t->dim(2) != H || t->dim(3) != W)
      fail("concat inputs " + shape_str(parts[0]->shape()) + " and " + shape_str(t->shape()) +
           " differ in N, H or W");
    C += t->dim(1);
  }
  Uint8Tensor out({N, C, H, W});
  const std::size_t plane = static_cast<std::size_t>(H) * W;
  uint8_t* o = out.data();
  // [N][C][H][W]: per image, each part's channels in order.
  for (int n = 0; n < N; ++n)
    for (const Uint8Tensor* t : parts) {
      const std::size_t count = static_cast<std::size_t>(t->dim(1)) * plane;
      const uint8_t* src = t->data() + static_cast<std::size_t>(n) * count;
      o = std::copy(src, src + count, o);
    }
  return out;
}

Uint8Tensor add_saturate(const Uint8Tensor& a, const Uint8Tensor& b) {
  if (a.shape() != b.shape())
    fail("add of different shapes " + shape_str(a.shape()) + " and " + shape_str(b.shape()));
  Uint8Tensor out(a.shape());
  const std::vector<uint8_t>& x = a.values();
  const std::vector<uint8_t>& y = b.values();
  std::vector<uint8_t>& o = out.values();
  for (std::size_t i = 0; i < x.size(); ++i)
    o[i] = static_cast<uint8_t>(std::min(x[i] + y[i], 255));
  return out;
}

}  // namespace eyeriss::golden
