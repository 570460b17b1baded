#!/usr/bin/env python3
"""RTL PEs in the loop vs the transaction-level PE, per layer (docs/rtl.md).

Runs the simulator on a workload without RTL and with each --rtl-pe selection, and prints a
markdown table: cycles of both, the positions the lockstep cross-check compared and how many
differed in cycles, and the wall time. Every run must be bit-exact (the simulator fails it
otherwise).

  scripts/rtl_compare.py BUILD/eyeriss-sim --arch configs/single_cluster.yaml \\
      --workload workloads/example.yaml --rtl-pe top.cg_r0_c0.pe_cluster.pe_r1_c2 --rtl-pe all
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time


def run(sim, arch, workload, rtl, layers):
    with tempfile.TemporaryDirectory() as out:
        cmd = [sim, "run", "--quiet", "--arch", arch, "--workload", workload, "--out", out,
               "--energy-table", ""]
        if rtl:
            cmd += ["--rtl-pe", rtl]
        if layers:
            cmd += ["--layers", layers]
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
        with open(f"{out}/stats.json") as f:
            return json.load(f), wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sim")
    ap.add_argument("--arch", required=True)
    ap.add_argument("--workload", required=True)
    ap.add_argument("--rtl-pe", action="append", required=True)
    ap.add_argument("--layers", default="", help="comma-separated layers (default: all)")
    ap.add_argument("--require-equal", action="store_true",
                    help="exit 1 unless every layer takes the same cycles with RTL PEs")
    a = ap.parse_args()
    base, base_wall = run(a.sim, a.arch, a.workload, "", a.layers)
    print(f"Transaction-level PEs: {base['total_cycles']} cycles, {base_wall:.2f} s wall\n")
    differ = []
    for sel in a.rtl_pe:
        r, wall = run(a.sim, a.arch, a.workload, sel, a.layers)
        cyc = r["total_cycles"]
        print(f"`--rtl-pe {sel}`: {cyc} cycles ({100.0 * (cyc / base['total_cycles'] - 1):+.1f} %), "
              f"{wall:.2f} s wall, {cyc / wall:,.0f} simulated cycles/s\n")
        print("| layer | type | C++ PE cycles | RTL cycles | difference | RTL PEs | positions "
              "compared | cycle divergences |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for lb, lr in zip(base["layers"], r["layers"]):
            k = lr.get("rtl", {})
            if lr["cycles"] != lb["cycles"] or k.get("cycle_divergences", 0):
                differ.append(f"{sel}: {lb['name']} {lb['cycles']} vs {lr['cycles']} cycles")
            print(f"| {lb['name']} | {lb['type']} | {lb['cycles']} | {lr['cycles']} | "
                  f"{100.0 * (lr['cycles'] / lb['cycles'] - 1):+.1f} % | {k.get('pes', 0)} | "
                  f"{k.get('positions_compared', 0)} | {k.get('cycle_divergences', 0)} |")
        print()
    if a.require_equal and differ:
        sys.exit("RTL PEs change the timing:\n  " + "\n  ".join(differ))


if __name__ == "__main__":
    main()
