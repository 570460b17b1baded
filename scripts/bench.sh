#!/usr/bin/env bash
# Benchmark the sparse MobileNet and sparse AlexNet on the published chip (builds first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
/usr/bin/python3 scripts/bench.py "$@"
