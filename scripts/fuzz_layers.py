#!/usr/bin/env python3
"""Random layers written to the workload contract, run through eyeriss-sim: every one must come
out bit-exact (exit 0) or be refused with a clear input error (exit 2, e.g. a filter too wide
for the SPads). Anything else (mismatch, crash, internal error) fails.

Usage: fuzz_layers.py EYERISS_SIM REPO_ROOT [--count N] [--seed S] [--arch A.yaml ...]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile


def random_layer(rng, i):
    kind = rng.choice(["conv", "conv", "grouped", "depthwise", "pointwise", "fc"])
    N = rng.choice([1, 1, 1, 2, 3])
    d = dict(name=f"l{i}", N=N, shift=rng.randint(4, 14),
             weight_density=round(rng.choice([0.0, 0.05, 0.3, 0.6, 1.0, rng.random()]), 3),
             iact_density=round(rng.choice([0.0, 0.2, 0.5, 0.9, 1.0, rng.random()]), 3),
             signed_iacts=rng.random() < 0.25)
    if rng.random() < 0.15:
        d["weight_range"] = rng.choice(["[127, 127]", "[-128, -128]", "[-3, 3]", "[0, 64]"])
    if kind == "fc":
        C, H = rng.randint(1, 40), rng.randint(1, 4)
        d.update(type="fc", C=C, M=rng.randint(1, 40), H=H, W=rng.randint(1, 4))
        d["R"], d["S"] = d["H"], d["W"]
        if rng.random() < 0.2:
            d["G"] = 2
            d["C"] = 2 * max(1, C // 2)
            d["M"] = 2 * max(1, d["M"] // 2)
        return d
    R = S = rng.choice([1, 2, 3, 3, 5, 7]) if kind != "pointwise" else 1
    if rng.random() < 0.2 and kind != "pointwise":
        S = rng.choice([1, 3, 5])  # non-square filters
    stride = rng.choice([1, 1, 2, 3]) if R > 1 or rng.random() < 0.3 else 1
    pad = rng.randint(0, R // 2) if R > 1 else 0
    H = rng.randint(max(R, 1), 20)
    W = rng.randint(max(S, 1), 24)
    if kind == "depthwise":
        C = rng.randint(1, 24)
        d.update(type="depthwise", C=C, M=C, G=C)
    elif kind == "grouped":
        G = rng.choice([2, 3, 4])
        d.update(type="conv", C=G * rng.randint(1, 8), M=G * rng.randint(1, 8), G=G)
    else:
        d.update(type="conv", C=rng.randint(1, 40), M=rng.randint(1, 40))
    d.update(H=H, W=W, R=R, S=S, stride=stride, pad=pad)
    return d


def to_yaml(d):
    keys = ["name", "type", "N", "C", "M", "G", "H", "W", "R", "S", "stride", "pad", "shift",
            "weight_density", "iact_density", "signed_iacts", "weight_range"]
    lines = []
    for k in keys:
        if k in d:
            v = d[k]
            if isinstance(v, bool):
                v = "true" if v else "false"
            lines.append(f"    {k}: {v}")
    lines[0] = "  - " + lines[0].strip()
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sim")
    ap.add_argument("root")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--arch", action="append")
    a = ap.parse_args()
    archs = a.arch or ["configs/single_cluster.yaml", "configs/eyeriss_v2.yaml"]
    rng = random.Random(a.seed)
    bad = 0
    refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.count):
            d = random_layer(rng, i)
            y = os.path.join(tmp, f"l{i}.yaml")
            with open(y, "w") as f:
                f.write(f"name: fuzz{i}\nseed: {rng.randint(1, 10**6)}\nlayers:\n{to_yaml(d)}\n")
            for arch in archs:
                p = subprocess.run([a.sim, "run", "--arch", os.path.join(a.root, arch),
                                    "--workload", y, "--quiet"], capture_output=True, text=True)
                if p.returncode == 2 and "does not fit" in p.stderr:
                    refused += 1
                    continue
                if p.returncode != 0:
                    bad += 1
                    print(f"FAIL ({arch}, exit {p.returncode}) layer {d}\n{p.stdout}{p.stderr}")
    print(f"{a.count * len(archs) - bad - refused} passed, {bad} failed, {refused} skipped")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
