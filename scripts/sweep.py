#!/usr/bin/env python3
"""Design-space sweeps: architecture variants x workloads, on this machine or a Slurm cluster.

Usage:
  scripts/sweep.py SWEEP.yaml --out DIR [--jobs N] [--backend local|slurm] [--sim PATH]
  scripts/sweep.py --aggregate DIR          # rebuild DIR's tables from the finished points

A sweep file names a base architecture, the overrides to vary (a grid, a list, or both: every
list entry is combined with every grid point), the workloads (optionally a layer subset each),
and optionally an energy table:

  name: iact_links
  base: configs/eyeriss_v2.yaml          # paths are relative to the sweep file
  grid:                                  # every combination, in the order written
    noc.iact_link_bits: [12, 24, 48]
    noc.router_hop_cycles: [1, 2]
  points:                                # optional explicit override sets
    - {glb.iact_banks: 6}
  workloads:
    - workloads/mobilenet_v1_0.5_128_sparse.yaml
    - {path: workloads/alexnet_sparse.yaml, layers: [conv1, conv2]}
  energy_table: configs/energy_65nm.yaml # optional (default: the simulator's)

Each point x workload is one `eyeriss-sim run --set ... --no-tensors` into
DIR/runs/<point>/<workload>/. DIR/plan.json records every point's exact overrides and command.
An interrupted sweep (Ctrl-C stops the running points) run again with the same --out skips the
runs that finished successfully (their status says exit 0 and their stats.json records the same
overrides); runs that failed are run again. A different sweep into the same DIR is refused. A
key may appear in the grid or in the points, not both. When all runs are done, the script writes
  DIR/sweep.csv     one row per point x workload x layer: the point, one column per overridden
                    key, then the columns of layers.csv (docs/outputs.md) without command_line;
  DIR/network.csv   one row per point x workload: totals, inferences/s and inferences/J, status;
  DIR/timing.csv    wall seconds per run (kept apart so the tables above do not depend on it);
and, through scripts/plot.py, DIR/pareto.png (inferences/s against inferences/J).

Backends: `local` runs --jobs simulator processes at once (default: one per core) with a
progress line and ETA. `slurm` submits the pending runs as one Slurm job array
(`sbatch --array`, one run per task, each task running this script's `_task` step), waits for
it while printing the same progress, and aggregates. Both backends run the same command per
point, so their tables are identical byte for byte (test `sweep_slurm`).

Why a Python front end rather than a simulator subcommand: a sweep is orchestration (process
pools, Slurm submission, CSV joins, plotting), and SystemC allows one elaboration per process, so
every point is a simulator process anyway. Exit status: 0 every run passed; 1 a run failed
(mismatch, bad input such as a layer that does not fit, or a model error: its status and message
are in network.csv); 2 a bad sweep file or command line.
"""
import argparse
import concurrent.futures
import csv
import io
import itertools
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SIM = os.path.join(ROOT, "build", "eyeriss-sim")
SWEEP_KEYS = {"name", "base", "grid", "points", "workloads", "energy_table"}
STATUS = {0: "ok", 1: "mismatch", 2: "bad input", 3: "model error"}


class SweepError(Exception):
    """A bad sweep file or command line (exit 2)."""


# ---------------------------------------------------------------------------------------------
# The sweep file and its plan.


def yaml_scalar(v, where):
    """An override value as the simulator's --set reads it (YAML)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str) and v and "\n" not in v:
        # Plain words stay as written; anything YAML could read as more than a string (": ",
        # " #", "*", "&", "[", quotes...) goes double-quoted, which YAML reads back exactly.
        return v if re.fullmatch(r"[A-Za-z0-9_.+/-]+", v) else json.dumps(v)
    raise SweepError("%s: expected a number, true/false or a one-line string (got %r)" % (where, v))


def load_sweep(path):
    import yaml  # python3-yaml (scripts/setup.sh)

    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
    except OSError as e:
        raise SweepError("%s: cannot read: %s" % (path, e.strerror))
    except yaml.YAMLError as e:
        raise SweepError("%s: malformed YAML: %s" % (path, e))
    if not isinstance(doc, dict):
        raise SweepError("%s: expected a map with base, grid/points and workloads" % path)
    unknown = sorted(set(doc) - SWEEP_KEYS)
    if unknown:
        raise SweepError("%s: unknown key '%s' (expected one of: %s)" %
                         (path, unknown[0], ", ".join(sorted(SWEEP_KEYS))))
    here = os.path.dirname(os.path.abspath(path))

    def file_key(key, required=True):
        v = doc.get(key)
        if v is None and not required:
            return None
        if not isinstance(v, str) or not v:
            raise SweepError("%s: '%s' must be a file path" % (path, key))
        p = os.path.normpath(os.path.join(here, v))
        if not os.path.isfile(p):
            raise SweepError("%s: %s '%s': file not found (%s)" % (path, key, v, p))
        return p

    base = file_key("base")
    energy = file_key("energy_table", required=False)
    grid = doc.get("grid") or {}
    if not isinstance(grid, dict):
        raise SweepError("%s: 'grid' must map keys to lists of values" % path)
    axes = []
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise SweepError("%s: grid.%s must be a non-empty list of values" % (path, key))
        axes.append([(str(key), yaml_scalar(v, "%s: grid.%s" % (path, key))) for v in values])
    listed = doc.get("points") or []
    if not isinstance(listed, list):
        raise SweepError("%s: 'points' must be a list of override maps" % path)
    extra = []
    for i, p in enumerate(listed):
        if not isinstance(p, dict) or not p:
            raise SweepError("%s: points[%d] must be a map of overrides" % (path, i))
        extra.append([(str(k), yaml_scalar(v, "%s: points[%d].%s" % (path, i, k)))
                      for k, v in p.items()])
    grid_keys = {a[0][0] for a in axes}
    for i, e in enumerate(extra):
        both = sorted(grid_keys & {k for k, _ in e})
        if both:
            raise SweepError("%s: points[%d].%s is also a grid key; give each key in one place"
                             % (path, i, both[0]))
    grid_points = [list(c) for c in itertools.product(*axes)] if axes else [[]]
    # No grid and no points: one point, the base alone.
    points = [g + e for g in grid_points for e in (extra or [[]])]
    workloads = []
    wls = doc.get("workloads")
    if not isinstance(wls, list) or not wls:
        raise SweepError("%s: 'workloads' must be a non-empty list" % path)
    for i, w in enumerate(wls):
        if isinstance(w, str):
            w = {"path": w}
        if not isinstance(w, dict) or set(w) - {"path", "layers"} or "path" not in w:
            raise SweepError("%s: workloads[%d] must be a path or {path, layers}" % (path, i))
        p = os.path.normpath(os.path.join(here, str(w["path"])))
        if not os.path.isfile(p):
            raise SweepError("%s: workloads[%d] '%s': file not found" % (path, i, w["path"]))
        layers = w.get("layers") or []
        if isinstance(layers, str):
            layers = [s.strip() for s in layers.split(",") if s.strip()]
        if not isinstance(layers, list) or not all(isinstance(x, str) for x in layers):
            raise SweepError("%s: workloads[%d].layers must be a list of layer names" % (path, i))
        workloads.append({"path": p, "layers": layers})
    return {"name": str(doc.get("name") or os.path.splitext(os.path.basename(path))[0]),
            "base": base, "energy_table": energy, "points": points, "workloads": workloads}


def make_plan(sweep, sim):
    """Every run of the sweep: point ids, overrides, output folders and commands."""
    width = max(3, len(str(len(sweep["points"]) - 1)))
    points = [{"id": "p%0*d" % (width, i), "overrides": ["%s=%s" % kv for kv in ov]}
              for i, ov in enumerate(sweep["points"])]
    workloads, used = [], set()
    for w in sweep["workloads"]:
        stem = os.path.splitext(os.path.basename(w["path"]))[0]
        wid, k = stem, 1
        while wid in used:  # the same file twice (other layers), or two files of one name
            k += 1
            wid = "%s-%d" % (stem, k)
        used.add(wid)
        workloads.append(dict(w, id=wid))
    runs = []
    for p in points:
        for w in workloads:
            out = os.path.join("runs", p["id"], w["id"])
            cmd = [sim, "run", "--quiet", "--no-tensors", "--arch", sweep["base"],
                   "--workload", w["path"], "--out", out]
            if w["layers"]:
                cmd += ["--layers", ",".join(w["layers"])]
            if sweep["energy_table"]:
                cmd += ["--energy-table", sweep["energy_table"]]
            for o in p["overrides"]:
                cmd += ["--set", o]
            runs.append({"id": "%s/%s" % (p["id"], w["id"]), "point": p["id"],
                         "workload": w["id"], "overrides": p["overrides"], "out": out,
                         "cmd": cmd})
    return {"name": sweep["name"], "base": sweep["base"], "points": points,
            "workloads": workloads, "runs": runs}


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def prepare_dir(out, plan):
    """Creates DIR with plan.json, or checks that DIR holds this same sweep (resume)."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "plan.json")
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        if old != plan:
            raise SweepError("%s: holds a different sweep (its plan.json differs: other points, "
                             "workloads or simulator); use a new --out" % out)
    else:
        write_atomic(path, json.dumps(plan, indent=1) + "\n")
    os.makedirs(os.path.join(out, "status"), exist_ok=True)


# ---------------------------------------------------------------------------------------------
# Running one point (the local pool and each Slurm task run exactly this).


def status_path(out, run):
    return os.path.join(out, "status", run["id"].replace("/", "__") + ".json")


def finished(out, run):
    """True when the run's outputs exist and record the plan's overrides (nothing to redo)."""
    stats = os.path.join(out, run["out"], "stats.json")
    st = status_path(out, run)
    if not (os.path.exists(stats) and os.path.exists(st)):
        return False
    try:
        with open(stats) as f:
            recorded = json.load(f).get("run", {}).get("overrides")
        with open(st) as f:
            ok = json.load(f).get("exit") == 0
    except (OSError, ValueError):
        return False
    return ok and recorded == run["overrides"]


STOPPING = []  # set when the user interrupts: no new runs start
RUNNING = set()  # simulator processes now running (stopped on an interrupt)


def run_one(out, run):
    """Runs one point (from DIR, so its --out is DIR/runs/...); records exit, message, seconds."""
    if STOPPING:
        return None
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    log = os.path.join(out, "logs", run["id"].replace("/", "__") + ".log")
    t0 = time.monotonic()
    with open(log, "w") as f:
        # Its own process group: a Ctrl-C reaches this script, which stops the runs itself.
        p = subprocess.Popen(run["cmd"], cwd=out, stdout=f, stderr=subprocess.STDOUT,
                             env=dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE"),
                             start_new_session=True)
        RUNNING.add(p)
        p.wait()
        RUNNING.discard(p)
    if STOPPING:
        return None  # interrupted: no status, so a rerun does it again
    secs = time.monotonic() - t0
    message = ""
    if p.returncode != 0:
        with open(log) as f:
            lines = [l.strip() for l in f if l.strip()]
        errs = [l for l in lines if l.startswith(("error", "internal error", "first mismatch"))]
        message = (errs or lines or ["exit %d" % p.returncode])[0]
    write_atomic(status_path(out, run), json.dumps(
        {"exit": p.returncode, "seconds": round(secs, 3), "message": message}) + "\n")
    return p.returncode


class Progress:
    """One line: a bar, runs done and failed, elapsed time and an ETA from the mean run time."""

    def __init__(self, total, already):
        self.total, self.done, self.failed = total, already, 0
        self.start, self.started_at = time.monotonic(), already
        self.tty = sys.stderr.isatty()

    def update(self, done, failed):
        self.done, self.failed = done, failed
        el = time.monotonic() - self.start
        new = self.done - self.started_at
        eta = el / new * (self.total - self.done) if new else float("nan")
        fmt = lambda s: "--:--" if s != s else "%d:%02d" % (int(s) // 60, int(s) % 60)
        width = 30
        fill = width * self.done // max(1, self.total)
        line = "sweep [%s%s] %d/%d runs, %d failed, %s elapsed, ETA %s" % (
            "#" * fill, "." * (width - fill), self.done, self.total, self.failed, fmt(el),
            fmt(eta) if self.done < self.total else "0:00")
        sys.stderr.write(("\r" + line) if self.tty else line + "\n")
        sys.stderr.flush()

    def close(self):
        if self.tty:
            sys.stderr.write("\n")


def count_status(out, runs):
    done = failed = 0
    for r in runs:
        st = status_path(out, r)
        if os.path.exists(st):
            done += 1
            try:
                with open(st) as f:
                    failed += json.load(f).get("exit") != 0
            except (OSError, ValueError):
                failed += 1
    return done, failed


class Interrupted(Exception):
    """The user stopped the sweep (Ctrl-C): finished runs are kept for a rerun to resume."""


def run_local(out, plan, pending, jobs):
    prog = Progress(len(plan["runs"]), len(plan["runs"]) - len(pending))
    prog.update(prog.done, 0)
    failed = 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(run_one, out, r) for r in pending]
        for fut in concurrent.futures.as_completed(futures):
            failed += fut.result() != 0
            prog.update(prog.done + 1, failed)
    except KeyboardInterrupt:
        STOPPING.append(True)
        for p in list(RUNNING):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        pool.shutdown(wait=True, cancel_futures=True)
        prog.close()
        raise Interrupted()
    pool.shutdown(wait=True)
    prog.close()


def ranges(ks):
    """[0, 1, 2, 5, 7, 8] -> "0-2,5,7-8" (Slurm's --array syntax, short for large sweeps)."""
    parts, i = [], 0
    while i < len(ks):
        j = i
        while j + 1 < len(ks) and ks[j + 1] == ks[j] + 1:
            j += 1
        parts.append(str(ks[i]) if i == j else "%d-%d" % (ks[i], ks[j]))
        i = j + 1
    return ",".join(parts)


def run_slurm(out, plan, pending, jobs, poll=2.0):
    """One job array over the pending runs; waits for it, printing progress."""
    os.makedirs(os.path.join(out, "slurm"), exist_ok=True)
    index = {r["id"]: i for i, r in enumerate(plan["runs"])}
    script = os.path.join(out, "slurm", "array.sh")
    write_atomic(script, "#!/bin/bash\n# One sweep run per array task (scripts/sweep.py _task).\n"
                 "exec %s %s _task %s \"$SLURM_ARRAY_TASK_ID\"\n" %
                 (shlex.quote(sys.executable), shlex.quote(os.path.abspath(__file__)),
                  shlex.quote(os.path.abspath(out))))
    ids = ranges(sorted(index[r["id"]] for r in pending))
    throttle = "%%%d" % jobs if jobs else ""
    cmd = ["sbatch", "--parsable", "--job-name", "sweep-" + plan["name"],
           "--array", ids + throttle, "--ntasks", "1", "--cpus-per-task", "1",
           "--output", os.path.join(os.path.abspath(out), "slurm", "%A_%a.out"), script]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
    except FileNotFoundError:
        raise SweepError("--backend slurm: sbatch not found (scripts/slurm_local.sh sets up a "
                         "single-node Slurm on this machine)")
    if p.returncode != 0:
        raise SweepError("--backend slurm: sbatch failed: %s" % p.stderr.strip())
    job = p.stdout.strip().split(";")[0]
    write_atomic(os.path.join(out, "slurm", "job_id"), job + "\n")
    sys.stderr.write("sweep: submitted Slurm job array %s (%d tasks)\n" % (job, len(pending)))
    prog = Progress(len(plan["runs"]), len(plan["runs"]) - len(pending))
    errors = 0
    while True:
        q = subprocess.run(["squeue", "-h", "-j", job, "-o", "%i"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        done, failed = count_status(out, plan["runs"])
        prog.update(done, failed)
        # The array has left the queue when squeue lists nothing (or no longer knows the job);
        # any other squeue failure (a busy controller) is retried for a while.
        if q.returncode == 0 and not q.stdout.strip():
            break
        if q.returncode != 0:
            if "Invalid job id" in q.stderr:
                break
            errors += 1
            if errors * poll > 300:
                raise SweepError("--backend slurm: squeue keeps failing: %s (job %s may still "
                                 "run; rerun later to collect it)" % (q.stderr.strip(), job))
        else:
            errors = 0
        time.sleep(poll)
    prog.close()


# ---------------------------------------------------------------------------------------------
# Aggregation: one tidy table over all points.


def override_keys(plan):
    keys = []
    for p in plan["points"]:
        for o in p["overrides"]:
            k = o.split("=", 1)[0]
            if k not in keys:
                keys.append(k)
    return keys


def csv_text(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def aggregate(out):
    with open(os.path.join(out, "plan.json")) as f:
        plan = json.load(f)
    keys = override_keys(plan)
    values = {p["id"]: dict(o.split("=", 1) for o in p["overrides"]) for p in plan["points"]}
    layer_header, layer_rows, net_rows, timing_rows, problems = None, [], [], [], []
    for run in plan["runs"]:
        ov = [values[run["point"]].get(k, "") for k in keys]
        st_path = status_path(out, run)
        if not os.path.exists(st_path):
            problems.append(run["id"] + ": not run")
            net_rows.append([run["point"]] + ov + [run["workload"]] + [""] * 9 + ["not run", ""])
            continue
        with open(st_path) as f:
            st = json.load(f)
        timing_rows.append([run["point"], run["workload"], st["seconds"]])
        status = STATUS.get(st["exit"], "exit %d" % st["exit"])
        stats_path = os.path.join(out, run["out"], "stats.json")
        if st["exit"] not in (0, 1) or not os.path.exists(stats_path):
            problems.append("%s: %s" % (run["id"], st["message"]))
            net_rows.append([run["point"]] + ov + [run["workload"]] + [""] * 9 +
                            [status, st["message"]])
            continue
        if st["exit"] != 0:
            problems.append("%s: %s" % (run["id"], st["message"]))
        with open(os.path.join(out, run["out"], "layers.csv"), newline="") as f:
            rows = list(csv.reader(f))
        k = rows[0].index("command_line")
        if layer_header is None:
            layer_header = rows[0][:k] + rows[0][k + 1:]
        for r in rows[1:]:
            layer_rows.append([run["point"]] + ov + r[:k] + r[k + 1:])
        with open(stats_path) as f:
            s = json.load(f)
        ls = s["layers"]
        energy = s.get("energy_pj")
        net_rows.append([run["point"]] + ov + [
            run["workload"], s["run"]["arch"]["name"], len(ls), s["total_cycles"],
            sum(l["macs"] for l in ls), sum(l["nonzero_macs"] for l in ls),
            json.dumps(s.get("inferences_per_second", "")).strip('"'),
            json.dumps(energy if energy is not None else "").strip('"'),
            json.dumps(s.get("inferences_per_joule", "")).strip('"'),
            "true" if s["bit_exact"] else "false", status, st["message"]])
    write_atomic(os.path.join(out, "sweep.csv"),
                 csv_text(["point"] + keys + (layer_header or []), layer_rows))
    write_atomic(os.path.join(out, "network.csv"), csv_text(
        ["point"] + keys + ["workload", "arch", "layers", "cycles", "macs", "nonzero_macs",
                            "inferences_per_second", "energy_pj", "inferences_per_joule",
                            "bit_exact", "status", "message"], net_rows))
    write_atomic(os.path.join(out, "timing.csv"),
                 csv_text(["point", "workload", "wall_seconds"], timing_rows))
    return problems


def plot(out):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "plot.py"), "--sweep", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    sys.stderr.write(p.stderr)
    return p.stdout.strip()


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_task"]:  # one Slurm array task: run k of DIR's plan
        out, k = argv[1], int(argv[2])
        with open(os.path.join(out, "plan.json")) as f:
            plan = json.load(f)
        run_one(out, plan["runs"][k])
        return 0  # the run's own exit is in its status file
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sweep", nargs="?", help="sweep YAML")
    ap.add_argument("--out", help="sweep folder")
    ap.add_argument("--jobs", "-j", type=int, default=0,
                    help="runs at once (0: one per core; Slurm: array throttle, 0 = none)")
    ap.add_argument("--backend", choices=["local", "slurm"], default="local")
    ap.add_argument("--sim", default=DEFAULT_SIM, help="eyeriss-sim binary")
    ap.add_argument("--aggregate", metavar="DIR", help="only rebuild DIR's tables and plot")
    a = ap.parse_args(argv)
    try:
        if a.aggregate:
            problems = aggregate(a.aggregate)
            print(plot(a.aggregate))
            return 1 if problems else 0
        if not a.sweep or not a.out:
            raise SweepError("usage: sweep.py SWEEP.yaml --out DIR (or --aggregate DIR)")
        if a.jobs < 0:
            raise SweepError("--jobs must be >= 0")
        sim = os.path.abspath(a.sim)
        if not os.access(sim, os.X_OK):
            raise SweepError("--sim '%s': not an executable (build with scripts/build.sh)" % a.sim)
        plan = make_plan(load_sweep(a.sweep), sim)
        prepare_dir(a.out, plan)
        pending = [r for r in plan["runs"] if not finished(a.out, r)]
        skipped = len(plan["runs"]) - len(pending)
        sys.stderr.write("sweep %s: %d points x %d workloads = %d runs%s\n" % (
            plan["name"], len(plan["points"]), len(plan["workloads"]), len(plan["runs"]),
            ", %d already done" % skipped if skipped else ""))
        for r in pending:  # a rerun starts from a clean status
            if os.path.exists(status_path(a.out, r)):
                os.remove(status_path(a.out, r))
        if pending:
            if a.backend == "local":
                run_local(a.out, plan, pending, a.jobs or os.cpu_count() or 1)
            else:
                run_slurm(a.out, plan, pending, a.jobs)
        problems = aggregate(a.out)
        figure = plot(a.out)
        for p in problems:
            sys.stderr.write("sweep: %s\n" % p)
        print("sweep: %s/sweep.csv, %s/network.csv%s" % (a.out, a.out,
                                                         ", " + figure if figure else ""))
        return 1 if problems else 0
    except SweepError as e:
        sys.stderr.write("error: %s\n" % e)
        return 2
    except Interrupted:
        sys.stderr.write("sweep: interrupted; run the same command again to resume\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
