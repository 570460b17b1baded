#!/usr/bin/env python3
"""End-to-end tests of the eyeriss-sim command line: outputs, exit codes, bad input.

Run by CMake as:  python3 test_cli.py <path-to-eyeriss-sim> <repo-root>
Standard library only (no numpy): .npy files are written and read by the small helpers below.
"""
import ast
import csv
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

if len(sys.argv) < 3:
    sys.exit("usage: test_cli.py <path-to-eyeriss-sim> <repo-root> [unittest args]")
SIM = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
EXTRA_ARGS = sys.argv[3:]
del sys.argv[1:]

SINGLE_CLUSTER = os.path.join(ROOT, "configs", "single_cluster.yaml")
PUBLISHED = os.path.join(ROOT, "configs", "eyeriss_v2.yaml")
EXAMPLE = os.path.join(ROOT, "workloads", "example.yaml")

# Per layer of workloads/example.yaml: output shape [N, M, E, F] (before host-side pooling).
EXAMPLE_SHAPES = {
    "conv1": [1, 16, 16, 16],
    "grouped2": [1, 32, 16, 16],
    "dw3": [1, 32, 8, 8],
    "pw4": [1, 64, 8, 8],
    "fc5": [1, 10, 1, 1],
}

TIMEOUT = 120  # seconds per simulator run

# ---------------------------------------------------------------------------------------------
# Tiny .npy reader/writer (format 1.0, C order).

_ITEMSIZE = {"|u1": 1, "|i1": 1, "<i2": 2, "<i4": 4, "<u4": 4, "<f4": 4, "<i8": 8, "<f8": 8}
_PACK = {"|u1": "B", "|i1": "b", "<i2": "h", "<i4": "i", "<u4": "I", "<f4": "f", "<i8": "q",
         "<f8": "d"}


def write_npy(path, descr, shape, values=None):
    """Writes an array of dtype `descr` and `shape`; values default to a small pattern."""
    count = 1
    for d in shape:
        count *= d
    if values is None:
        values = [(i * 7 + 3) % 5 for i in range(count)]
    assert len(values) == count
    # Python tuple syntax, as numpy writes it: (5,) or (2, 3).
    shape_txt = "(%s,)" % shape[0] if len(shape) == 1 else "(%s)" % ", ".join(map(str, shape))
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_txt)
    total = len(b"\x93NUMPY") + 2 + 2 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    data = struct.pack("<%d%s" % (count, _PACK[descr]), *values)
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00")
        f.write(struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(data)


def read_npy(path):
    """Returns (descr, shape, fortran_order, values) of a .npy file (versions 1.0 to 3.0)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:6] != b"\x93NUMPY":
        raise ValueError("%s: not a .npy file" % path)
    major = raw[6]
    if major == 1:
        (hlen,) = struct.unpack("<H", raw[8:10])
        start = 10
    else:
        (hlen,) = struct.unpack("<I", raw[8:12])
        start = 12
    header = ast.literal_eval(raw[start:start + hlen].decode("latin1"))
    descr, shape = header["descr"], list(header["shape"])
    body = raw[start + hlen:]
    count = 1
    for d in shape:
        count *= d
    if len(body) != count * _ITEMSIZE[descr]:
        raise ValueError("%s: %d data bytes for shape %s and dtype %s" %
                         (path, len(body), shape, descr))
    values = struct.unpack("<%d%s" % (count, _PACK[descr]), body)
    return descr, shape, header["fortran_order"], values


# ---------------------------------------------------------------------------------------------
# Helpers.


def run_sim(*args, cwd=None):
    return subprocess.run([SIM, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=TIMEOUT,
                          env=dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE"))


def describe(p):
    return "exit %s\n--- stdout:\n%s\n--- stderr:\n%s" % (p.returncode, p.stdout, p.stderr)


def folder_listing(path):
    """Every file and folder under `path` (relative), hidden ones included."""
    out = []
    for base, dirs, files in os.walk(path):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(base, n), path))
    return sorted(out)


SMALL_WORKLOAD = """\
name: small
seed: 5
layers:
  - {name: conv_a, type: conv, C: 4, M: 6, H: 8, W: 8, R: 3, S: 3, stride: 1, pad: 1, shift: 8}
  - {name: conv_b, type: conv, C: 6, M: 8, H: 8, W: 8, R: 3, S: 3, stride: 1, pad: 1, shift: 8}
"""


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="eyeriss_cli_")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.out = os.path.join(self.tmp, "out")

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def arch_text(self, path=SINGLE_CLUSTER):
        with open(path) as f:
            return f.read()

    def assert_no_crash(self, p):
        self.assertGreaterEqual(p.returncode, 0, "killed by a signal\n" + describe(p))
        for bad in ("Aborted", "core dumped", "Segmentation fault", "terminate called",
                    "Traceback"):
            self.assertNotIn(bad, p.stdout + p.stderr, describe(p))

    def assert_bad_input(self, args, must_name):
        """Runs with --out and --quiet; expects exit 2, one clear message on stderr naming every
        string in `must_name` (a tuple inside it means any one of those), and no output files."""
        p = run_sim(*args, "--out", self.out, "--quiet")
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 2, describe(p))
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, "expected a single message on stderr\n" + describe(p))
        msg = lines[0]
        self.assertNotIn("internal error", msg, describe(p))
        for what in must_name:
            options = what if isinstance(what, tuple) else (what,)
            self.assertTrue(any(o in msg for o in options),
                            "the message does not name %s\n%s" % (" or ".join(map(repr, options)),
                                                                   describe(p)))
        if os.path.exists(self.out):
            self.assertEqual(folder_listing(self.out), [],
                             "files were written for a bad input\n" + describe(p))
        self.assertNotIn("PASS", p.stdout, describe(p))
        return msg


# ---------------------------------------------------------------------------------------------
# Overrides, run metadata and the CSV: what a sweep or a pipeline reads.


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class RunMetadata(CliTestCase):
    def run_ok(self, *args):
        p = run_sim("run", "--quiet", *args)
        self.assertEqual(p.returncode, 0, describe(p))
        return p

    def stats(self, out=None):
        with open(os.path.join(out or self.out, "stats.json")) as f:
            return json.load(f)

    def test_version(self):
        p = run_sim("--version")
        self.assertEqual(p.returncode, 0, describe(p))
        self.assertRegex(p.stdout.strip(), r"^eyeriss-sim \d+\.\d+\.\d+")

    def test_set_equals_a_variant_file_and_is_recorded(self):
        # --set noc.iact_link_bits=12 must give exactly what a copy of the file with that value
        # gives, and differ from the base file (narrower iact links cost cycles on conv1).
        args = ("--workload", EXAMPLE, "--layers", "conv1")
        base, via_set, via_file = (os.path.join(self.tmp, n) for n in ("base", "set", "file"))
        self.run_ok("--arch", SINGLE_CLUSTER, *args, "--out", base)
        self.run_ok("--arch", SINGLE_CLUSTER, *args, "--out", via_set,
                    "--set", "noc.iact_link_bits=12", "--set", "name=narrow")
        text = self.arch_text().replace("iact_link_bits: 24", "iact_link_bits: 12")
        self.assertIn("iact_link_bits: 12", text)
        variant = self.write("narrow.yaml", re.sub(r"(?m)^name: .*$", "name: narrow", text))
        self.run_ok("--arch", variant, *args, "--out", via_file)
        s_base, s_set, s_file = self.stats(base), self.stats(via_set), self.stats(via_file)
        self.assertEqual(s_set["layers"], s_file["layers"])
        self.assertGreater(s_set["total_cycles"], s_base["total_cycles"])
        run = s_set["run"]
        self.assertEqual(run["overrides"], ["noc.iact_link_bits=12", "name=narrow"])
        self.assertEqual(run["arch"], {"name": "narrow", "path": SINGLE_CLUSTER})
        self.assertEqual(run["workload"], {"name": "example", "path": EXAMPLE})
        self.assertIn("--set noc.iact_link_bits=12", run["command_line"])
        self.assertEqual(run["simulator_version"],
                         run_sim("--version").stdout.strip()[len("eyeriss-sim "):])
        row = read_csv(os.path.join(via_set, "layers.csv"))[0]
        self.assertEqual(row["overrides"], "noc.iact_link_bits=12;name=narrow")
        self.assertEqual(row["arch"], "narrow")
        self.assertEqual(row["workload"], "example")
        self.assertEqual(row["command_line"], run["command_line"])

    def test_bad_set_is_refused_naming_the_override(self):
        for ov, names in (("noc.foo=1", ["--set noc.foo=1", "unknown key 'noc.foo'"]),
                          ("noc.iact_link_bits=0", ["--set noc.iact_link_bits=0", ">= 12"]),
                          ("pe.simd=two", ["pe.simd", "an integer"]),
                          ("noc.iact_link_bits", ["--set", "KEY.PATH=VALUE"])):
            self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE,
                                   "--set", ov), names)

    def test_no_tensors_writes_stats_only(self):
        self.run_ok("--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out)
        self.run_ok("--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                    "--no-tensors")
        self.assertEqual(folder_listing(self.out), ["layers.csv", "stats.json"])
        self.assertTrue(all(l["bit_exact"] for l in self.stats()["layers"]))

    def test_layers_list_trims_spaces(self):
        self.run_ok("--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                    "--layers", " conv1 , dw3 ")
        self.assertEqual([l["name"] for l in self.stats()["layers"]], ["conv1", "dw3"])

    def test_flags_that_would_do_nothing_are_refused(self):
        base = ("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE)
        for extra, names in ((("--explain",), ["--explain", "--eyexam"]),
                             (("--trace-file", os.path.join(self.tmp, "t.json")),
                              ["--trace-file", "--trace"])):
            self.assert_bad_input(base + extra, names)
        p = run_sim(*base, "--no-tensors", "--quiet")
        self.assertEqual(p.returncode, 2, describe(p))
        self.assertIn("--no-tensors needs --out", p.stderr)

    def test_verbosity_levels(self):
        # Run messages go through SystemC's report handler: -q none, default progress, -v the
        # mappings too.
        base = ("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--layers", "fc5")
        quiet, default, verbose = (run_sim(*base, *flag) for flag in (("-q",), (), ("-v",)))
        for p in (quiet, default, verbose):
            self.assertEqual(p.returncode, 0, describe(p))
        self.assertEqual(quiet.stderr, "")
        self.assertIn("layer 1 of 1: fc5", default.stderr)
        self.assertNotIn("mapped layer", default.stderr)
        self.assertIn("layer 1 of 1: fc5", verbose.stderr)
        self.assertIn("mapped layer 'fc5': M0=", verbose.stderr)
        self.assertNotIn("Info:", verbose.stderr)

    def test_csv_agrees_with_stats_exactly(self):
        self.run_ok("--arch", PUBLISHED, "--workload", EXAMPLE, "--out", self.out)
        stats = self.stats()
        rows = read_csv(os.path.join(self.out, "layers.csv"))
        self.assertEqual(len(rows), len(stats["layers"]))
        steps = ["shape", "dataflow", "pes", "array", "storage", "bandwidth", "measured"]
        for r, l in zip(rows, stats["layers"]):
            c = l["counters"]
            spad = sum(v for sp in c["spad"].values() for v in sp.values())
            self.assertEqual(int(r["spad_accesses"]), spad, l["name"])
            psum = c["noc"]["psum"]
            self.assertGreater(psum["column_bits"], 0, l["name"])
            self.assertEqual(int(r["noc_psum_bits"]),
                             psum["column_bits"] + psum["local_bits"] + psum["mesh_bits"])
            # Floating values read back to the very same double.
            self.assertEqual(float(r["energy_pj"]), l["energy_pj"], l["name"])
            self.assertEqual(float(r["utilization"]), l["utilization"], l["name"])
            self.assertEqual(float(r["busy_mean"]), l["pe_busy_cycles"]["mean"], l["name"])
            for k, step in enumerate(steps):
                self.assertEqual(float(r["eyexam%d_%s" % (k + 1, step)]), l["eyexam"][k])
            off = c["offchip"]
            self.assertEqual(float(r["offchip_bytes"]),
                             (off["iact_bits"] + off["weight_bits"] + off["oact_bits"]) / 8)
            # The least off-chip traffic bounds the real one; oacts cross exactly once.
            least = l["offchip_min_bits"]
            for t in ("iact", "weight"):
                self.assertGreaterEqual(off[t + "_bits"], least[t], (l["name"], t))
                self.assertGreater(least[t], 0, (l["name"], t))
            self.assertEqual(off["oact_bits"], least["oact"], l["name"])
            self.assertEqual(float(r["offchip_min_bytes"]), sum(least.values()) / 8)
            self.assertEqual(float(r["offchip_weight_vs_min"]),
                             off["weight_bits"] / least["weight"])
            # Clock, leakage and control: every PE and cluster for the whole layer (192 PEs in
            # 16 clusters on the published chip), one 2134-bit command per layer.
            chip = c["chip"]
            self.assertEqual(chip["cycles"], l["cycles"])
            self.assertEqual(chip["pe_cycles"], 192 * l["cycles"])
            self.assertEqual(chip["cluster_cycles"], 16 * l["cycles"])
            self.assertEqual(c["control"]["config_bits"], 2134)
            # The buses' ID tables name exactly the PEs that take a packet, in every layer of a
            # run on one chip (a table left with an earlier layer's IDs made a PE refuse one).
            for t in ("iact", "weight"):
                self.assertEqual(c["noc"][t]["offers_refused"], 0, (l["name"], t))
            self.assertEqual(r["pe_mode"], l["mapping"]["pe_mode"])
            self.assertEqual(r["order"], l["mapping"]["order"])
            # The mapper's count of the program's off-chip reads is what the chip read.
            self.assertEqual(l["mapping"]["offchip_read_bits"],
                             off["iact_bits"] + off["weight_bits"], l["name"])
            self.assertIn(r["pe_mode"], ("sparse", "dense"))
        self.assertAlmostEqual(stats["energy_onchip_pj"],
                               stats["energy_pj"] - stats["energy_breakdown_pj"]["offchip"])

    def test_every_csv_column_is_documented(self):
        self.run_ok("--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--layers", "fc5",
                    "--out", self.out, "--no-tensors")
        with open(os.path.join(self.out, "layers.csv")) as f:
            header = f.readline().strip().split(",")
        with open(os.path.join(ROOT, "docs", "outputs.md")) as f:
            doc = f.read()
        for col in header:
            self.assertIn("| `%s` |" % col, doc, "docs/outputs.md does not describe " + col)


# ---------------------------------------------------------------------------------------------
# Runs that must fail: a wrong psum (test-only fault injection) and a deadlock.


class Failures(CliTestCase):
    def test_corrupted_psum_prints_fail_with_coordinates_and_exits_1(self):
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", wl, "--quiet",
                    "--inject-fault", "psum")
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 1, describe(p))
        self.assertIn("FAIL", p.stdout, describe(p))
        self.assertIn("first mismatch: psum [", p.stdout, describe(p))
        self.assertIn("mismatch", p.stderr, describe(p))

    def test_deadlock_exits_3_naming_the_stuck_block_and_socket(self):
        wl = self.write("wl.yaml", """\
layers:
  - {name: pw, type: conv, C: 2, M: 2, H: 4, W: 4, R: 1, S: 1, shift: 4}
""")
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", wl, "--quiet",
                    "--inject-fault", "starve", "--out", self.out)
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 3, describe(p))
        self.assertIn("deadlock", p.stderr, describe(p))
        self.assertIn("top.cg_r0_c0.", p.stderr, describe(p))
        self.assertRegex(p.stderr, r"\.(to_pe|psum_out|to_router|to_offchip)", describe(p))
        if os.path.exists(self.out):
            self.assertEqual(folder_listing(self.out), [], "a deadlocked run wrote outputs")


    def test_undersized_buffer_is_reported_not_hung(self):
        # Mapped for the real 32-entry psum SPad (M0 = 4), built with a 1-entry one: the PE
        # checks each pass against its SPads when it is configured and must stop the run there,
        # naming itself and the SPad, instead of waiting for room that never comes.
        wl = self.write("wl.yaml", """\
layers:
  - {name: pw, type: conv, C: 4, M: 8, H: 4, W: 4, R: 1, S: 1, shift: 4,
     mapping: {M0: 4, C0: 1, F0: 1, vr: 1}}
""")
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", wl, "--quiet",
                    "--inject-fault", "undersize", "--out", self.out)
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 3, describe(p))
        self.assertRegex(p.stderr, r"internal error \(model\): top\.cg_r0_c0\.pe_cluster\."
                         r"pe_r\d_c\d: M0 = 4 psums exceed the psum SPad \(1 entries\)",
                         describe(p))
        self.assertNotIn("sc_except.cpp", p.stderr, describe(p))
        if os.path.exists(self.out):
            self.assertEqual(folder_listing(self.out), [], "a stopped run wrote outputs")

    def test_watchdog_stops_a_run_that_makes_no_progress(self):
        # A 200,000-cycle DRAM latency: nothing moves for that long, which a 1,000-cycle
        # watchdog reports (exit 3, naming the span), and the default one allows.
        arch = self.write("slow.yaml", "name: slow\ncluster_array: {rows: 1, cols: 1}\n"
                          "offchip: {latency_cycles: 200000}\n")
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        p = run_sim("run", "--arch", arch, "--workload", wl, "--quiet", "--watchdog-cycles",
                    "1000", "--out", self.out)
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 3, describe(p))
        self.assertNotIn("Simulation stopped by user", p.stderr, describe(p))
        self.assertRegex(p.stderr, r"no progress \(no link transfer completed between cycles "
                         r"\d+ and \d+ \(--watchdog-cycles 1000\)\)", describe(p))
        if os.path.exists(self.out):
            self.assertEqual(folder_listing(self.out), [], "a stopped run wrote outputs")
        p = run_sim("run", "--arch", arch, "--workload", wl, "--quiet")
        self.assertEqual(p.returncode, 0, describe(p))


# ---------------------------------------------------------------------------------------------
# Good runs.


class HappyPath(CliTestCase):
    def check_outputs(self, names):
        files = folder_listing(self.out)
        expected = sorted([n + ".psum.npy" for n in names] + [n + ".oact.npy" for n in names] +
                          ["stats.json", "layers.csv"])
        self.assertEqual(files, expected)
        for n in names:
            descr, shape, fortran, values = read_npy(os.path.join(self.out, n + ".psum.npy"))
            self.assertEqual(descr, "<i4", n)
            self.assertEqual(shape, EXAMPLE_SHAPES[n], n)
            self.assertFalse(fortran, n)
            self.assertTrue(any(v != 0 for v in values), n + ": all psums are zero")
            descr, shape, fortran, values = read_npy(os.path.join(self.out, n + ".oact.npy"))
            self.assertEqual(descr, "|u1", n)
            self.assertEqual(shape, EXAMPLE_SHAPES[n], n)
            self.assertFalse(fortran, n)
        with open(os.path.join(self.out, "stats.json")) as f:
            stats = json.load(f)
        self.assertGreater(stats["clock_hz"], 0)
        self.assertIsInstance(stats["total_cycles"], int)
        self.assertGreater(stats["total_cycles"], 0)
        self.assertEqual([l["name"] for l in stats["layers"]], names)
        total = 0
        for l in stats["layers"]:
            for key in ("name", "cycles", "macs", "nonzero_macs", "bit_exact"):
                self.assertIn(key, l, l.get("name"))
            self.assertIs(l["bit_exact"], True, l["name"])
            self.assertGreater(l["cycles"], 0, l["name"])
            self.assertGreater(l["macs"], 0, l["name"])
            self.assertGreaterEqual(l["macs"], l["nonzero_macs"], l["name"])
            self.assertGreater(l["nonzero_macs"], 0, l["name"])
            total += l["cycles"]
        self.assertEqual(stats["total_cycles"], total)
        # Issue 4: Eyexam (non-increasing, the 7th the measured effective MACs per cycle) and
        # energy per layer; the CSV has one row per layer agreeing with stats.json.
        for l in stats["layers"]:
            b = l["eyexam"]
            self.assertEqual(len(b), 7, l["name"])
            for k in range(1, 7):
                self.assertLessEqual(b[k], b[k - 1] * (1 + 1e-9), (l["name"], k))
            self.assertAlmostEqual(b[6], l["nonzero_macs"] / l["cycles"], places=6)
            self.assertGreater(l["energy_pj"], 0, l["name"])
            self.assertAlmostEqual(sum(l["energy_breakdown_pj"].values()), l["energy_pj"],
                                   delta=1e-6 * l["energy_pj"])
        with open(os.path.join(self.out, "layers.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["name"] for r in rows], names)
        for r, l in zip(rows, stats["layers"]):
            self.assertEqual(int(r["cycles"]), l["cycles"])
            self.assertEqual(r["bit_exact"], "true")
        return stats

    def test_example_all_layers(self):
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out)
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 0, describe(p))
        for n in EXAMPLE_SHAPES:
            line = [l for l in p.stdout.splitlines() if l.split()[:1] == [n]]
            self.assertEqual(len(line), 1, "no table row for %s\n%s" % (n, describe(p)))
            self.assertIn("PASS", line[0])
        self.assertNotIn("FAIL", p.stdout)
        self.check_outputs(list(EXAMPLE_SHAPES))

    def test_layers_subset(self):
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--layers",
                    "grouped2,fc5", "--out", self.out, "--quiet")
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 0, describe(p))
        rows = [l.split()[0] for l in p.stdout.splitlines() if "PASS" in l or "FAIL" in l]
        self.assertEqual(rows, ["grouped2", "fc5"], describe(p))
        self.check_outputs(["grouped2", "fc5"])

    def test_a_long_layer_prints_progress(self):
        # A large legal layer (minutes of simulation): a progress line must come within seconds
        # of the simulation starting; the run is then stopped.
        wl = self.write("large.yaml", "name: t\nlayers:\n  - {name: big, type: conv, C: 512, "
                        "M: 512, H: 112, W: 112, R: 3, S: 3, pad: 1, shift: 12, "
                        "weight_density: 0.3}\n")
        p = subprocess.Popen([SIM, "run", "--arch", PUBLISHED, "--workload", wl],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             universal_newlines=True, cwd=self.tmp,
                             env=dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE"))
        seen = []
        try:
            for line in p.stderr:
                seen.append(line)
                if "simulated cycles/s" in line:
                    break
        finally:
            p.kill()
            p.wait()
        self.assertTrue(any("... layer 1 of 1 ('big'): cycle" in l for l in seen), "".join(seen))

    def test_quiet_has_no_progress(self):
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--quiet")
        self.assertEqual(p.returncode, 0, describe(p))
        self.assertEqual(p.stderr.strip(), "", describe(p))

    def test_no_out_writes_nothing(self):
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--quiet",
                    cwd=self.tmp)
        self.assertEqual(p.returncode, 0, describe(p))
        self.assertEqual(folder_listing(self.tmp), [])

    def test_rerun_overwrites_cleanly(self):
        args = ("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                "--quiet")
        p1 = run_sim(*args)
        self.assertEqual(p1.returncode, 0, describe(p1))
        first = {}
        for n in folder_listing(self.out):
            with open(os.path.join(self.out, n), "rb") as f:
                first[n] = f.read()
        p2 = run_sim(*args)
        self.assertEqual(p2.returncode, 0, describe(p2))
        second = {}
        for n in folder_listing(self.out):
            with open(os.path.join(self.out, n), "rb") as f:
                second[n] = f.read()
        self.assertEqual(sorted(first), sorted(second), "the second run left other files")
        for n in first:
            if n != "stats.json":  # may hold timing-independent data only, but compare loosely
                self.assertEqual(first[n], second[n], n + " differs between identical runs")
        s1, s2 = json.loads(first["stats.json"]), json.loads(second["stats.json"])
        self.assertEqual(s1["total_cycles"], s2["total_cycles"])
        self.check_outputs(list(EXAMPLE_SHAPES))

    def test_rerun_subset_into_full_out(self):
        # A later run with fewer layers replaces the files it writes and stats.json.
        p1 = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                     "--quiet")
        self.assertEqual(p1.returncode, 0, describe(p1))
        p2 = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                     "--quiet", "--layers", "dw3")
        self.assertEqual(p2.returncode, 0, describe(p2))
        with open(os.path.join(self.out, "stats.json")) as f:
            stats = json.load(f)
        self.assertEqual([l["name"] for l in stats["layers"]], ["dw3"])
        # No stale files: the folder holds this run's outputs only.
        self.assertEqual(folder_listing(self.out),
                         ["dw3.oact.npy", "dw3.psum.npy", "layers.csv", "stats.json"])

    def test_npy_inputs(self):
        # Weights and iacts from .npy files (relative paths resolve from the YAML's folder).
        write_npy(os.path.join(self.tmp, "w.npy"), "|i1", [6, 4, 3, 3],
                  [((i * 37) % 255) - 127 for i in range(6 * 4 * 9)])
        write_npy(os.path.join(self.tmp, "x.npy"), "|u1", [1, 4, 8, 8],
                  [(i * 53) % 256 for i in range(4 * 64)])
        wl = self.write("wl.yaml", """\
name: files
layers:
  - {name: f1, type: conv, C: 4, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8,
     weights: w.npy, iacts: x.npy}
""")
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", wl, "--out", self.out,
                    "--quiet")
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 0, describe(p))
        descr, shape, _, _ = read_npy(os.path.join(self.out, "f1.psum.npy"))
        self.assertEqual((descr, shape), ("<i4", [1, 6, 8, 8]))

    def test_pinned_mapping_and_report(self):
        wl = self.write("pin.yaml", """\
name: pin
layers:
  - {name: pw, type: conv, C: 32, M: 64, H: 8, W: 8, R: 1, S: 1, shift: 9, weight_density: 0.5,
     mapping: {M0: 4, C0: 8, noc: {iact: unicast}}}
  - {name: pw2, type: conv, C: 64, M: 16, H: 8, W: 8, R: 1, S: 1, shift: 9}
""")
        p = run_sim("run", "--arch", PUBLISHED, "--workload", wl, "--out", self.out, "--quiet",
                    "--mapping-report")
        self.assertEqual(p.returncode, 0, describe(p))
        self.assertIn("layer pw (pointwise): M0=4 C0=8", p.stdout)
        self.assertIn("[pinned]", p.stdout)
        self.assertIn("level 0 (SPad)", p.stdout)
        self.assertIn("NoC: iacts unicast", p.stdout)
        self.assertIn("candidates", p.stdout)  # pw2 is searched
        with open(os.path.join(self.out, "stats.json")) as f:
            stats = json.load(f)
        m = stats["layers"][0]["mapping"]
        self.assertEqual((m["M0"], m["C0"], m["pinned"]), (4, 8, True))
        self.assertFalse(stats["layers"][1]["mapping"]["pinned"])
        self.assertEqual(stats["layers"][0]["noc"]["iact"]["pattern"], "unicast")
        self.assertIn("inferences_per_second", stats)

    def test_pe_mode_pins_and_policy(self):
        # A layer pins its PE mode alone (tiles searched) or with its tiles; the architecture's
        # mapper.pe_mode sets the rest; a sparse pin on a dense PE is refused naming the layer.
        wl = self.write("modes.yaml", """\
name: modes
layers:
  - {name: dw, type: conv, C: 8, M: 8, G: 8, H: 10, W: 10, R: 3, S: 3, pad: 1, shift: 6,
     weight_density: 0.9, iact_density: 0.5, mapping: {pe_mode: dense}}
  - {name: pw, type: conv, C: 8, M: 16, H: 10, W: 10, R: 1, S: 1, shift: 6,
     weight_density: 0.5, mapping: {pe_mode: sparse, M0: 8, C0: 4}}
  - {name: pw2, type: conv, C: 16, M: 16, H: 10, W: 10, R: 1, S: 1, shift: 6,
     weight_density: 0.5}
""")
        def modes(*extra):
            p = run_sim("run", "--arch", PUBLISHED, "--workload", wl, "--out", self.out,
                        "--quiet", "--no-tensors", *extra)
            self.assertEqual(p.returncode, 0, describe(p))
            return [r["pe_mode"] for r in read_csv(os.path.join(self.out, "layers.csv"))]
        self.assertEqual(modes()[:2], ["dense", "sparse"])
        self.assertEqual(modes("--set", "mapper.pe_mode=dense"), ["dense", "sparse", "dense"])
        self.assertEqual(modes("--set", "mapper.pe_mode=sparse"), ["dense", "sparse", "sparse"])
        p = run_sim("run", "--arch", os.path.join(ROOT, "configs", "eyeriss_v1_5.yaml"),
                    "--workload", wl, "--quiet")
        self.assertEqual(p.returncode, 2, describe(p))
        self.assertIn("layer 'pw': the PE mode 'sparse' needs a sparse PE", p.stderr)

    def test_energy_recost_without_simulation(self):
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                    "--quiet")
        self.assertEqual(p.returncode, 0, describe(p))
        with open(os.path.join(self.out, "stats.json")) as f:
            base = json.load(f)
        # A table that doubles every price doubles every energy figure.
        with open(os.path.join(ROOT, "configs", "energy_65nm.yaml")) as f:
            text = f.read()
        lines = []
        for line in text.splitlines():
            key, sep, rest = line.partition(":")
            value = rest.split("#")[0].strip()
            try:
                lines.append("%s: %r" % (key, 2 * float(value)) if line.startswith("  ") else line)
            except ValueError:
                lines.append(line)
        doubled = self.write("double.yaml", "\n".join(lines).replace("name: ", "name: doubled_", 1))
        out = os.path.join(self.tmp, "recost.json")
        q = run_sim("energy", "--stats", os.path.join(self.out, "stats.json"), "--table", doubled,
                    "--out", out)
        self.assertEqual(q.returncode, 0, describe(q))
        with open(out) as f:
            re = json.load(f)
        self.assertAlmostEqual(re["energy_pj"], 2 * base["energy_pj"], delta=1e-6 * base["energy_pj"])
        for a, b in zip(re["layers"], base["layers"]):
            self.assertEqual(a["cycles"], b["cycles"])
            self.assertAlmostEqual(a["energy_pj"], 2 * b["energy_pj"], delta=1e-6 * b["energy_pj"])
        self.assertAlmostEqual(re["inferences_per_joule"], base["inferences_per_joule"] / 2,
                               delta=1e-6 * base["inferences_per_joule"])
        bad = run_sim("energy", "--stats", os.path.join(self.tmp, "missing.json"))
        self.assertEqual(bad.returncode, 2, describe(bad))
        self.assertIn("missing.json", bad.stderr)

    def test_trace(self):
        p = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                    "--quiet", "--trace", "pw4")
        self.assertEqual(p.returncode, 0, describe(p))
        with open(os.path.join(self.out, "trace.json")) as f:
            trace = json.load(f)
        ev = [e for e in trace["traceEvents"] if e["ph"] == "X"]
        self.assertTrue(any(e["cat"] == "pe" for e in ev))
        self.assertTrue(any(e["cat"] == "noc" for e in ev))
        for e in ev:
            self.assertGreaterEqual(e["dur"], 0)
        bad = run_sim("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--out", self.out,
                      "--quiet", "--trace", "nope")
        self.assertEqual(bad.returncode, 2, describe(bad))

    def test_trace_is_well_formed(self):
        # Every layer of the example on the published chip (16 clusters, multicast buses).
        layers = list(EXAMPLE_SHAPES)
        p = run_sim("run", "--arch", PUBLISHED, "--workload", EXAMPLE, "--out", self.out,
                    "--quiet", "--trace", ",".join(layers))
        self.assertEqual(p.returncode, 0, describe(p))
        with open(os.path.join(self.out, "trace.json")) as f:
            ev = json.load(f)["traceEvents"]
        # No two slices overlap on one track (viewers cannot draw that).
        tracks = {}
        for e in ev:
            if e["ph"] == "X":
                tracks.setdefault((e["pid"], e["tid"]), []).append(
                    (e["args"]["start_cycle"], e["args"]["end_cycle"], e["name"]))
        self.assertGreater(len(tracks), 100)
        for key, slices in tracks.items():
            slices.sort()
            for a, b in zip(slices, slices[1:]):
                self.assertLessEqual(a[1], b[0], "overlapping slices %s and %s on %s" % (a, b, key))
        # One marker per layer, in order, disjoint.
        marks = [e for e in ev if e["ph"] == "X" and e["cat"] == "layer"]
        self.assertEqual([m["name"] for m in marks], layers)
        # Transfers carry their packet; counters: link load in [0, 1], off-chip bytes, GLB banks.
        noc = [e for e in ev if e["ph"] == "X" and e["cat"] == "noc"]
        self.assertTrue(all(e["args"]["bits"] > 0 and e["args"]["packet"] and
                            e["args"]["receivers"] for e in noc))
        self.assertTrue(any(e["args"]["receivers"].startswith("receivers ") for e in noc))
        counters = {}
        for e in ev:
            if e["ph"] == "C":
                counters.setdefault(e["name"], []).append(e["args"]["value"])
        for t in ("iact", "weight", "psum"):
            load = counters["%s link load (fraction of capacity)" % t]
            self.assertTrue(all(0 <= v <= 1 + 1e-9 for v in load), t)
            self.assertGreater(max(load), 0, t)
        with open(os.path.join(self.out, "stats.json")) as f:
            stats = json.load(f)
        off = sum(l["counters"]["offchip"][k] for l in stats["layers"]
                  for k in ("iact_bits", "weight_bits", "oact_bits")) / 8
        self.assertAlmostEqual(sum(counters["off-chip bytes per cycle"]) * 64, off,
                               delta=1e-6 * off)
        self.assertGreater(max(counters["iact0 stored bits"]), 0)
        self.assertIn("psum0 held psums", counters)

    def test_inspect(self):
        p = run_sim("inspect", "--workload", EXAMPLE)
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 0, describe(p))
        for n in EXAMPLE_SHAPES:
            self.assertIn(n, p.stdout)


# ---------------------------------------------------------------------------------------------
# Bad input: exit 2, one message naming the file and key/layer, nothing written.


class BadInput(CliTestCase):
    def run_bad_workload(self, text, must_name, arch=SINGLE_CLUSTER, extra=(), names_file=None):
        """`names_file`: the file the message must name; default the workload YAML. A layer
        that does not fit may name the workload or the architecture file."""
        wl = self.write("bad.yaml", text)
        if names_file is None:
            names_file = wl
        elif names_file == "wl_or_arch":
            names_file = (wl, arch)
        return self.assert_bad_input(("run", "--arch", arch, "--workload", wl, *extra),
                                     (names_file, *must_name))

    def run_bad_arch(self, text, must_name):
        arch = self.write("arch.yaml", text)
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        return self.assert_bad_input(("run", "--arch", arch, "--workload", wl),
                                     (arch, *must_name))

    def test_malformed_yaml(self):
        self.run_bad_workload("name: x\nlayers:\n  - {name: a, type: conv, C: [1, 2\n", ())

    # Inputs that crashed, hung or answered wrongly before (issue 12, item 1).
    def test_clock_outside_what_systemc_can_time(self):
        for hz in ("1e30", "3e12", "1e-8", "1e-30"):
            with self.subTest(clock_hz=hz):
                text = self.arch_text().replace("clock_hz: 200.0e6", "clock_hz: " + hz)
                self.assertIn("clock_hz: " + hz, text)
                self.run_bad_arch(text, ("clock_hz", "%g" % float(hz)))

    def test_a_file_holding_only_a_comma(self):
        # yaml-cpp's LoadAll loops without end on it (memory grows without bound).
        self.run_bad_arch(",", ("document",))
        self.run_bad_workload(",", ("document",))
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        table = self.write("table.yaml", ",")
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", wl,
                               "--energy-table", table), (table,))

    def test_two_documents(self):
        self.run_bad_arch("name: a\n---\nname: b\n", ("one YAML document", "line 2"))

    def test_weight_range_without_a_nonzero_value(self):
        self.run_bad_workload("name: x\nlayers:\n  - {name: a, type: conv, C: 4, M: 4, H: 4, W: 4, "
                              "R: 1, S: 1, shift: 4, weight_range: [0, 0]}\n",
                              ("weight_range", "nonzero"))

    def test_offchip_bandwidth_too_small_to_finish(self):
        text = re.sub(r"bytes_per_cycle: *[^ #\n]+", "bytes_per_cycle: 1e-12", self.arch_text())
        self.assertIn("bytes_per_cycle: 1e-12", text)
        self.run_bad_arch(text, ("offchip.bytes_per_cycle", "1e-12"))

    def test_layer_name_too_long_for_a_file_name(self):
        self.run_bad_workload("name: x\nlayers:\n  - {name: " + "x" * 300 + ", type: conv, C: 4, "
                              "M: 4, H: 4, W: 4, R: 1, S: 1, shift: 4}\n", ("name", "200"))

    def test_trace_file_in_a_missing_folder_is_refused_before_simulating(self):
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        missing = os.path.join(self.tmp, "no", "trace.json")
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", wl, "--trace",
                               "conv_a", "--trace-file", missing), ("--trace-file", "no"))

    def test_layers_too_big_for_memory_are_refused_before_allocating(self):
        for layer in ("{name: a, type: conv, C: 1, M: 1, H: 1048576, W: 1048576, R: 1, S: 1, "
                      "shift: 4}",
                      "{name: a, type: fc, C: 1048576, M: 1048576, H: 1, W: 1, shift: 4}"):
            with self.subTest(layer=layer):
                self.run_bad_workload("name: x\nlayers:\n  - " + layer + "\n",
                                      ("--max-memory", "GB"))

    def test_a_300x300_cluster_array_is_refused_by_its_estimate(self):
        # 1,080,000 PEs of model state: about 35 GB, refused at once (it used to run silently
        # until killed).
        arch = self.write("huge.yaml", "name: huge\ncluster_array: {rows: 300, cols: 300}\n")
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        self.assert_bad_input(("run", "--arch", arch, "--workload", wl, "--max-memory", "8G"),
                              ("--max-memory", "GB"))

    def test_max_memory_sets_the_budget(self):
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", wl, "--max-memory",
                               "1M"), (wl, "0.001 GB"))
        p = run_sim("run", "--quiet", "--arch", SINGLE_CLUSTER, "--workload", wl, "--max-memory",
                    "lots")
        self.assert_no_crash(p)
        self.assertEqual(p.returncode, 2, describe(p))
        self.assertIn("--max-memory", p.stderr)

    def test_energy_out_is_an_existing_folder(self):
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        p = run_sim("run", "--quiet", "--arch", SINGLE_CLUSTER, "--workload", wl, "--out", self.out)
        self.assertEqual(p.returncode, 0, describe(p))
        folder = os.path.join(self.tmp, "folder")
        os.mkdir(folder)
        q = run_sim("energy", "--stats", os.path.join(self.out, "stats.json"), "--out", folder)
        self.assert_no_crash(q)
        self.assertEqual(q.returncode, 2, describe(q))
        self.assertIn(folder, q.stderr)
        self.assertEqual(folder_listing(folder), [])
        self.assertFalse(os.path.exists(folder + ".tmp"), "a half-written file was left")

    def test_unknown_key_in_workload(self):
        self.run_bad_workload(SMALL_WORKLOAD.replace("shift: 8}", "shift: 8, bogus_key: 3}", 1),
                              ("bogus_key", "conv_a"))

    def test_unknown_key_in_arch(self):
        self.run_bad_arch(self.arch_text() + "bogus_arch_key: 1\n", ("bogus_arch_key",))

    def test_unknown_nested_key_in_arch(self):
        self.run_bad_arch(
            self.arch_text().replace("pe_cluster: {rows: 3, cols: 4}",
                                     "pe_cluster: {rows: 3, cols: 4, depth: 2}"),
            ("depth",))

    def test_missing_required_key(self):
        self.run_bad_workload(SMALL_WORKLOAD.replace(", shift: 8}", "}", 1), ("shift", "conv_a"))

    def test_c_not_divisible_by_g(self):
        self.run_bad_workload("""\
layers:
  - {name: grp, type: conv, C: 6, M: 8, G: 4, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8}
""", ("grp",))

    def test_output_size_not_positive(self):
        self.run_bad_workload("""\
layers:
  - {name: tiny, type: conv, C: 2, M: 2, H: 2, W: 8, R: 5, S: 3, shift: 8}
""", ("tiny",))

    def test_zero_pes(self):
        self.run_bad_arch(
            self.arch_text().replace("pe_cluster: {rows: 3, cols: 4}",
                                     "pe_cluster: {rows: 0, cols: 4}"),
            ("pe_cluster.rows",))

    def test_layer_does_not_fit(self):
        # Filter width 20 > 16 weight address SPad entries on the published chip (stride 3
        # keeps the iact window at 7 segments, within the 9-entry iact address SPad).
        self.run_bad_workload("""\
layers:
  - {name: wide, type: conv, C: 2, M: 4, H: 4, W: 26, R: 1, S: 20, stride: 3, shift: 8}
""", ("wide",), arch=PUBLISHED, names_file="wl_or_arch")

    def test_pinned_mapping_does_not_fit(self):
        # M0 = 32, C0 = 16 dense weights need 16 columns x 16 words = 256 > 96 weight words.
        msg = self.run_bad_workload("""\
layers:
  - {name: pw, type: conv, C: 32, M: 64, H: 4, W: 4, R: 1, S: 1, shift: 8,
     mapping: {M0: 32, C0: 16}}
""", ("pw", "pinned", "weight data SPad"), arch=PUBLISHED)
        self.assertIn("256", msg)

    def test_pinned_m0_beyond_the_layer_names_the_limit(self):
        # Not "M0, C0, F0 and vr must be >= 1": the value that is too large and its limit.
        self.run_bad_workload("""\
layers:
  - {name: pw, type: conv, C: 4, M: 8, H: 4, W: 4, R: 1, S: 1, shift: 4,
     mapping: {M0: 1000, C0: 1, F0: 1, vr: 1}}
""", ("pw", "pinned", "M0=1000 exceeds the output channels per group (8)"), arch=SINGLE_CLUSTER)

    def test_first_bad_layer_is_reported(self):
        # Layers are mapped on a second thread while later layers' data is prepared: the error
        # must still be the first bad layer's, as a sequential run gives it. Layer 'pw' does
        # not fit (M0 = 32, C0 = 16 dense weights); layer 'late' names a missing file.
        missing = os.path.join(self.tmp, "missing.npy")
        msg = self.run_bad_workload("""\
layers:
  - {name: ok, type: conv, C: 32, M: 32, H: 4, W: 4, R: 1, S: 1, shift: 8}
  - {name: pw, type: conv, C: 32, M: 64, H: 4, W: 4, R: 1, S: 1, shift: 8,
     mapping: {M0: 32, C0: 16}}
  - {name: late, type: conv, C: 64, M: 8, H: 4, W: 4, R: 1, S: 1, shift: 8,
     weights: missing.npy}
""", ("pw", "pinned"), arch=PUBLISHED)
        self.assertNotIn("missing.npy", msg)
        # With the bad data first, the data error wins over a later layer's mapping error.
        msg = self.run_bad_workload("""\
layers:
  - {name: late, type: conv, C: 32, M: 32, H: 4, W: 4, R: 1, S: 1, shift: 8,
     weights: missing.npy}
  - {name: pw, type: conv, C: 32, M: 64, H: 4, W: 4, R: 1, S: 1, shift: 8,
     mapping: {M0: 32, C0: 16}}
""", ("late",), arch=PUBLISHED, names_file=missing)
        self.assertNotIn("pinned", msg)

    def test_pinned_mapping_bad_noc_value(self):
        self.run_bad_workload("""\
layers:
  - {name: pw, type: conv, C: 8, M: 8, H: 4, W: 4, R: 1, S: 1, shift: 8,
     mapping: {M0: 4, C0: 4, noc: {iact: sometimes}}}
""", ("mapping.noc.iact", "unicast"))

    def test_layer_does_not_fit_iact_window(self):
        # Stride 1, S = 20: the iact window spans 20 segments, the iact address SPad has 9.
        self.run_bad_workload("""\
layers:
  - {name: wide1, type: conv, C: 2, M: 4, H: 4, W: 24, R: 1, S: 20, shift: 8}
""", ("wide1",), arch=PUBLISHED, names_file="wl_or_arch")

    def test_weights_wrong_dtype(self):
        npy = os.path.join(self.tmp, "w.npy")
        write_npy(npy, "<i4", [6, 4, 3, 3])
        self.run_bad_workload("""\
layers:
  - {name: wl1, type: conv, C: 4, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8,
     weights: w.npy}
""", ("wl1", "<i4"), names_file=npy)

    def test_iacts_wrong_shape(self):
        npy = os.path.join(self.tmp, "x.npy")
        write_npy(npy, "|u1", [1, 4, 8, 7])
        self.run_bad_workload("""\
layers:
  - {name: il1, type: conv, C: 4, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8,
     iacts: x.npy}
""", ("il1",), names_file=npy)

    def test_missing_npy(self):
        npy = os.path.join(self.tmp, "nowhere.npy")
        self.run_bad_workload("""\
layers:
  - {name: ml1, type: conv, C: 4, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8,
     weights: nowhere.npy}
""", ("ml1",), names_file=npy)

    def test_unknown_layer_in_layers_flag(self):
        self.run_bad_workload(SMALL_WORKLOAD, ("no_such_layer",),
                              extra=("--layers", "conv_a,no_such_layer"))

    def test_layers_do_not_chain(self):
        self.run_bad_workload("""\
layers:
  - {name: up, type: conv, C: 4, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8}
  - {name: down, type: conv, C: 5, M: 6, H: 8, W: 8, R: 3, S: 3, pad: 1, shift: 8}
""", ("down",))

    def test_missing_workload_file(self):
        wl = os.path.join(self.tmp, "absent.yaml")
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", wl), (wl,))

    def test_missing_arch_file(self):
        arch = os.path.join(self.tmp, "absent_arch.yaml")
        wl = self.write("wl.yaml", SMALL_WORKLOAD)
        self.assert_bad_input(("run", "--arch", arch, "--workload", wl), (arch,))


# ---------------------------------------------------------------------------------------------
# Bad command lines: a non-zero exit, a usage message, no crash.


class BadCommandLine(CliTestCase):
    def check(self, *args):
        p = run_sim(*args, cwd=self.tmp)
        self.assert_no_crash(p)
        self.assertNotEqual(p.returncode, 0, describe(p))
        self.assertTrue((p.stdout + p.stderr).strip(), "no message\n" + describe(p))
        self.assertEqual(folder_listing(self.tmp), [], "files written\n" + describe(p))

    def test_no_arguments(self):
        self.check()

    def test_bad_flag(self):
        self.check("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--no-such-flag")

    def test_unknown_subcommand(self):
        self.check("fly")

    def test_missing_required_option(self):
        self.check("run", "--arch", SINGLE_CLUSTER)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *EXTRA_ARGS], verbosity=2)
