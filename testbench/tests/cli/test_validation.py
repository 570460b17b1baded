#!/usr/bin/env python3
"""scripts/validation.py on hand-written run folders (no real network is simulated): the table
arithmetic against hand-computed figures, the marker replacement in a document, and the reuse of
finished runs. A fake simulator (a Python script with eyeriss-sim's `run` interface) copies the
hand-written outputs into place and logs each call.

Run by CMake as:  python3 test_validation.py <path-to-eyeriss-sim> <repo-root> [unittest args]
(the real simulator is not run; only the repository root is used).
"""
import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.abspath(sys.argv[2])
EXTRA_ARGS = sys.argv[3:]
del sys.argv[1:]
SCRIPT = os.path.join(ROOT, "scripts", "validation.py")

spec = importlib.util.spec_from_file_location("validation", SCRIPT)
V = importlib.util.module_from_spec(spec)
spec.loader.exec_module(V)

CLOCK = 200e6
CSV_COLUMNS = ["workload", "arch", "overrides", "name", "type", "cycles", "pe_mode",
               "offchip_bytes", "offchip_min_bytes", "offchip_weight_vs_min", "bit_exact",
               "command_line"]
ENERGY = {"offchip": 600e6, "clock": 300e6, "spad_psum": 50e6, "noc_iact": 20e6,
          "noc_weight": 10e6, "noc_psum": 20e6}  # pJ: on chip 400e6, with DRAM 1000e6


def layer(name, cycles, mode="sparse", off=(0, 0, 0), least=(0, 0, 0), wratio=1.0):
    """off: off-chip (iact, weight, oact) bits; least: offchip_min_bits (iact, weight, oact)."""
    return {"name": name, "cycles": cycles, "pe_mode": mode, "off": off, "least": least,
            "wratio": wratio}


def mobilenet(conv1, dw1, pw1, dw2, modes=("sparse", "dense")):
    # 8,000,000 off-chip bits in all = 1.00 MB.
    return [layer("conv1", conv1, off=(4000000, 0, 0)), layer("dw1", dw1, modes[0]),
            layer("pw1", pw1, off=(0, 4000000, 0)), layer("dw2", dw2, modes[1])]


ALEX_CONV = [  # (bytes moved, least bytes) per layer; weights moved / least = bits ratio below
    (3000000, 1000000), (1000000, 500000), (800000, 400000), (600000, 300000), (400000, 400000)]


def alexnet(cycles):
    ls = []
    for i, (moved, least) in enumerate(ALEX_CONV):
        # Weights: moved 1000*(i+1)*8 bits against least 500*8: ratios 2, 4, 6, 8, 10.
        w, wmin = 8000 * (i + 1), 4000
        ls.append(layer("conv%d" % (i + 1), cycles[i], "sparse", off=(moved * 8 - w, w, 0),
                        least=(least * 8 - wmin, wmin, 0), wratio=w / wmin))
    return ls


# Every run the tables need: (total cycles come from the layers), inferences/s, inferences/J
# with DRAM and on chip, off-chip bytes per cycle.
def fake_runs():
    M, A, AD = V.MOBILENET, V.ALEXNET, V.ALEXNET_DENSE
    alex = [2000, 1000, 1000, 500, 500]  # 5,000 cycles
    return {
        # MobileNet, batch 1: 3,000 cycles; at 25.6 GB/s 500 more, of which dw1 +300, dw2 -100.
        (V.V2, M, ()): dict(layers=mobilenet(1000, 500, 1200, 300), ips=CLOCK / 3000, ipj=1000.0,
                            ipj_on=2500.0, energy=True),
        (V.V2_BW, M, ()): dict(layers=mobilenet(1100, 800, 1400, 200), ips=CLOCK / 3500,
                               ipj=990.0, ipj_on=2400.0, bpc=128),
        (V.V15, M, ()): dict(layers=mobilenet(2000, 1000, 2000, 200), ips=38461.5, ipj=500.0,
                             ipj_on=1000.0),
        (V.V2, M, V.FORCE_SPARSE): dict(layers=mobilenet(1000, 500, 1200, 400), ips=1, ipj=1,
                                        ipj_on=1),
        (V.V2, M, V.FORCE_DENSE): dict(layers=mobilenet(1000, 700, 1200, 300), ips=1, ipj=1,
                                       ipj_on=1),
        # AlexNet, batch 2 (inferences/s = 2 x clock / cycles): 5.8 MB off chip, 2.90 per inference.
        (V.V2, A, ()): dict(layers=alexnet(alex), ips=2 * CLOCK / 5000, ipj=300.0, ipj_on=900.0),
        (V.V2_BW, A, ()): dict(layers=alexnet([2000, 1000, 1000, 500, 750]), ips=1, ipj=1,
                               ipj_on=1, bpc=128),
        (V.V15, A, ()): dict(layers=alexnet(alex), ips=2 * CLOCK / 5000 / 4, ipj=100.0,
                             ipj_on=300.0),
        (V.V2, AD, ()): dict(layers=alexnet(alex), ips=1, ipj=1, ipj_on=1),
        # v1: MobileNet 8x slower than v2, 4x less efficient on chip, 2x with DRAM.
        (V.V1, M, ()): dict(layers=mobilenet(8000, 8000, 4000, 4000), ips=CLOCK / 24000,
                            ipj=500.0, ipj_on=625.0),
        (V.V1, A, ()): dict(layers=alexnet(alex), ips=2 * CLOCK / 5000 / 5, ipj=60.0,
                            ipj_on=300.0),
        **scaling_runs(),
    }


# The scaling study: per network k (0, 1, 2), v1 takes 1000*(k+1)*(4, 2) cycles at 256 and
# 1,024 PEs, v2 1000*(k+1)*(2, 0.5): v2 / v1 = 2.00x, then 4.00x; from 256 PEs v1 gains 2.00x
# and v2 4.00x.
def scaling_runs():
    out = {}
    for k, w in enumerate(V.SCALING_NETWORKS):
        for (pes, v1, v2), f1, f2 in zip(V.SCALING_SIZES, (4, 2), (2, 0.5)):
            for arch, f in ((v1, f1), (v2, f2)):
                out[(arch, w, ())] = dict(layers=[layer("l", int(1000 * (k + 1) * f))], ips=1,
                                          ipj=1, ipj_on=1)
    return out


def write_run(folder, key, spec, command_line="", bit_exact=True):
    arch, workload, overrides = key
    os.makedirs(folder, exist_ok=True)
    total = sum(l["cycles"] for l in spec["layers"])
    layers = [{"name": l["name"], "type": "conv", "cycles": l["cycles"], "bit_exact": True,
               "counters": {"offchip": dict(zip(("iact_bits", "weight_bits", "oact_bits"),
                                                l["off"]))},
               "offchip_min_bits": dict(zip(("iact", "weight", "oact"), l["least"]))}
              for l in spec["layers"]]
    stats = {"run": {"command_line": command_line, "overrides": list(overrides),
                     "arch": {"name": arch, "path": arch},
                     "workload": {"name": workload, "path": workload}},
             "arch": {"offchip_bytes_per_cycle": float(spec.get("bpc", 0))},
             "clock_hz": CLOCK, "total_cycles": total, "bit_exact": bit_exact, "layers": layers,
             "inferences_per_second": spec["ips"], "inferences_per_joule": spec["ipj"],
             "inferences_per_joule_onchip": spec["ipj_on"],
             "energy_pj": sum(ENERGY.values()), "energy_onchip_pj": sum(ENERGY.values()) - 600e6,
             "energy_breakdown_pj": ENERGY}
    with open(os.path.join(folder, "stats.json"), "w") as f:
        json.dump(stats, f)
    with open(os.path.join(folder, "layers.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for l in spec["layers"]:
            w.writerow([workload, arch, ";".join(overrides), l["name"], "conv", l["cycles"],
                        l["pe_mode"], sum(l["off"]) // 8, sum(l["least"]) // 8, l["wratio"],
                        "true", command_line])


def cells(md):
    """Markdown table -> list of rows (lists of cells), header and rule left out."""
    lines = [l for l in md.strip().splitlines() if l.startswith("|")]
    return [[c.strip() for c in l.strip("|").split("|")] for l in lines[2:]]


# The fake simulator: copies DIR/<run id>/ from the templates into --out with the command it
# was given, logs the call. FAKE_SIM_FAIL=<run id> makes that run fail like the real one;
# FAKE_SIM_REBUILD=<file> makes the first call change the fake binary's time, like a relink.
FAKE_SIM = r'''#!/usr/bin/python3
import json, os, shlex, shutil, sys
a = sys.argv[1:]
assert a[0] == "run", a
out = a[a.index("--out") + 1]
rid = os.path.basename(out)
with open(os.environ["FAKE_SIM_LOG"], "a") as f:
    f.write(rid + "\n")
if os.environ.get("FAKE_SIM_REBUILD") and not os.path.exists(os.environ["FAKE_SIM_REBUILD"]):
    open(os.environ["FAKE_SIM_REBUILD"], "w").close()  # as if build/ were relinked now
    os.utime(sys.argv[0], (os.stat(sys.argv[0]).st_atime, os.stat(sys.argv[0]).st_mtime + 100))
if os.environ.get("FAKE_SIM_FAIL") == rid:
    print("error: boom in " + rid)
    sys.exit(3)
src = os.path.join(os.environ["FAKE_SIM_TEMPLATES"], rid)
os.makedirs(out, exist_ok=True)
s = json.load(open(os.path.join(src, "stats.json")))
s["run"]["command_line"] = shlex.join(sys.argv)
json.dump(s, open(os.path.join(out, "stats.json"), "w"))
shutil.copy(os.path.join(src, "layers.csv"), os.path.join(out, "layers.csv"))
'''


class Tables(unittest.TestCase):
    """Each figure against a value computed by hand from the fake runs above."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="eyeriss_validation_")
        cls.runs = {}
        for key, spec in fake_runs().items():
            folder = os.path.join(cls.tmp, V.run_id(key))
            write_run(folder, key, spec)
            cls.runs[key] = V.Run(folder)
        cls.t = V.make_tables(list(V.TABLES), cls.runs)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def test_results(self):
        rows = cells(self.t["results"])
        self.assertEqual([r[1] for r in rows], ["unlimited", "25.6 GB/s", "the chip (published)"] * 2)
        mn, _, chip, ax, _, ax_chip = rows
        # cycles 1000+500+1200+300; MB: 8e6 bits = 1e6 bytes, batch 1.
        self.assertEqual(mn[2:], ["3,000", "66,667", "1,000", "2,500", "1.00"])
        self.assertEqual(chip[2:], ["—", "1,470.6", "—", "2,560.3", "—"])
        # AlexNet: batch 2 halves the 5.8e6 bytes of conv1-conv5 per inference.
        self.assertEqual(ax[2:], ["5,000", "80,000", "300", "900", "2.90"])
        self.assertEqual(ax_chip[2:], ["—"] * 5)

    def test_bandwidth_slowdown_and_depthwise_share(self):
        mn, ax = cells(self.t["bandwidth"])
        # 3,000 -> 3,500 cycles: +16.7 %; dw1 +300 and dw2 -100 of the 500 extra: 40.0 %.
        self.assertEqual(mn[1:], ["3,000", "3,500", "16.7 %", "40.0 %"])
        # 5,000 -> 5,250 (conv5 +250): 5.0 %, no depthwise layers.
        self.assertEqual(ax[1:], ["5,000", "5,250", "5.0 %", "—"])

    def test_v2_against_v15(self):
        mn, ax = cells(self.t["v2_vs_v15"])
        self.assertEqual(mn[1:], ["38,462", "66,667", "1.73x", "1,000", "2,500", "2.50x", "500",
                                  "1,000"])
        self.assertEqual(ax[1:], ["20,000", "80,000", "4.00x", "300", "900", "3.00x", "100", "300"])

    def test_v2_against_v1_beside_the_paper(self):
        mn, ax = cells(self.t["v2_vs_v1"])
        # 66,667 / 8,333 = 8.00x; on chip 2,500 / 625 = 4.00x; with DRAM 1,000 / 500 = 2.00x.
        self.assertEqual(mn[1:], ["8,333", "66,667", "8.00x", "12.6x", "625", "2,500", "4.00x",
                                  "2.5x", "2.00x"])
        self.assertEqual(ax[1:], ["16,000", "80,000", "5.00x", "—", "300", "900", "3.00x", "—",
                                  "5.00x"])

    def test_scaling_study(self):
        rows = cells(self.t["scaling"])
        self.assertEqual(len(rows), 6)
        # Network 2 (k = 1): v1 8,000 and 4,000 cycles, v2 4,000 and 1,000.
        self.assertEqual(rows[2][1:], ["256", "8,000", "4,000", "2.00x", "1.00x", "1.00x"])
        self.assertEqual(rows[3][1:], ["1,024", "4,000", "1,000", "4.00x", "2.00x", "4.00x"])
        self.assertEqual(rows[3][0], V.network(V.SCALING_NETWORKS[1]))

    def test_scaling_16k_adds_its_runs(self):
        tables = dict(V.TABLES)
        sizes = list(V.SCALING_SIZES)
        try:
            V.with_16k(tables)
            keys = tables["scaling"][0]
            self.assertEqual(len(keys), 3 * 3 * 2)  # 3 networks x 3 sizes x (v1, v2)
            self.assertIn((V.SCALING_16K[1], V.GOOGLENET, ()), keys)
            self.assertIn((V.SCALING_16K[2], V.GOOGLENET, ()), keys)
        finally:
            V.SCALING_SIZES[:] = sizes

    def test_depthwise_ratio_and_total(self):
        dw1, dw2, total = cells(self.t["depthwise"])
        # v2 (mapper's choice) / v1.5: 500/1000, 300/200, (500+300)/(1000+200).
        self.assertEqual(dw1, ["dw1", "500", "sparse", "500", "700", "1,000", "0.50x"])
        self.assertEqual(dw2, ["dw2", "300", "dense", "400", "300", "200", "1.50x"])
        self.assertEqual(total, ["total (2 layers)", "800", "1 dense, 1 sparse", "900", "1,000",
                                 "1,200", "0.67x"])

    def test_offchip_ratios_and_totals(self):
        rows = cells(self.t["offchip_alexnet"])
        self.assertEqual(len(rows), 12)
        self.assertEqual([r[0] for r in rows], ["dense AlexNet"] * 6 + ["sparse AlexNet"] * 6)
        sparse = rows[6:]
        self.assertEqual(sparse[0][1:], ["conv1", "3.00", "1.00", "3.00x", "2.00x"])
        self.assertEqual(sparse[4][1:], ["conv5", "0.400", "0.400", "1.00x", "10.00x"])
        # 5.8 MB over 2.6 MB; weights 8000*(1+..+5) bits over 5*4000.
        self.assertEqual(sparse[5][1:], ["**conv1-conv5**", "5.80", "2.60", "2.23x", "6.00x"])

    def test_energy_shares_sorted_by_size(self):
        rows = cells(self.t["energy_breakdown"])
        comp = [r[0] for r in rows[:6]]
        self.assertEqual(comp, ["offchip", "clock", "spad_psum", "noc_iact", "noc_psum",
                                "noc_weight"])
        by = {r[0]: r for r in rows}
        # One inference: pJ / 1e6 = uJ. On chip 400 uJ, with DRAM 1,000 uJ.
        self.assertEqual(by["offchip"][1:4], ["600", "—", "60.0 %"])
        self.assertEqual(by["clock"][1:4], ["300", "75.0 %", "30.0 %"])
        self.assertEqual(by["**on chip**"][1:4], ["400", "100.0 %", "40.0 %"])
        noc = rows[-1]
        self.assertTrue(noc[0].startswith("**NoC**"))
        self.assertEqual(noc[1:], ["50.0", "12.5 %", "5.0 %", "6-10 % of energy"])

    def test_a_missing_value_is_a_clear_error(self):
        key = (V.V2, V.MOBILENET, ())
        folder = os.path.join(self.tmp, "broken")
        write_run(folder, key, fake_runs()[key])
        with open(os.path.join(folder, "stats.json")) as f:
            s = json.load(f)
        del s["energy_onchip_pj"]
        with open(os.path.join(folder, "stats.json"), "w") as f:
            json.dump(s, f)
        with self.assertRaises(V.InputError) as e:
            V.make_tables(["energy_breakdown"], {**self.runs, key: V.Run(folder)})
        self.assertIn("energy_onchip_pj", str(e.exception))


DOC = """# Title

Prose before, with a table that is not ours:

| a | b |
|---|---|
| 1 | 2 |

<!-- validation.py:begin depthwise -->
| old | table |
<!-- validation.py:end depthwise -->

Prose between.
<!-- validation.py:begin energy_breakdown -->
<!-- validation.py:end energy_breakdown -->
Prose after.
"""


class Script(unittest.TestCase):
    """The script end to end with the fake simulator: documents and reuse."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="eyeriss_validation_")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        templates = os.path.join(self.tmp, "templates")
        for key, spec in fake_runs().items():
            write_run(os.path.join(templates, V.run_id(key)), key, spec)
        self.sim = os.path.join(self.tmp, "fake-sim")
        with open(self.sim, "w") as f:
            f.write(FAKE_SIM)
        os.chmod(self.sim, 0o755)
        self.log = os.path.join(self.tmp, "calls.log")
        self.env = dict(os.environ, FAKE_SIM_LOG=self.log, FAKE_SIM_TEMPLATES=templates)
        self.out = os.path.join(self.tmp, "out")
        self.doc = os.path.join(self.tmp, "doc.md")
        with open(self.doc, "w") as f:
            f.write(DOC)

    def script(self, *args, env=None):
        return subprocess.run([sys.executable, SCRIPT, self.sim, "--out", self.out, *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=env or self.env, timeout=120)

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            calls = f.read().split()
        os.remove(self.log)
        return sorted(calls)

    def doc_text(self):
        with open(self.doc) as f:
            return f.read()

    def test_markers_refilled_and_nothing_else_touched(self):
        p = self.script("--only", "depthwise,energy_breakdown", "--update-docs", self.doc)
        self.assertEqual(p.returncode, 0, p.stderr)
        new = self.doc_text()
        begin, end = V.markers("depthwise")
        # Outside the marker blocks the document is byte for byte the same.
        strip = lambda t: [t[:t.index(begin)], t[t.index(end):t.index(V.markers(
            "energy_breakdown")[0])], t[t.index(V.markers("energy_breakdown")[1]):]]
        self.assertEqual(strip(new), strip(DOC))
        self.assertNotIn("| old | table |", new)
        block = new[new.index(begin):new.index(end)]
        self.assertIn("*Generated by: `/usr/bin/python3 scripts/validation.py ", block)
        self.assertIn("--only depthwise,energy_breakdown", block)
        self.assertIn("| dw1 | 500 | sparse |", block)
        self.assertIn("| **NoC**", new)
        # Refilling again gives the same document (the markers survive the replacement).
        p = self.script("--only", "depthwise,energy_breakdown", "--update-docs", self.doc)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.doc_text(), new)

    def test_a_missing_marker_is_refused_before_any_run(self):
        p = self.script("--update-docs", self.doc)  # all tables: DOC has two of the six
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("no marker pair for table 'results'", p.stderr)
        self.assertEqual(self.doc_text(), DOC)
        self.assertEqual(self.calls(), [])
        with open(self.doc, "w") as f:
            f.write(DOC.replace("<!-- validation.py:end energy_breakdown -->\n", ""))
        p = self.script("--only", "depthwise,energy_breakdown", "--update-docs", self.doc)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("'energy_breakdown'", p.stderr)

    def test_a_failed_run_writes_nothing(self):
        env = dict(self.env, FAKE_SIM_FAIL=V.run_id((V.V15, V.MOBILENET, ())))
        p = self.script("--only", "depthwise,energy_breakdown", "--update-docs", self.doc, env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("boom in eyeriss_v1_5__mobilenet", p.stderr)
        self.assertEqual(self.doc_text(), DOC)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith(".validation.")], [])

    def test_bad_command_lines(self):
        p = self.script("--only", "results,nonsense")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown table 'nonsense'", p.stderr)
        p = self.script("--jobs", "0")
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([sys.executable, SCRIPT, os.path.join(self.tmp, "no-sim")],
                           stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not an executable", p.stderr)

    def test_finished_runs_are_reused(self):
        p = self.script("--jobs", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.calls(), sorted(V.run_id(k) for k in fake_runs()))
        first = p.stdout
        p = self.script()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.calls(), [])
        self.assertIn("%d runs, all reused" % len(fake_runs()), p.stderr)
        self.assertEqual(p.stdout, first)
        # A run whose stats.json records another command (here: other overrides) is redone...
        key = (V.V2, V.MOBILENET, V.FORCE_DENSE)
        stats = os.path.join(self.out, "runs", V.run_id(key), "stats.json")
        with open(stats) as f:
            s = json.load(f)
        s["run"]["command_line"] = s["run"]["command_line"].replace("pe_mode=dense", "pe_mode=auto")
        with open(stats, "w") as f:
            json.dump(s, f)
        self.assertEqual(self.script().returncode, 0)
        self.assertEqual(self.calls(), [V.run_id(key)])
        # ... and so is one that was not bit-exact.
        with open(stats) as f:
            s = json.load(f)
        s["bit_exact"] = False
        with open(stats, "w") as f:
            json.dump(s, f)
        self.assertEqual(self.script().returncode, 0)
        self.assertEqual(self.calls(), [V.run_id(key)])
        # A rebuilt simulator (newer than the runs) redoes everything.
        later = time.time() + 10
        os.utime(self.sim, (later, later))
        self.assertEqual(self.script().returncode, 0)
        self.assertEqual(len(self.calls()), len(fake_runs()))

    def test_a_simulator_rebuilt_during_the_runs_has_its_old_runs_redone(self):
        # One job: the first run sees the rebuild happen under it (it ran the old binary), the
        # ten after it start with the new one; a second pass redoes the first alone.
        env = dict(self.env, FAKE_SIM_REBUILD=os.path.join(self.tmp, "rebuilt"))
        p = self.script("--jobs", "1", env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        n = len(fake_runs())
        self.assertIn("%d runs, 0 reused, %d to run" % (n, n), p.stderr)
        self.assertIn("%d runs, %d reused, 1 to run" % (n, n - 1), p.stderr)
        calls = self.calls()
        self.assertEqual(len(calls), len(fake_runs()) + 1)
        self.assertEqual(sorted(set(calls)), sorted(V.run_id(k) for k in fake_runs()))
        self.assertIn("all reused", self.script(env=env).stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *EXTRA_ARGS], verbosity=2)
