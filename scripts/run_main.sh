#!/usr/bin/env bash
# The main job on a fresh machine: set up, build, simulate the sparse MobileNet on the
# published chip, check every layer bit-exact, print the per-layer table, the network totals
# (cycles, inferences/s, energy, inferences/J) and the Eyexam bounds, and draw the figures.
# Outputs: out/mobilenet_sparse/ (stats.json, layers.csv, <layer>.psum/oact.npy, plots/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/eyeriss-sim run --arch configs/eyeriss_v2.yaml \
  --workload workloads/mobilenet_v1_0.5_128_sparse.yaml --out out/mobilenet_sparse --eyexam "$@"
/usr/bin/python3 scripts/plot.py out/mobilenet_sparse --out out/mobilenet_sparse/plots
