#!/usr/bin/env python3
"""Same inputs, same bytes: the sparse MobileNet run twice gives identical outputs (stats.json,
layers.csv and every .npy, apart from the command line each records), so a regression can
compare runs byte for byte.

Run by CMake as:  python3 test_determinism.py <path-to-eyeriss-sim> <repo-root>
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from outputs_equal import differing_files  # noqa: E402

sim, root = sys.argv[1], sys.argv[2]
arch = os.path.join(root, "configs", "eyeriss_v2.yaml")
wl = os.path.join(root, "workloads", "mobilenet_v1_0.5_128_sparse.yaml")
with tempfile.TemporaryDirectory() as tmp:
    outs = []
    for k in range(2):
        out = os.path.join(tmp, "run%d" % k)
        subprocess.run([sim, "run", "--quiet", "--arch", arch, "--workload", wl, "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        outs.append(out)
    names = sorted(os.listdir(outs[0]))
    if names != sorted(os.listdir(outs[1])):
        sys.exit("the two runs wrote different files")
    if not any(n.endswith(".npy") for n in names) or "stats.json" not in names:
        sys.exit("expected .npy files and stats.json, found %s" % names)
    differ = differing_files(outs[0], outs[1])
    if differ:
        sys.exit("files differ between two identical runs: %s" % differ)
    print("identical: %d files" % len(names))
