#!/usr/bin/env python3
"""Writes the benchmark network workloads (MobileNet v1 0.5/128 and 1.0/224, AlexNet) in dense
and sparse variants, and the dense GoogLeNet (a graph workload). The YAML files are the source of truth; this script documents how they were made.

Usage: scripts/gen_networks.py  (rewrites workloads/*.yaml)
"""
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "workloads")

# MobileNet v1, width 0.5, 128x128 input (eyeriss-v2-facts.md, "Benchmarks used by the paper").
# (depthwise stride, pointwise output channels) for the 13 dw+pw pairs.
MB_PAIRS = [(1, 32), (2, 64), (1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (1, 256),
            (1, 256), (1, 256), (1, 256), (2, 512), (1, 512)]

# Sparse MobileNet, calibrated against "The sparse MobileNet (0.5, 128) as measured" in
# eyeriss-v2-facts.md so that every pointwise layer's effective MACs (weight and iact both
# nonzero) land within 5 % of the table; method and results in docs/workloads.md. Only workload
# data was adjusted (densities, weight ranges, shifts), never a timing constant.
# Pointwise weight densities: measured where the facts table gives them; for the layers the
# table marks inferred, a density inside the measured band (0.30-0.82) is kept and the iact
# density (= output density of the dw layer before) is calibrated to effective / nominal / w.
MB_SPARSE_PW = {
    1: 0.35,   # inferred layer: chosen; iact calibrated to 0.628 = 0.220 / 0.35
    2: 0.60,   # inferred layer: chosen; iact calibrated to 0.694 = 0.417 / 0.60
    3: 0.52,   # measured (facts PW3)
    4: 0.82,   # measured (facts PW4)
    5: 0.80,   # inferred layer: chosen; iact calibrated to 0.743 = 0.594 / 0.80
    6: 0.64,   # measured (facts PW6)
    7: 0.75,   # inferred layer: chosen; iact calibrated to 0.712 = 0.534 / 0.75
    8: 0.72,   # inferred layer: chosen; iact calibrated to 0.720 = 0.518 / 0.72
    9: 0.55,   # measured (facts PW9)
    10: 0.60,  # measured (facts PW10)
    11: 0.70,  # measured (facts PW11)
    12: 0.65,  # measured (facts PW12)
    13: 0.30,  # measured (facts PW13)
}
MB_SPARSE_PW_SOURCE = {i: ("measured (facts table)" if i in (3, 4, 6, 9, 10, 11, 12, 13) else
                           "inferred layer: chosen, iact calibrated") for i in MB_SPARSE_PW}
# FC: inferred layer (95,443 effective MACs, 0.186 of nominal). Its iacts are the 4x4 average
# pool of pw13's output (density 0.574 after flooring), so 0.186 / 0.574 = 0.325.
MB_SPARSE_FC = 0.325
MB_SPARSE_CONV1 = 1.0  # measured: effective = nominal in the facts table (dense image too)
MB_SPARSE_DW = 0.95    # measured for DW10; all depthwise layers kept nearly dense

# Sparse MobileNet requantization: per layer (weight_range min, max, shift, why). Only the input
# image is generated; every later layer's iact density is the previous layer's output density,
# oact = clamp(max(psum, 0) >> shift, 0, 255), set by that layer's weight_range (a positive bias
# makes more psums positive -> denser after ReLU) and its shift (a larger shift zeroes small
# outputs -> sparser). All values calibrated with `eyeriss-sim inspect` (docs/workloads.md):
# - dwK: output density = pwK's iact density target = effective / nominal / weight density; for
#   the layers with a measured iact density capped at 3.5 % above it (binds for PW3, PW10,
#   PW13, where the facts' weight x iact product falls short of the measured effective MACs).
# - conv1, pwK: output density = dwK+1's iact density. Only DW10's (0.49) is measured; 0.49 is
#   the starting point and it is raised (in 0.02 steps) only as far as the next dw layer needs
#   to reach its own target: a pointwise layer whose output channels are wholly zero (negative
#   weight sum) leaves those dw channels dead, so a dense dw output needs a denser input.
# - Among (range, shift) pairs hitting the density, the smallest shift whose output saturation
#   is <= 1 % (bias as small as possible). No psum reaches the 20-bit wrap (checked: densities
#   and effective MACs identical with 32-bit psums).
MB_SPARSE_Q = {
    "conv1": (-128, 120, 9, "calibrated: output 0.49 (dw1 iact), sat <= 1 %"),
    "dw1": (-67, 127, 8, "calibrated: output 0.63 = pw1 iact (0.220 / 0.35)"),
    "pw1": (-88, 127, 9, "calibrated: output 0.51 (dw2 iact), lowest that lets dw2 reach 0.69"),
    "dw2": (51, 127, 7, "calibrated: output 0.69 = pw2 iact (0.417 / 0.60)"),
    "pw2": (-94, 127, 8, "calibrated: output 0.71 (dw3 iact), lowest that lets dw3 reach 0.76"),
    "dw3": (14, 127, 9, "calibrated: output 0.76 = pw3 iact (facts 0.73, +3.5 % for eff MACs)"),
    "pw3": (-95, 127, 10, "calibrated: output 0.87 (dw4 iact), lowest that lets dw4 reach 0.87"),
    "dw4": (45, 127, 9, "calibrated: output 0.87 = pw4 iact (facts 0.86; 0.715 / 0.82)"),
    "pw4": (-111, 127, 10, "calibrated: output 0.75 (dw5 iact), lowest that lets dw5 reach 0.74"),
    "dw5": (-27, 127, 8, "calibrated: output 0.74 = pw5 iact (0.594 / 0.80)"),
    "pw5": (-104, 127, 10, "calibrated: output 0.87 (dw6 iact), lowest that lets dw6 reach 0.85"),
    "dw6": (-39, 127, 9, "calibrated: output 0.85 = pw6 iact (facts 0.83; 0.546 / 0.64)"),
    "pw6": (-115, 127, 9, "calibrated: output 0.71 (dw7 iact), lowest that lets dw7 reach 0.71"),
    "dw7": (-29, 127, 9, "calibrated: output 0.71 = pw7 iact (0.534 / 0.75)"),
    "pw7": (-118, 127, 10, "calibrated: output 0.73 (dw8 iact), lowest that lets dw8 reach 0.72"),
    "dw8": (-38, 127, 9, "calibrated: output 0.72 = pw8 iact (0.518 / 0.72)"),
    "pw8": (-121, 127, 9, "calibrated: output 0.61 (dw9 iact), lowest that lets dw9 reach 0.63"),
    "dw9": (-18, 127, 9, "calibrated: output 0.63 = pw9 iact (facts 0.61; 0.347 / 0.55)"),
    "pw9": (-119, 127, 10, "calibrated: output 0.65 (dw10 iact; facts 0.49, too sparse for dw10 "
                           "to reach 0.66 here)"),
    "dw10": (-38, 127, 8, "calibrated: output 0.66 = pw10 iact (facts 0.64, +3.5 % for eff MACs)"),
    "pw10": (-122, 127, 12, "calibrated: output 0.59 (dw11 iact), lowest that lets dw11 reach "
                            "0.62"),
    "dw11": (-24, 127, 7, "calibrated: output 0.62 = pw11 iact (facts 0.61; 0.434 / 0.70)"),
    "pw11": (-118, 127, 11, "calibrated: output 0.67 (dw12 iact), lowest that lets dw12 reach "
                            "0.70"),
    "dw12": (69, 127, 8, "calibrated: output 0.70 = pw12 iact (facts 0.68; 0.452 / 0.65)"),
    "pw12": (-122, 127, 11, "calibrated: output 0.57 (dw13 iact), lowest that lets dw13 reach "
                            "0.60"),
    "dw13": (-19, 127, 7, "calibrated: output 0.60 = pw13 iact (facts 0.58, +3.5 % for eff MACs)"),
    "pw13": (-127, 127, 10, "calibrated: output 0.49 (as DW10's input), sat <= 1 %"),
    "fc": (-126, 127, 9, "calibrated: output 0.49 like the others, sat <= 1 % (last layer)"),
}

# Requantization shifts of the dense MobileNet, chosen so that outputs neither vanish nor
# saturate (inspect with `eyeriss-sim inspect`). Per layer name; default 8.
MB_SHIFT = {}


def mobilenet(sparse, width=0.5, res=128):
    """MobileNet v1 at a width multiplier (channels scale with it) and input resolution. The
    sparse variant's densities and requantization were calibrated for 0.5/128 (above); other
    sizes reuse them per layer, with the shift raised by log2(width / 0.5) so psums that sum
    over more input channels land in the same output range (an assumption, not calibrated)."""
    L = []
    def add(**kw):
        L.append(kw)
    scale = width / 0.5
    h = res
    add(name="conv1", type="conv", C=3, M=int(16 * scale), H=h, W=h, R=3, S=3, stride=2, pad=1,
        density=MB_SPARSE_CONV1 if sparse else 1.0, src="dense (effective = nominal)")
    h = res // 2
    c = int(16 * scale)
    for i, (st, m) in enumerate(MB_PAIRS, start=1):
        m = int(m * scale)
        add(name=f"dw{i}", type="depthwise", C=c, M=c, G=c, H=h, W=h, R=3, S=3, stride=st,
            pad=1, density=MB_SPARSE_DW if sparse else 1.0, src="nearly dense (DW10: 0.95)")
        h = (h + 2 - 3) // st + 1
        pool = None
        if i == 13:  # global average pool: 4x4 at 128, 7x7 at 224
            pool = f"{{type: avg, size: {h}, stride: {h}}}"
        add(name=f"pw{i}", type="conv", C=c, M=m, H=h, W=h, R=1, S=1, stride=1, pad=0,
            density=MB_SPARSE_PW[i] if sparse else 1.0,
            src=(MB_SPARSE_PW_SOURCE.get(i, "calibrated") if sparse else "dense"), pool=pool)
        c = m
    add(name="fc", type="fc", C=c, M=1000, H=1, W=1, R=1, S=1, stride=1, pad=0,
        density=MB_SPARSE_FC if sparse else 1.0, src="calibrated" if sparse else "dense")
    extra_shift = round(math.log2(scale))
    if sparse:
        for l in L:
            if l["name"] in MB_SPARSE_Q:
                wmin, wmax, shift, why = MB_SPARSE_Q[l["name"]]
                l["weight_range"] = f"[{wmin}, {wmax}]"
                l["shift"] = shift + (extra_shift if l["type"] != "depthwise" else 0)
                l["q_src"] = why if scale == 1 else (
                    f"0.5/128 calibration reused, shift +{extra_shift} for {scale:g}x input "
                    "channels (assumption)" if l["type"] != "depthwise" else
                    "0.5/128 calibration reused (depthwise: channels do not add up)")
    elif scale != 1:
        for l in L:
            if l["type"] != "depthwise":
                l["shift"] = MB_SHIFT.get(l["name"], 8) + extra_shift
    return L


# AlexNet, the original two-group version (eyeriss-v2-facts.md): 724.4 M MACs.
# Sparse weight densities: magnitude pruning of the same network (Han et al., Deep Compression,
# Table 4; EIE Table III for FC) - an upper bound on the energy-aware pruning the paper used.
AX_SPARSE = {"conv1": 0.84, "conv2": 0.38, "conv3": 0.35, "conv4": 0.37, "conv5": 0.37,
             "fc6": 0.09, "fc7": 0.09, "fc8": 0.25}
AX_SHIFT = {"conv1": 11, "conv2": 11, "conv3": 10, "conv4": 10, "conv5": 10, "fc6": 11,
            "fc7": 11, "fc8": 11}


def alexnet(sparse):
    pool = "{type: max, size: 3, stride: 2}"
    L = [dict(name="conv1", type="conv", C=3, M=96, H=227, W=227, R=11, S=11, stride=4, pad=0,
              pool=pool),
         dict(name="conv2", type="conv", C=96, M=256, G=2, H=27, W=27, R=5, S=5, stride=1, pad=2,
              pool=pool),
         dict(name="conv3", type="conv", C=256, M=384, H=13, W=13, R=3, S=3, stride=1, pad=1),
         dict(name="conv4", type="conv", C=384, M=384, G=2, H=13, W=13, R=3, S=3, stride=1,
              pad=1),
         dict(name="conv5", type="conv", C=384, M=256, G=2, H=13, W=13, R=3, S=3, stride=1,
              pad=1, pool=pool),
         dict(name="fc6", type="fc", C=256, M=4096, H=6, W=6, R=6, S=6, stride=1, pad=0),
         dict(name="fc7", type="fc", C=4096, M=4096, H=1, W=1, R=1, S=1, stride=1, pad=0),
         dict(name="fc8", type="fc", C=4096, M=1000, H=1, W=1, R=1, S=1, stride=1, pad=0)]
    for l in L:
        l["density"] = AX_SPARSE[l["name"]] if sparse else 1.0
        l["src"] = ("Deep Compression / EIE magnitude pruning (upper bound)" if sparse
                    else "dense")
    return L


# GoogLeNet (inception v1; Szegedy et al. 2015, Table 1) at 224 x 224. Per inception module:
# (name, #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj); a stage's max pool 3x3/2 follows
# the modules marked with a pool.
GN_INCEPTION = [("inc3a", 64, 96, 128, 16, 32, 32), ("inc3b", 128, 128, 192, 32, 96, 64),
                ("inc4a", 192, 96, 208, 16, 48, 64), ("inc4b", 160, 112, 224, 24, 64, 64),
                ("inc4c", 128, 128, 256, 24, 64, 64), ("inc4d", 112, 144, 288, 32, 64, 64),
                ("inc4e", 256, 160, 320, 32, 128, 128), ("inc5a", 256, 160, 320, 32, 128, 128),
                ("inc5b", 384, 192, 384, 48, 128, 128)]
GN_POOL_AFTER = {"inc3b", "inc4e"}
# Requantization shifts of the dense GoogLeNet (weights uniform in [-128, 127], dense image),
# chosen with `eyeriss-sim inspect` so that outputs neither vanish nor saturate: per layer name,
# else by filter size (the number of products each output sums grows with C x R x S).
GN_SHIFT = {"conv1": 10, "fc": 10}


def gn_shift(name, c, r):
    if name in GN_SHIFT:
        return GN_SHIFT[name]
    k = c * r * r  # products per output
    return max(6, round(math.log2(k) / 2 + 6))


def googlenet():
    """Inception v1 as a graph workload: the four branches of a module read its input (by
    name), and the next module reads their concatenation. Host-side pools: the stage max pools
    (3x3/2; pad 1 gives Table 1's sizes, which Caffe gets by rounding up) sit on the branch
    layers of the module before (pooling a concatenation = concatenating the pooled parts), the
    pool proj branch's 3x3/1 max pool is its input_pool, and the 7x7 average pool before FC sits
    on inc5b's branches. LRN layers are omitted (the chip has no LRN; it is not a MAC layer)."""
    mp = "{type: max, size: 3, stride: 2, pad: 1}"
    L = []

    def conv(name, c, m, h, r, stride=1, inputs=None, **kw):
        d = dict(name=name, type="conv", C=c, M=m, H=h, W=h, R=r, S=r, stride=stride,
                 pad=(r - 1) // 2, shift=gn_shift(name, c, r), density=1.0, src="dense", **kw)
        if inputs is not None:
            d["input"] = inputs if isinstance(inputs, str) else "[" + ", ".join(inputs) + "]"
        L.append(d)
        return d

    conv("conv1", 3, 64, 224, 7, stride=2, pool=mp)                # 112 -> 56
    conv("conv2_reduce", 64, 64, 56, 1)
    conv("conv2", 64, 192, 56, 3, pool=mp)                          # 56 -> 28
    src, c, h = "conv2", 192, 28
    for name, n1, n3r, n3, n5r, n5, pp in GN_INCEPTION:
        pool = mp if name in GN_POOL_AFTER else ("{type: avg, size: 7}" if name == "inc5b"
                                                 else None)
        branches = [conv(f"{name}_1x1", c, n1, h, 1, inputs=src, pool=pool),
                    conv(f"{name}_3x3_reduce", c, n3r, h, 1, inputs=src),
                    conv(f"{name}_3x3", n3r, n3, h, 3, pool=pool),
                    conv(f"{name}_5x5_reduce", c, n5r, h, 1, inputs=src),
                    conv(f"{name}_5x5", n5r, n5, h, 5, pool=pool),
                    conv(f"{name}_pool_proj", c, pp, h, 1, inputs=src, pool=pool,
                         input_pool="{type: max, size: 3, stride: 1, pad: 1}")]
        src = [b["name"] for b in branches if not b["name"].endswith("reduce")]
        c = n1 + n3 + n5 + pp
        if pool == mp:
            h = (h + 2 - 3) // 2 + 1
        for b in branches:
            b["pool"] = b["pool"] if not b["name"].endswith("reduce") else None
    L.append(dict(name="fc", type="fc", C=c, M=1000, H=1, W=1, R=1, S=1, stride=1, pad=0,
                  shift=gn_shift("fc", c, 1), density=1.0, src="dense",
                  input="[" + ", ".join(src) + "]"))
    return L


def emit(path, title, notes, layers, shifts, seed):
    with open(path, "w") as f:
        f.write(f"# {title}\n")
        for n in notes:
            f.write(f"# {n}\n")
        f.write("# Generated by scripts/gen_networks.py; edit there.\n")
        f.write(f"name: {os.path.splitext(os.path.basename(path))[0]}\nseed: {seed}\nlayers:\n")
        for l in layers:
            f.write(f"  - name: {l['name']}\n    type: {l['type']}\n")
            for k in ("C", "M", "G", "H", "W", "R", "S", "stride", "pad"):
                if k in l:
                    f.write(f"    {k}: {l[k]}\n")
            q_src = f"   # {l['q_src']}" if "q_src" in l else ""
            s_src = "   # calibrated with weight_range, see there" if q_src else ""
            f.write(f"    shift: {shifts.get(l['name'], l.get('shift', 8))}{s_src}\n")
            f.write(f"    weight_density: {l['density']}   # {l['src']}\n")
            for k in ("iact_density", "weight_range"):
                if k in l:
                    f.write(f"    {k}: {l[k]}{q_src if k == 'weight_range' else ''}\n")
            for k in ("pool", "input", "input_pool", "residual"):
                if l.get(k):
                    f.write(f"    {k}: {l[k]}\n")


def main():
    for sparse in (True, False):
        kind = "sparse" if sparse else "dense"
        layers = mobilenet(sparse)
        emit(os.path.join(OUT, f"mobilenet_v1_0.5_128_{kind}.yaml"),
             f"MobileNet v1 (width 0.5, 128x128), {kind}: 49.2 M nominal MACs.",
             ["Layer shapes: eyeriss-v2-facts.md. Input image: generated, dense (first layer).",
              "iacts of later layers come from running the network (ReLU + requantization).",
              "Average pool 4x4 after pw13 runs on the host."],
             layers, MB_SHIFT, 2019)
        emit(os.path.join(OUT, f"mobilenet_v1_1.0_224_{kind}.yaml"),
             f"MobileNet v1 (width 1.0, 224x224), {kind}: 568.7 M nominal MACs.",
             ["The paper's scaling-study network. Layer shapes: MobileNet v1 at width 1.0.",
              "Input image: generated, dense (first layer). iacts of later layers come from",
              "running the network (ReLU + requantization). Average pool 7x7 after pw13 runs on",
              "the host." + (" Sparsity: the 0.5/128 calibration reused per layer "
                             "(no per-layer data for this size)." if sparse else "")],
             mobilenet(sparse, 1.0, 224), MB_SHIFT, 2017)
        emit(os.path.join(OUT, f"alexnet_{kind}.yaml"),
             f"AlexNet (original two-group version), {kind}: 724.4 M nominal MACs.",
             ["Layer shapes: eyeriss-v2-facts.md. Input image: generated, dense.",
              "Max pool 3x3 stride 2 after conv1, conv2, conv5 runs on the host."],
             alexnet(sparse), AX_SHIFT, 2012)
    emit(os.path.join(OUT, "googlenet_dense.yaml"),
         "GoogLeNet (inception v1, 224x224), dense: 1.58 G nominal MACs.",
         ["Layer shapes: Szegedy et al. 2015, Table 1. Input image: generated, dense.",
          "A graph: each inception module's four branches read the module input ('input'),",
          "the next module reads their concatenation. Max pools 3x3/2 (pad 1, which gives",
          "Table 1's sizes), the pool proj branches' 3x3/1 max pool (input_pool) and the 7x7",
          "average pool run on the host. LRN layers are omitted (no LRN on the chip)."],
         googlenet(), {}, 2015)


if __name__ == "__main__":
    main()
