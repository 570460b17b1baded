#!/usr/bin/env python3
"""Imports an ONNX model as an eyeriss-sim graph workload (docs/workloads.md, "ONNX import").

Usage: scripts/onnx_import.py MODEL.onnx --out DIR [--name NAME] [--calib-seed N]
                              [--psum-bits B]

Writes DIR/NAME.yaml, one int8 weight file per layer (DIR/<layer>.weights.npy, [M][C/G][R][S];
FC [M][C][H][W]) and the calibration input DIR/NAME.input.npy (uint8 [N][C][H][W]), which the
first layer reads as its iacts, so the simulator runs the network on the calibration input.

Supported ops: Conv, Gemm (after Flatten, or after another Gemm), Relu, MaxPool, AveragePool,
GlobalAveragePool, Concat (channels), Add (of two layer outputs), Flatten, Identity, Dropout.
Anything else (QuantizeLinear, QLinearConv, BatchNormalization, ...) is refused with the node's
name and op type.

Quantization (a workload faithful in shapes and data flow, not in accuracy):
- weights: per layer symmetric int8, scale = max|w| / 127, w_q = round(w / scale);
- biases: dropped (the chip has no bias); the YAML lists the layers that had one;
- requantization: oact = clamp(max(psum, 0) >> shift, 0, 255), the chip's, so every layer has
  a ReLU even where the ONNX graph has none (listed in the YAML); the shift of each layer is the
  smallest for which at most 0.1 % of its outputs saturate at 255 on the calibration input
  (uint8 uniform in [0, 255] from --calib-seed), in graph order, with psums wrapped to
  --psum-bits (20, the chip's) exactly as the chip does;
- Add: the later of the two layers gets `residual:` (its oacts plus the earlier layer's output,
  saturating, on the host); the two operands' scales are not aligned.
Exit codes: 0 written, 2 bad or unsupported model (nothing written).
"""
import argparse
import os
import re
import sys

import numpy as np

try:
    import onnx
    from onnx import numpy_helper, shape_inference
except ImportError:  # pragma: no cover - reported to the user
    sys.exit("onnx_import: the Python package 'onnx' is missing (Debian: apt-get install "
             "python3-onnx; scripts/setup.sh installs it)")

SUPPORTED = ["Conv", "Gemm", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Concat",
             "Add", "Flatten", "Identity", "Dropout"]
SATURATION = 0.001  # largest fraction of a layer's outputs allowed at 255 when picking the shift


class ImportError_(Exception):
    """A model this importer cannot turn into a workload (exit 2)."""


def fail(node, why):
    raise ImportError_(f"node '{node.name or '(unnamed)'}' (op {node.op_type}): {why}")


# Integer arithmetic, the chip's and the golden model's (testbench/golden.cpp).
def wrap(v, bits):
    m = 1 << bits
    r = v & (m - 1)
    return np.where(r >= m // 2, r - m, r)


def conv_int(x, w, groups, stride, pad):
    """x [N][C][H][W] (ints), w [M][C/G][R][S] -> int64 psums [N][M][E][F]."""
    n, c, h, wd = x.shape
    m, cg, r, s = w.shape
    e, f = (h + 2 * pad - r) // stride + 1, (wd + 2 * pad - s) // stride + 1
    xp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad), np.int64)
    xp[:, :, pad:pad + h, pad:pad + wd] = x
    xg = xp.reshape(n, groups, cg, h + 2 * pad, wd + 2 * pad)
    wg = w.astype(np.int64).reshape(groups, m // groups, cg, r, s)
    out = np.zeros((n, groups, m // groups, e, f), np.int64)
    for i in range(r):
        for j in range(s):
            tap = xg[:, :, :, i:i + stride * (e - 1) + 1:stride, j:j + stride * (f - 1) + 1:stride]
            out += np.einsum("ngcef,gmc->ngmef", tap, wg[:, :, :, i, j])
    return out.reshape(n, m, e, f)


def pool_int(x, p):
    """Host-side pooling with zero padding; average = floor(sum / size^2)."""
    if p is None:
        return x
    n, c, h, w = x.shape
    k, st, pad = p["size"], p["stride"], p["pad"]
    xp = np.zeros((n, c, h + 2 * pad, w + 2 * pad), np.int64)
    xp[:, :, pad:pad + h, pad:pad + w] = x
    ho, wo = (h + 2 * pad - k) // st + 1, (w + 2 * pad - k) // st + 1
    taps = [xp[:, :, a:a + st * (ho - 1) + 1:st, b:b + st * (wo - 1) + 1:st]
            for a in range(k) for b in range(k)]
    stack = np.stack(taps)
    out = stack.max(0) if p["type"] == "max" else stack.sum(0) // (k * k)
    return out.astype(np.uint8)


def requantize(psum, shift):
    return np.clip(np.maximum(psum, 0) >> shift, 0, 255).astype(np.uint8)


def pick_shift(psum):
    """Smallest shift with at most SATURATION of the outputs at 255."""
    limit = SATURATION * psum.size
    for shift in range(32):
        if np.count_nonzero((psum >> shift) >= 255) <= limit:
            return shift
    return 31


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def pool_attrs(node, a, kind):
    """A MaxPool / AveragePool node as a host pool: square kernel, one stride and one pad."""
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        fail(node, "auto_pad is not supported (give explicit pads)")
    if a.get("ceil_mode", 0):
        fail(node, "ceil_mode = 1 is not supported (the host pool rounds down; use pads)")
    if any(d != 1 for d in a.get("dilations", [1, 1])):
        fail(node, "dilated pooling is not supported")
    k = list(a["kernel_shape"])
    st = list(a.get("strides", [1, 1]))
    pads = list(a.get("pads", [0, 0, 0, 0]))
    if len(k) != 2 or k[0] != k[1] or st[0] != st[1] or len(set(pads)) != 1:
        fail(node, f"needs a square 2-D kernel, equal strides and equal pads (kernel {k}, "
                   f"strides {st}, pads {pads})")
    if pads[0] >= k[0]:
        fail(node, f"pad {pads[0]} must be smaller than the kernel {k[0]}")
    if kind == "avg" and pads[0] and not a.get("count_include_pad", 0):
        fail(node, "padded AveragePool needs count_include_pad = 1 (the host average divides "
                   "by size^2, padding zeros included)")
    return {"type": kind, "size": k[0], "stride": st[0], "pad": pads[0]}


class Value:
    """An ONNX tensor as the workload sees it: the image, or the concatenation of layer outputs
    (by index, at a version: an Add bumps its layer's version), optionally pooled on the host,
    optionally flattened (for Gemm). `data` is its uint8 value on the calibration input."""

    def __init__(self, data, parts=None, versions=None, pool=None, flat=False, image=False):
        self.data, self.parts, self.versions = data, parts or [], versions or []
        self.pool, self.flat, self.image = pool, flat, image


class Importer:
    def __init__(self, model, name, seed, psum_bits):
        self.model, self.name, self.psum_bits = model, name, psum_bits
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        self.values = {}
        self.layers = []
        self.names = set()

    def layer_name(self, node):
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", node.name or "") or f"{node.op_type.lower()}"
        base = base.strip(".") or node.op_type.lower()
        name, k = base[:190], 1
        while name in self.names:
            k += 1
            name = f"{base[:180]}_{k}"
        self.names.add(name)
        return name

    def value(self, node, tensor):
        if tensor not in self.values:
            fail(node, f"input '{tensor}' is not produced by a supported node or the graph input")
        return self.values[tensor]

    def weight(self, node, tensor):
        if tensor not in self.init:
            fail(node, f"weight '{tensor}' must be an initializer (constant)")
        w = self.init[tensor]
        if w.dtype.kind != "f":
            fail(node, f"weight '{tensor}' has dtype {w.dtype}; float weights are expected "
                       "(quantized models, QLinearConv, are not supported)")
        return w.astype(np.float64)

    def consume(self, node, v):
        """A node reads `v`: its layers must still be at the version it saw."""
        for j, ver in zip(v.parts, v.versions):
            L = self.layers[j]
            if L["version"] != ver:
                fail(node, f"reads layer '{L['name']}' from before an Add changed its output; "
                           "a layer output used both with and without the add is not supported")
            L["consumed"].add(ver)

    def run(self):
        g = self.model.graph
        inputs = [i for i in g.input if i.name not in self.init]
        if len(inputs) != 1:
            raise ImportError_(f"the graph needs exactly one non-constant input (has "
                               f"{len(inputs)})")
        dims = [d.dim_value if d.HasField("dim_value") else None
                for d in inputs[0].type.tensor_type.shape.dim]
        if len(dims) != 4 or any(d is None for d in dims[1:]):
            raise ImportError_(f"input '{inputs[0].name}' must be [N][C][H][W] with static C, H, "
                               f"W (got {dims})")
        shape = [dims[0] or 1] + dims[1:]
        self.image = self.rng.integers(0, 256, size=shape, dtype=np.uint8)
        self.values[inputs[0].name] = Value(self.image, image=True)
        for node in g.node:
            if node.op_type not in SUPPORTED:
                fail(node, "unsupported op; supported: " + ", ".join(SUPPORTED))
            getattr(self, "op_" + node.op_type)(node, attrs(node))
        if not self.layers:
            raise ImportError_("the graph has no Conv or Gemm node: nothing to run on the chip")

    # --- layers -------------------------------------------------------------------------
    def add_layer(self, node, v, ltype, w_q, scale, geometry, bias):
        if v.image and v.pool is not None:
            fail(node, "pooling the graph input on the host is not supported")
        x = pool_int(v.data if v.image else
                     np.concatenate([self.layers[j]["out"] for j in v.parts], axis=1), v.pool)
        if not v.image:
            self.consume(node, v)
        n, c, h, w = x.shape
        raw = conv_int(x, w_q, geometry["G"], geometry["stride"], geometry["pad"])
        psum = wrap(raw, self.psum_bits)
        shift = pick_shift(psum)
        oact = requantize(psum, shift)
        name = self.layer_name(node)
        L = dict(name=name, node=node.name or "(unnamed)", op=node.op_type, type=ltype, N=n,
                 C=c, H=h, W=w, M=w_q.shape[0], R=w_q.shape[2], S=w_q.shape[3], shift=shift,
                 scale=scale, bias=bias, relu=False, version=0, consumed=set(), oact=oact,
                 out=oact, residual=None, wrapped=int(np.count_nonzero(psum != raw)), **geometry)
        L["weights"] = f"{name}.weights.npy"
        L["w_q"] = w_q
        if v.image:
            L["iacts"] = f"{self.name}.input.npy"
        else:
            L["input"] = [self.layers[j]["name"] for j in v.parts]
            L["input_pool"] = v.pool
        self.layers.append(L)
        idx = len(self.layers) - 1
        self.values[node.output[0]] = Value(oact, [idx], [0])

    @staticmethod
    def quantize(w):
        peak = float(np.abs(w).max())
        scale = peak / 127 if peak > 0 else 1.0
        return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale

    def op_Conv(self, node, a):
        v = self.value(node, node.input[0])
        if v.flat:
            fail(node, "a Conv after Flatten is not supported")
        w = self.weight(node, node.input[1])
        if w.ndim != 4:
            fail(node, f"only 2-D convolutions are supported (weight shape {list(w.shape)})")
        if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            fail(node, "auto_pad is not supported (give explicit pads)")
        if any(d != 1 for d in a.get("dilations", [1, 1])):
            fail(node, "dilated convolution is not supported")
        st = list(a.get("strides", [1, 1]))
        pads = list(a.get("pads", [0, 0, 0, 0]))
        if st[0] != st[1] or len(set(pads)) != 1:
            fail(node, f"needs equal strides and equal pads on all sides (strides {st}, pads "
                       f"{pads}): the chip's layer has one stride and one pad")
        G = int(a.get("group", 1))
        c = v.data.shape[1]
        m = w.shape[0]
        if c != w.shape[1] * G:
            fail(node, f"weight shape {list(w.shape)} does not match {c} input channels and "
                       f"group {G}")
        ltype = "depthwise" if G > 1 and G == c == m else "conv"
        w_q, scale = self.quantize(w)
        self.add_layer(node, v, ltype, w_q, scale, dict(G=G, stride=st[0], pad=pads[0]),
                       len(node.input) > 2 and node.input[2] != "")

    def op_Gemm(self, node, a):
        v = self.value(node, node.input[0])
        if a.get("transA", 0):
            fail(node, "transA = 1 is not supported")
        alpha = float(a.get("alpha", 1.0))
        if alpha <= 0:
            fail(node, f"alpha = {alpha} must be positive")
        n, c, h, w = v.data.shape  # after any host pool
        if not (v.flat or (h == 1 and w == 1)):
            fail(node, "a Gemm reads a Flatten output or a [N][K] layer output")
        b = self.weight(node, node.input[1]) * alpha
        if a.get("transB", 0) == 0:
            b = b.T  # [K][M] -> [M][K]
        if b.ndim != 2 or b.shape[1] != c * h * w:
            fail(node, f"weight shape {list(b.shape)} (as [M][K]) does not match K = C*H*W = "
                       f"{c}*{h}*{w}")
        w_q, scale = self.quantize(b.reshape(b.shape[0], c, h, w))
        self.add_layer(node, Value(v.data, v.parts, v.versions, v.pool, image=v.image), "fc",
                       w_q, scale, dict(G=1, stride=1, pad=0),
                       len(node.input) > 2 and node.input[2] != "")

    # --- host-side ops -------------------------------------------------------------------
    def op_Relu(self, node, a):
        v = self.value(node, node.input[0])
        # The chip's requantization already clamps at 0; a ReLU after it changes nothing.
        for j in v.parts:
            self.layers[j]["relu"] = True
        self.values[node.output[0]] = v

    def op_Identity(self, node, a):
        self.values[node.output[0]] = self.value(node, node.input[0])

    op_Dropout = op_Identity  # inference: the identity

    def op_Flatten(self, node, a):
        v = self.value(node, node.input[0])
        if a.get("axis", 1) != 1:
            fail(node, "only axis = 1 is supported")
        self.values[node.output[0]] = Value(v.data, v.parts, v.versions, v.pool, True, v.image)

    def pooled(self, node, v, p):
        if v.flat:
            fail(node, "pooling after Flatten is not supported")
        if v.pool is not None:
            fail(node, "two pools in a row on one value are not supported")
        if v.image:
            fail(node, "pooling the graph input on the host is not supported")
        h, w = v.data.shape[2:]
        if p["size"] > h + 2 * p["pad"] or p["size"] > w + 2 * p["pad"]:
            fail(node, f"kernel {p['size']} is larger than the input {h} x {w} plus padding")
        self.values[node.output[0]] = Value(pool_int(v.data, p), v.parts, v.versions, p)

    def op_MaxPool(self, node, a):
        if len(node.output) > 1 and node.output[1]:
            fail(node, "the Indices output is not supported")
        self.pooled(node, self.value(node, node.input[0]), pool_attrs(node, a, "max"))

    def op_AveragePool(self, node, a):
        self.pooled(node, self.value(node, node.input[0]), pool_attrs(node, a, "avg"))

    def op_GlobalAveragePool(self, node, a):
        v = self.value(node, node.input[0])
        h, w = v.data.shape[2:]
        if h != w:
            fail(node, f"needs a square input (got {h} x {w})")
        self.pooled(node, v, {"type": "avg", "size": h, "stride": h, "pad": 0})

    def op_Concat(self, node, a):
        vs = [self.value(node, t) for t in node.input]
        if a.get("axis") not in (1, -3):
            fail(node, f"only channel concatenation (axis 1) is supported (axis {a.get('axis')})")
        if any(v.image or v.flat for v in vs):
            fail(node, "concatenating the graph input or a flattened value is not supported")
        if any(v.pool != vs[0].pool for v in vs):
            fail(node, "the inputs are pooled differently on the host: not supported")
        if len({v.data.shape[2:] for v in vs}) != 1:
            fail(node, "inputs differ in H or W")
        self.values[node.output[0]] = Value(
            np.concatenate([v.data for v in vs], axis=1), sum([v.parts for v in vs], []),
            sum([v.versions for v in vs], []), vs[0].pool)

    def op_Add(self, node, a):
        vs = [self.value(node, t) for t in node.input]
        if any(len(v.parts) != 1 or v.pool is not None or v.flat or v.image for v in vs):
            fail(node, "each operand must be one Conv/Gemm output (optionally through Relu), "
                       "not pooled, concatenated or the graph input")
        (i, vi), (j, vj) = sorted([(vs[0].parts[0], vs[0]), (vs[1].parts[0], vs[1])],
                                  key=lambda t: t[0])
        if i == j:
            fail(node, "adds a layer output to itself")
        L, E = self.layers[j], self.layers[i]
        if vi.data.shape != vj.data.shape:
            fail(node, f"operand shapes {list(vi.data.shape)} and {list(vj.data.shape)} differ")
        self.consume(node, vi)
        if L["version"] != vj.versions[0]:
            fail(node, f"layer '{L['name']}' already has a residual add")
        if L["version"] in L["consumed"] or L["residual"] is not None:
            fail(node, f"layer '{L['name']}' output is also read without the add: not supported")
        L["residual"] = E["name"]
        L["out"] = np.minimum(L["oact"].astype(np.int64) + E["out"], 255).astype(np.uint8)
        L["version"] += 1
        self.values[node.output[0]] = Value(L["out"], [j], [L["version"]])

    # --- output ------------------------------------------------------------------------------
    def write(self, out_dir, model_path):
        os.makedirs(out_dir, exist_ok=True)
        np.save(os.path.join(out_dir, f"{self.name}.input.npy"), self.image)
        for L in self.layers:
            np.save(os.path.join(out_dir, L["weights"]), np.ascontiguousarray(L["w_q"]))
        biased = [L["name"] for L in self.layers if L["bias"]]
        no_relu = [L["name"] for L in self.layers if not L["relu"]]
        wrapped = [L["name"] for L in self.layers if L["wrapped"]]
        lines = [f"# Imported from {os.path.basename(model_path)} by scripts/onnx_import.py "
                 f"(calibration seed {self.seed}, {self.psum_bits}-bit psums).",
                 "# Weights: per layer symmetric int8 (scale = max|w| / 127). Shift: the smallest "
                 f"with <= {SATURATION:.1%} of",
                 "# the outputs at 255 on the calibration input (the first layer's iacts file).",
                 "# Biases dropped (the chip has none): " + (", ".join(biased) or "none") + ".",
                 "# ReLU added where the ONNX graph has none (the chip's requantization clamps "
                 "at 0): " + (", ".join(no_relu) or "none") + ".",
                 "# Psums wrapped at the chip's width on the calibration input: " +
                 (", ".join(wrapped) or "none") + ".",
                 f"name: {self.name}", "seed: 1", "layers:"]
        for L in self.layers:
            lines.append(f"  - name: {L['name']}   # ONNX node '{L['node']}' ({L['op']}), "
                         f"weight scale {L['scale']:.6g}")
            lines.append(f"    type: {L['type']}")
            keys = ["N", "C", "M", "G", "H", "W", "R", "S", "stride", "pad", "shift"]
            if L["type"] == "fc":
                keys = ["N", "C", "M", "H", "W", "shift"]
            for k in keys:
                lines.append(f"    {k}: {L[k]}")
            lines.append(f"    weights: {L['weights']}")
            if "iacts" in L:
                lines.append(f"    iacts: {L['iacts']}")
            else:
                lines.append("    input: [" + ", ".join(L["input"]) + "]")
                if L["input_pool"]:
                    p = L["input_pool"]
                    lines.append(f"    input_pool: {{type: {p['type']}, size: {p['size']}, "
                                 f"stride: {p['stride']}, pad: {p['pad']}}}")
            if L["residual"]:
                lines.append(f"    residual: {L['residual']}")
        with open(os.path.join(out_dir, f"{self.name}.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
        return no_relu, biased, wrapped


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--name", help="workload name (default: the model file's stem)")
    ap.add_argument("--calib-seed", type=int, default=1, help="seed of the calibration input")
    ap.add_argument("--psum-bits", type=int, default=20, help="the chip's psum width")
    args = ap.parse_args(argv)
    name = args.name or os.path.splitext(os.path.basename(args.model))[0]
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,150}", name) or not name.strip("."):
        print(f"onnx_import: --name '{name}' must be letters, digits, '_', '-', '.'",
              file=sys.stderr)
        return 2
    try:
        model = onnx.load(args.model)
        onnx.checker.check_model(model)
        model = shape_inference.infer_shapes(model)
    except Exception as e:  # onnx raises several types for unreadable or invalid models
        print(f"onnx_import: {args.model}: not a valid ONNX model: {e}", file=sys.stderr)
        return 2
    imp = Importer(model, name, args.calib_seed, args.psum_bits)
    try:
        imp.run()
    except ImportError_ as e:
        print(f"onnx_import: {args.model}: {e}", file=sys.stderr)
        return 2
    no_relu, biased, wrapped = imp.write(args.out, args.model)
    for what, names in (("biases dropped", biased), ("ReLU added", no_relu),
                        ("psums wrapped on the calibration input", wrapped)):
        if names:
            print(f"onnx_import: warning: {what}: {', '.join(names)}", file=sys.stderr)
    print(f"onnx_import: {len(imp.layers)} layers -> {os.path.join(args.out, name + '.yaml')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
