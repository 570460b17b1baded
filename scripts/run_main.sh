#!/usr/bin/env bash
# The main job on a fresh machine: set up, build, simulate the sparse MobileNet on the
# published chip and check every layer bit-exact. Outputs go to out/mobilenet_sparse/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/eyeriss-sim run --arch configs/eyeriss_v2.yaml \
  --workload workloads/mobilenet_v1_0.5_128_sparse.yaml --out out/mobilenet_sparse "$@"
