#!/usr/bin/env bash
# Checks the installed package (ctest install_package): installs BUILD into a temporary prefix,
# moves it elsewhere (nothing may point back into the source or build tree), runs the
# installed eyeriss-sim with its installed configs, workloads and default energy table, and
# builds and runs the platform example out of tree with find_package(EyerissV2).
#   bash scripts/install_check.sh BUILD_DIR SOURCE_DIR [LIBDIR]
set -euo pipefail
build="$(cd "$1" && pwd)"
src="$(cd "$2" && pwd)"
libdir="${3:-lib}"  # CMAKE_INSTALL_LIBDIR
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/first" >/dev/null
mv "$tmp/first" "$tmp/prefix"  # relocated: found relative to itself or not at all
prefix="$tmp/prefix"
for f in bin/eyeriss-sim share/eyeriss-v2/configs/energy_65nm.yaml \
  share/eyeriss-v2/configs/eyeriss_v2.yaml include/eyeriss/models/platform/eyeriss_chip.h \
  "$libdir/cmake/EyerissV2/EyerissV2Config.cmake"; do
  [ -e "$prefix/$f" ] || { echo "install_check: $f is not installed" >&2; exit 1; }
done
if grep -rqs --include=*.cmake "$build\|$src" "$prefix/$libdir/cmake"; then
  echo "install_check: the CMake package refers to the build or source tree" >&2
  exit 1
fi
"$prefix/bin/eyeriss-sim" --version
out="$("$prefix/bin/eyeriss-sim" run --quiet --arch "$prefix/share/eyeriss-v2/configs/single_cluster.yaml" \
  --workload "$prefix/share/eyeriss-v2/workloads/example.yaml" --layers fc5 --out "$tmp/run")"
echo "$out" | grep -q "PASS" || { echo "install_check: the installed binary failed" >&2; exit 1; }
echo "$out" | grep -q "energy: .*table eyeriss_v2_65nm" ||
  { echo "install_check: no energy from the installed default table" >&2; exit 1; }
cmake -S "$src/testbench/examples/platform" -B "$tmp/example" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$tmp/example" >/dev/null
"$tmp/example/platform_example"
