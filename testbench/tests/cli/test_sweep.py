#!/usr/bin/env python3
"""scripts/sweep.py: plans, tables, resume, failures, and (class Slurm, ctest `sweep_slurm`)
the Slurm backend on a single-node cluster started on this machine.

Run by CMake as:  python3 test_sweep.py <path-to-eyeriss-sim> <repo-root> [unittest args]
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SIM = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
EXTRA_ARGS = sys.argv[3:]
del sys.argv[1:]
SWEEP = os.path.join(ROOT, "scripts", "sweep.py")
SINGLE = os.path.join(ROOT, "configs", "single_cluster.yaml")
EXAMPLE = os.path.join(ROOT, "workloads", "example.yaml")

# Six points (3 x 2 grid) on two workloads: the whole example network and a two-layer subset.
SIX_POINTS = """
name: six
base: %s
grid:
  noc.iact_link_bits: [12, 24, 48]
  noc.router_hop_cycles: [1, 2]
workloads:
  - %s
  - {path: %s, layers: [conv1, dw3]}
""" % (SINGLE, EXAMPLE, EXAMPLE)


def sweep(*args, env=None):
    return subprocess.run([sys.executable, SWEEP, "--sim", SIM, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=600,
                          env=env or os.environ)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class SweepCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="eyeriss_sweep_")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def run_ok(self, *args, env=None):
        p = sweep(*args, env=env)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p


class Local(SweepCase):
    def test_six_points_aggregate_into_one_tidy_table(self):
        out = os.path.join(self.tmp, "out")
        self.run_ok(self.write("s.yaml", SIX_POINTS), "--out", out, "--jobs", "2")
        with open(os.path.join(out, "plan.json")) as f:
            plan = json.load(f)
        self.assertEqual([p["overrides"] for p in plan["points"]],
                         [["noc.iact_link_bits=%d" % b, "noc.router_hop_cycles=%d" % h]
                          for b in (12, 24, 48) for h in (1, 2)])
        rows = read_csv(os.path.join(out, "sweep.csv"))
        self.assertEqual(len(rows), 6 * (5 + 2))  # 5 layers + 2 layers per point
        for p in plan["points"]:
            want = dict(o.split("=") for o in p["overrides"])
            mine = [r for r in rows if r["point"] == p["id"]]
            self.assertEqual(len(mine), 7, p["id"])
            for r in mine:
                self.assertEqual(r["noc.iact_link_bits"], want["noc.iact_link_bits"])
                self.assertEqual(r["noc.router_hop_cycles"], want["noc.router_hop_cycles"])
                self.assertEqual(r["overrides"], ";".join(p["overrides"]))
            # Each row is the run's own layers.csv row, the command line left out.
            run_rows = read_csv(os.path.join(out, "runs", p["id"], "example", "layers.csv"))
            for r, own in zip(mine, run_rows):
                del own["command_line"]
                self.assertEqual({k: r[k] for k in own}, own)
        self.assertNotIn("command_line", rows[0])
        net = read_csv(os.path.join(out, "network.csv"))
        self.assertEqual(len(net), 12)
        self.assertTrue(all(n["status"] == "ok" and n["bit_exact"] == "true" for n in net))
        whole = {n["point"]: n for n in net if n["workload"] == "example"}
        subset = [n for n in net if n["workload"] == "example-2"]
        self.assertTrue(all(float(n["inferences_per_second"]) > 0 for n in whole.values()))
        self.assertTrue(all(n["inferences_per_second"] == "" for n in subset))
        self.assertTrue(all(n["layers"] == "2" for n in subset))
        # Narrower iact links never make the network faster (hop cycles equal).
        for h, (a, b, c) in (("1", ("p000", "p002", "p004")), ("2", ("p001", "p003", "p005"))):
            cyc = [int(whole[p]["cycles"]) for p in (a, b, c)]
            self.assertEqual(whole[a]["noc.router_hop_cycles"], h)
            self.assertGreaterEqual(cyc[0], cyc[1])
            self.assertGreaterEqual(cyc[1], cyc[2])
        self.assertTrue(os.path.exists(os.path.join(out, "pareto.png")))

    def test_an_interrupted_sweep_resumes_without_redoing_finished_points(self):
        spec = self.write("s.yaml", SIX_POINTS)
        out = os.path.join(self.tmp, "out")
        self.run_ok(spec, "--out", out)
        first = {n: read_bytes(os.path.join(out, n)) for n in ("sweep.csv", "network.csv")}
        # As if the sweep had been stopped before p004's second run finished.
        lost = os.path.join(out, "runs", "p004", "example-2")
        shutil.rmtree(lost)
        os.remove(os.path.join(out, "status", "p004__example-2.json"))
        kept = os.path.join(out, "runs", "p001", "example", "stats.json")
        mtime = os.stat(kept).st_mtime_ns
        p = self.run_ok(spec, "--out", out)
        self.assertIn("11 already done", p.stderr)
        self.assertIn("12/12 runs", p.stderr)
        self.assertEqual(os.stat(kept).st_mtime_ns, mtime, "a finished run was redone")
        self.assertTrue(os.path.exists(os.path.join(lost, "stats.json")))
        for n, data in first.items():
            self.assertEqual(read_bytes(os.path.join(out, n)), data, n)

    def test_a_different_sweep_into_the_same_folder_is_refused(self):
        out = os.path.join(self.tmp, "out")
        one = self.write("one.yaml", "base: %s\npoints: [{noc.iact_link_bits: 24}]\n"
                                     "workloads: [{path: %s, layers: [fc5]}]\n" % (SINGLE, EXAMPLE))
        self.run_ok(one, "--out", out)
        two = self.write("two.yaml", "base: %s\npoints: [{noc.iact_link_bits: 48}]\n"
                                     "workloads: [{path: %s, layers: [fc5]}]\n" % (SINGLE, EXAMPLE))
        p = sweep(two, "--out", out)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("holds a different sweep", p.stderr)

    def test_a_failing_point_is_reported_and_the_others_still_run(self):
        out = os.path.join(self.tmp, "out")
        spec = self.write("s.yaml", "base: %s\ngrid: {noc.iact_link_bits: [4, 24]}\n"
                                    "workloads: [{path: %s, layers: [fc5]}]\n" % (SINGLE, EXAMPLE))
        p = sweep(spec, "--out", out)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("p000/example: error:", p.stderr)
        net = read_csv(os.path.join(out, "network.csv"))
        self.assertEqual([n["status"] for n in net], ["bad input", "ok"])
        self.assertIn("noc.iact_link_bits must be >= 12", net[0]["message"])
        self.assertEqual({r["point"] for r in read_csv(os.path.join(out, "sweep.csv"))}, {"p001"})

    def test_string_values_and_workload_ids(self):
        # A name YAML would misread unquoted ("#" starts a comment) arrives whole; two
        # workloads named alike get distinct folders.
        other = os.path.join(self.tmp, "other")
        os.makedirs(other)
        shutil.copy(EXAMPLE, os.path.join(other, "example.yaml"))
        spec = self.write("s.yaml", "base: %s\npoints: [{name: 'v2 #3: narrow'}]\n"
                                    "workloads:\n  - {path: %s, layers: [fc5]}\n"
                                    "  - {path: %s, layers: [fc5]}\n"
                                    "  - {path: %s, layers: [dw3]}\n"
                          % (SINGLE, EXAMPLE, os.path.join(other, "example.yaml"), EXAMPLE))
        out = os.path.join(self.tmp, "out")
        self.run_ok(spec, "--out", out)
        net = read_csv(os.path.join(out, "network.csv"))
        self.assertEqual([n["workload"] for n in net], ["example", "example-2", "example-3"])
        self.assertEqual({n["arch"] for n in net}, {"v2 #3: narrow"})

    def test_ctrl_c_stops_the_sweep_and_a_rerun_resumes(self):
        import signal
        import time

        spec = self.write("s.yaml", "base: %s\ngrid: {noc.router_hop_cycles: [1, 2, 3, 4, 5, 6]}\n"
                                    "workloads: [%s]\n" % (SINGLE, EXAMPLE))
        out = os.path.join(self.tmp, "out")
        p = subprocess.Popen([sys.executable, SWEEP, "--sim", SIM, spec, "--out", out,
                              "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True)
        status = os.path.join(out, "status")
        deadline = time.time() + 120
        while time.time() < deadline and not (os.path.isdir(status) and os.listdir(status)):
            time.sleep(0.05)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted; run the same command again to resume", err)
        done = len(os.listdir(status))
        self.assertLess(done, 6, "the sweep went on after Ctrl-C")
        q = self.run_ok(spec, "--out", out)
        self.assertIn("%d already done" % done, q.stderr)
        self.assertEqual(len(read_csv(os.path.join(out, "network.csv"))), 6)

    def test_pareto_front_keeps_the_points_nothing_beats_in_both(self):
        sys.path.insert(0, os.path.join(ROOT, "scripts"))
        import plot

        pts = [(1, 5), (2, 4), (2, 3), (3, 1), (1, 2), (0.5, 5)]
        self.assertEqual(plot.pareto_front(pts), [(1, 5), (2, 4), (3, 1)])

    def test_bad_sweep_files_name_the_file_and_key(self):
        cases = [
            ("base: %s\nworkloads: [%s]\ngird: {a: [1]}\n" % (SINGLE, EXAMPLE), "unknown key 'gird'"),
            ("base: %s\ngrid: {noc.iact_link_bits: 24}\nworkloads: [%s]\n" % (SINGLE, EXAMPLE),
             "grid.noc.iact_link_bits must be a non-empty list"),
            ("base: %s\nworkloads: []\n" % SINGLE, "'workloads' must be a non-empty list"),
            ("base: nowhere.yaml\nworkloads: [%s]\n" % EXAMPLE, "base 'nowhere.yaml': file not found"),
            ("base: %s\npoints: [{a: [1, 2]}]\nworkloads: [%s]\n" % (SINGLE, EXAMPLE),
             "points[0].a: expected a number"),
            ("base: %s\ngrid: {a: [1]}\npoints: [{a: 2}]\nworkloads: [%s]\n" % (SINGLE, EXAMPLE),
             "points[0].a is also a grid key"),
            ("[1, 2", "malformed YAML"),
        ]
        for text, want in cases:
            path = self.write("bad.yaml", text)
            p = sweep(path, "--out", os.path.join(self.tmp, "o"))
            self.assertEqual(p.returncode, 2, text + p.stderr)
            self.assertIn(path, p.stderr, text)
            self.assertIn(want, p.stderr, text)
            self.assertNotIn("Traceback", p.stderr, text)


@unittest.skipUnless(os.environ.get("EYERISS_SLURM_TEST") == "1",
                     "the Slurm backend test runs as ctest sweep_slurm (EYERISS_SLURM_TEST=1)")
class Slurm(SweepCase):
    """A single-node Slurm from Debian's packages (scripts/slurm_local.sh), the six-point sweep
    through `sbatch --array`, and its tables equal to the local backend's byte for byte."""

    def test_slurm_backend_equals_local_byte_for_byte(self):
        if os.geteuid() != 0:
            self.fail("the Slurm test needs root to start munged and the Slurm daemons")
        state = os.path.join(self.tmp, "slurm")
        env = dict(os.environ, EYERISS_SLURM_DIR=state)
        start = subprocess.run(["bash", os.path.join(ROOT, "scripts", "slurm_local.sh"), "start"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, env=env, timeout=600)
        self.addCleanup(subprocess.run, ["bash", os.path.join(ROOT, "scripts", "slurm_local.sh"),
                                         "stop"], env=env, stdout=subprocess.DEVNULL)
        self.assertEqual(start.returncode, 0, start.stdout)
        env["SLURM_CONF"] = os.path.join(state, "slurm.conf")
        spec = self.write("s.yaml", SIX_POINTS)
        local, slurm = os.path.join(self.tmp, "local"), os.path.join(self.tmp, "slurm_out")
        self.run_ok(spec, "--out", local, "--jobs", "2")
        p = self.run_ok(spec, "--out", slurm, "--backend", "slurm", env=env)
        self.assertIn("submitted Slurm job array", p.stderr)
        # Every run went through Slurm: one array task log each.
        logs = os.listdir(os.path.join(slurm, "slurm"))
        self.assertEqual(len([n for n in logs if n.endswith(".out")]), 12, logs)
        for n in ("sweep.csv", "network.csv"):
            self.assertEqual(read_bytes(os.path.join(local, n)), read_bytes(os.path.join(slurm, n)),
                             n + " differs between the backends")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *EXTRA_ARGS], verbosity=2)
