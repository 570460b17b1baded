#!/usr/bin/env python3
"""run --jobs N: layers simulated in worker processes give byte-for-byte the outputs of one
process (stats.json, layers.csv, every .npy; apart from the recorded command line); failures in a worker end the run as they would in
one process.

Run by CMake as:  python3 test_jobs.py <path-to-eyeriss-sim> <repo-root>
"""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from outputs_equal import differing_files  # noqa: E402

SIM = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
ARCH = os.path.join(ROOT, "configs", "eyeriss_v2.yaml")
SINGLE = os.path.join(ROOT, "configs", "single_cluster.yaml")
EXAMPLE = os.path.join(ROOT, "workloads", "example.yaml")
MOBILENET = os.path.join(ROOT, "workloads", "mobilenet_v1_0.5_128_sparse.yaml")
ENV = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")


def run(*args):
    return subprocess.run([SIM, "run", "--quiet"] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, env=ENV, timeout=300)


class Jobs(unittest.TestCase):
    def setUp(self):
        self.tmp_obj = tempfile.TemporaryDirectory()
        self.tmp = self.tmp_obj.name

    def tearDown(self):
        self.tmp_obj.cleanup()

    def assert_same_outputs(self, a, b):
        names = sorted(os.listdir(a))
        self.assertEqual(names, sorted(os.listdir(b)))
        self.assertIn("stats.json", names)
        self.assertTrue(any(n.endswith(".psum.npy") for n in names), names)
        # Byte for byte, apart from the command line each run records (it names --jobs).
        self.assertEqual(differing_files(a, b), [], "files differ between %s and %s" % (a, b))

    def outputs(self, workload, jobs, arch=ARCH):
        out = os.path.join(self.tmp, "%s-j%s" % (os.path.basename(workload), jobs))
        p = run("--arch", arch, "--workload", workload, "--jobs", str(jobs), "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        return out, p.stdout

    def test_example_any_worker_count_same_bytes(self):
        one, table = self.outputs(EXAMPLE, 1)
        for jobs in (2, 3, 0):  # 0: one per core
            other, other_table = self.outputs(EXAMPLE, jobs)
            self.assert_same_outputs(one, other)
            self.assertEqual(table, other_table)

    def test_sparse_mobilenet_two_workers_same_bytes(self):
        one, table = self.outputs(MOBILENET, 1)
        two, two_table = self.outputs(MOBILENET, 2)
        self.assert_same_outputs(one, two)
        self.assertEqual(table, two_table)

    def test_a_deadlock_in_a_worker_is_exit_3_with_its_report_and_no_outputs(self):
        out = os.path.join(self.tmp, "dl")
        p = run("--arch", SINGLE, "--workload", EXAMPLE, "--jobs", "2",
                "--inject-fault", "starve", "--out", out)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("deadlock", p.stderr)
        self.assertIn("top.cg_r0_c0.", p.stderr)
        self.assertFalse(os.path.exists(out) and os.listdir(out), "outputs were written")

    def test_a_mismatch_in_a_worker_fails_the_run_with_coordinates(self):
        p = run("--arch", SINGLE, "--workload", EXAMPLE, "--jobs", "2", "--inject-fault", "psum")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("first mismatch: psum [", p.stdout)

    def test_trace_needs_one_process(self):
        p = run("--arch", SINGLE, "--workload", EXAMPLE, "--jobs", "2", "--trace", "conv1",
                "--out", os.path.join(self.tmp, "t"))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--jobs 2 with --trace", p.stderr)

    def test_bad_worker_count(self):
        p = run("--arch", SINGLE, "--workload", EXAMPLE, "--jobs", "-1")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--jobs", p.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
