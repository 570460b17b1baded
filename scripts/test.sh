#!/usr/bin/env bash
# Set up, build and run every test (unit, SystemC end-to-end, CLI). Long network runs are
# labelled "long" and excluded unless EYERISS_LONG_TESTS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
if [ "${EYERISS_LONG_TESTS:-0}" = 1 ]; then
  ctest --test-dir build --output-on-failure -j"$(nproc)"
else
  ctest --test-dir build --output-on-failure -j"$(nproc)" -LE long
fi
