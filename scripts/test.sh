#!/usr/bin/env bash
# Set up, build and run every test (unit, SystemC end-to-end, CLI, RTL). Long network runs are
# labelled "long" and excluded unless EYERISS_LONG_TESTS=1.
#   --sanitize  the same quick test set on an AddressSanitizer + UndefinedBehaviorSanitizer build
#               in build-sanitize/ (SystemC's coroutine stack switches make ASan print
#               "ignoring requested __asan_handle_no_return" warnings: noise, not findings, so
#               they are filtered; any other report fails the run). docs/hardening.md.
#   --tsan      ThreadSanitizer build (build-tsan/) running the sparse MobileNet with --jobs 1
#               and 2 (the mapping thread and the worker processes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--sanitize" ]; then
  # No vptr check: tlm_utils sockets call a base class's callback (LinkOwner::link_bw) through a
  # member pointer of the derived module, which GCC's vptr check misreports as a wrong type.
  # No stack redzones (asan-stack=0, no use-after-scope): SystemC's coroutine switches leave ASan
  # with wrong stack bounds, so it cannot unpoison the stack when an exception unwinds, and the
  # stale poison makes false reports later (docs/hardening.md). UBSan still checks array bounds.
  # -Wno-maybe-uninitialized: GCC 12 misreports libstdc++'s <regex> internals under ASan.
  flags="-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
  cxxflags="$flags --param=asan-stack=0 -fno-sanitize-address-use-after-scope -Wno-maybe-uninitialized"
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
  cmake --build build-sanitize -j"$(nproc)"
  export ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)" -LE long 2>&1 |
    grep -v "__asan_handle_no_return\|False positive error reports may follow\|For details see https://github.com/google/sanitizers/issues/189"
  exit "${PIPESTATUS[0]}"
fi
if [ "${1:-}" = "--tsan" ]; then
  # ThreadSanitizer on the two places the simulator uses more than one thread of control: the
  # mapping thread beside the golden chain, and --jobs worker processes (forked after it joins).
  # Not in CI (4 min to build, 1.5 min to run); docs/hardening.md.
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_DISABLE_FIND_PACKAGE_verilator=ON -DCMAKE_CXX_FLAGS="-fsanitize=thread -Wno-maybe-uninitialized" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  cmake --build build-tsan -j"$(nproc)" --target eyeriss-sim
  for jobs in 1 2; do
    TSAN_OPTIONS=halt_on_error=1:exitcode=66 SC_COPYRIGHT_MESSAGE=DISABLE build-tsan/eyeriss-sim run \
      --arch configs/eyeriss_v2.yaml --workload workloads/mobilenet_v1_0.5_128_sparse.yaml \
      --quiet --jobs "$jobs" >/dev/null
    echo "tsan: sparse MobileNet with --jobs $jobs: no data race reported"
  done
  exit 0
fi
bash scripts/build.sh
if [ "${EYERISS_LONG_TESTS:-0}" = 1 ]; then
  ctest --test-dir build --output-on-failure -j"$(nproc)"
else
  ctest --test-dir build --output-on-failure -j"$(nproc)" -LE long
fi
