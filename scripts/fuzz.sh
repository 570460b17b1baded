#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) in build-fuzz/ and runs each for a set
# time, as many at once as there are cores. Prints execs, coverage and corpus per harness.
#   scripts/fuzz.sh [--time SECONDS] [--only npy,arch,...]   (default: 60 s each, all five)
# The working corpus grows in build-fuzz/corpus/<harness>/ across runs (seeded from
# testbench/fuzz/corpus/); a crash or broken contract is saved in build-fuzz/findings/ and fails
# the run: copy it to testbench/fuzz/regressions/<harness>/ once fixed, where ctest replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
time_s=60
only="npy,arch,workload,energy,csc"
while (($#)); do
  case "$1" in
    --time) time_s="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "fuzz.sh: unknown argument '$1' (expected --time SECONDS, --only LIST)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DEYERISS_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
IFS=, read -r -a harnesses <<<"$only"
cmake --build build-fuzz -j"$(nproc)" --target "${harnesses[@]/#/fuzz_}"

root=$PWD
out=build-fuzz/runs
mkdir -p "$out" build-fuzz/findings
run_one() {
  local h=$1 dict=()
  case "$h" in
    npy) dict=(-dict="$root/testbench/fuzz/npy.dict") ;;
    arch | workload | energy) dict=(-dict="$root/testbench/fuzz/yaml.dict") ;;
  esac
  mkdir -p "build-fuzz/corpus/$h"
  # 2 GB RSS and 1 GB per allocation (a loader must never ask for that much); 10 s per input.
  "build-fuzz/testbench/fuzz/fuzz_$h" -max_total_time="$time_s" -print_final_stats=1 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 "${dict[@]}" \
    -artifact_prefix="build-fuzz/findings/$h-" "build-fuzz/corpus/$h" "testbench/fuzz/corpus/$h" \
    >"$out/$h.log" 2>&1
}
export -f run_one
export time_s root out
status=0
printf '%s\n' "${harnesses[@]}" | xargs -P "$(nproc)" -I{} bash -c 'run_one {}' || status=$?

printf '%-9s %12s %9s %6s %7s %8s %s\n' harness execs exec/s cov ft corpus result
total=0
for h in "${harnesses[@]}"; do
  log="$out/$h.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
  rate=$(sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p' <<<"$line")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$line")
  if grep -qE 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|escaped|property violated|SUMMARY:' "$log"; then
    result="FINDING (see $log, input in build-fuzz/findings/)"
    status=1
  else
    result=ok
  fi
  total=$((total + ${execs:-0}))
  printf '%-9s %12s %9s %6s %7s %8s %s\n' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$result"
done
echo "total execs: $total"
exit "$status"
