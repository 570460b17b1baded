#!/usr/bin/env python3
"""Benchmark: runs networks through eyeriss-sim and prints, per workload, wall time, user CPU
time, simulated cycles, simulated cycles per second (wall), nonzero MACs per second, peak
memory (max RSS of the run) and the ratio of the run's wall time to the golden reference's own
(`eyeriss-sim inspect`: data generation and the golden network, every nonzero MAC computed
natively: the floor), plus whether every layer was bit-exact. Repeats each run and reports the
median and the fastest wall time (on a shared virtual machine wall times vary by up to 50 % from
one minute to the next; the fastest run is the least disturbed one).

Usage: bench.py [--sim build/eyeriss-sim] [--arch configs/eyeriss_v2.yaml] [--repeat 3]
                [--jobs N] [WORKLOAD ...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def golden_seconds(sim, workload):
    t0 = time.perf_counter()
    p = subprocess.run([sim, "inspect", "--workload", workload], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{os.path.basename(workload)}: inspect exit {p.returncode}\n{p.stderr}")
    return time.perf_counter() - t0


def run_once(sim, arch, workload, jobs):
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        # /usr/bin/time -f gives the child's own user time and peak RSS (with --jobs, user time
        # includes the workers; peak RSS is the largest single process).
        p = subprocess.run(["/usr/bin/time", "-f", "%U %M", sim, "run", "--arch", arch,
                            "--workload", workload, "--out", out, "--quiet", "--jobs", str(jobs)],
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"{os.path.basename(workload)}: exit {p.returncode}\n{p.stderr}")
        user, rss_kb = p.stderr.strip().splitlines()[-1].split()
        stats = json.load(open(os.path.join(out, "stats.json")))
    return wall, float(user), int(rss_kb), stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", default=os.path.join(ROOT, "build", "eyeriss-sim"))
    ap.add_argument("--arch", default=os.path.join(ROOT, "configs", "eyeriss_v2.yaml"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1, help="worker processes per run (run --jobs)")
    ap.add_argument("workloads", nargs="*", default=[
        os.path.join(ROOT, "workloads", "mobilenet_v1_0.5_128_sparse.yaml"),
        os.path.join(ROOT, "workloads", "alexnet_sparse.yaml")])
    a = ap.parse_args()
    print(f"{'workload':34} {'wall s':>7} {'min s':>6} {'user s':>7} {'sim cycles':>11} {'cycles/s':>9} "
          f"{'nz MACs/s':>10} {'peak MB':>8} {'x golden':>8}  check")
    rc = 0
    for w in a.workloads:
        try:
            runs = [run_once(a.sim, a.arch, w, a.jobs) for _ in range(a.repeat)]
            golden = statistics.median(golden_seconds(a.sim, w) for _ in range(a.repeat))
        except RuntimeError as e:
            print(e)
            rc = 1
            continue
        wall = statistics.median(r[0] for r in runs)
        fastest = min(r[0] for r in runs)
        user = statistics.median(r[1] for r in runs)
        rss = max(r[2] for r in runs)
        s = runs[0][3]
        cyc = s["total_cycles"]
        nz = sum(l["nonzero_macs"] for l in s["layers"])
        exact = all(r[3]["bit_exact"] for r in runs)
        rc |= 0 if exact else 1
        print(f"{os.path.basename(w):34} {wall:7.2f} {fastest:6.2f} {user:7.2f} {cyc:11d} {cyc / wall:9.3g} "
              f"{nz / wall:10.3g} {rss / 1024:8.0f} {wall / golden:8.1f}  "
              f"{'PASS' if exact else 'FAIL'}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
