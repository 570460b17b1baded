#!/usr/bin/env bash
# Installs every Debian package the project needs. Safe to re-run: it installs only what is
# missing and runs apt-get update only when something is.
set -euo pipefail
PKGS=(g++ cmake ninja-build pkg-config libsystemc-dev libyaml-cpp-dev nlohmann-json3-dev
      libcli11-dev libgtest-dev libgmock-dev googletest python3 python3-numpy python3-matplotlib python3-yaml
      python3-onnx time verilator yosys clang libclang-rt-14-dev libbenchmark-dev
      libtcmalloc-minimal4)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
