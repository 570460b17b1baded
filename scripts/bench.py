#!/usr/bin/env python3
"""Benchmark: runs networks through eyeriss-sim on an architecture and prints wall time,
simulated cycles, simulated cycles per second and peak memory (max RSS) for each.

Usage: bench.py [--sim build/eyeriss-sim] [--arch configs/eyeriss_v2.yaml] [WORKLOAD ...]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", default=os.path.join(ROOT, "build", "eyeriss-sim"))
    ap.add_argument("--arch", default=os.path.join(ROOT, "configs", "eyeriss_v2.yaml"))
    ap.add_argument("workloads", nargs="*", default=[
        os.path.join(ROOT, "workloads", "mobilenet_v1_0.5_128_sparse.yaml"),
        os.path.join(ROOT, "workloads", "alexnet_sparse.yaml")])
    a = ap.parse_args()
    print(f"{'workload':36} {'wall s':>8} {'sim cycles':>12} {'cycles/s':>12} {'peak MB':>8} "
          f"{'inf/s':>9}  check")
    rc = 0
    for w in a.workloads:
        with tempfile.TemporaryDirectory() as out:
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t0 = time.perf_counter()
            p = subprocess.run([a.sim, "run", "--arch", a.arch, "--workload", w, "--out", out,
                                "--quiet"], capture_output=True, text=True)
            wall = time.perf_counter() - t0
            # ru_maxrss of children is the largest child so far (KiB on Linux).
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if p.returncode != 0:
                print(f"{os.path.basename(w)}: exit {p.returncode}\n{p.stderr}")
                rc = 1
                continue
            s = json.load(open(os.path.join(out, "stats.json")))
            cyc = s["total_cycles"]
            ips = s.get("inferences_per_second", 0)
            peak_note = "" if peak > before else " (<=)"
            print(f"{os.path.basename(w):36} {wall:8.2f} {cyc:12d} {cyc / wall:12.3g} "
                  f"{peak / 1024:8.0f}{peak_note} {ips:9.1f}  "
                  f"{'PASS' if s['bit_exact'] else 'FAIL'}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
