#!/usr/bin/env python3
"""Tests of scripts/plot.py: figures from a synthetic stats.json and from real runs, the
figures' arithmetic on hand-computed values, partial and bad input.

Run as:  /usr/bin/python3 test_plot.py [<path-to-eyeriss-sim>] <repo-root> [unittest args]
Without the simulator the tests of real runs are skipped (with a message). Standard library
only; the script itself needs matplotlib and numpy, and every test that draws or computes is
skipped (with a message) when they are not importable by this interpreter.
"""
import importlib
import importlib.util
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

if len(sys.argv) < 2:
    sys.exit("usage: test_plot.py [<path-to-eyeriss-sim>] <repo-root> [unittest args]")
if len(sys.argv) >= 3 and os.path.isfile(sys.argv[1]) and os.path.isdir(sys.argv[2]):
    SIM = os.path.abspath(sys.argv[1])
    ROOT = os.path.abspath(sys.argv[2])
    del sys.argv[1:3]
else:
    SIM = None
    ROOT = os.path.abspath(sys.argv[1])
    del sys.argv[1:2]

PLOT = os.path.join(ROOT, "scripts", "plot.py")
FIGURES = ["cycles_utilization.png", "eyexam_waterfall.png", "energy_breakdown.png",
           "pe_heatmap.png", "pe_heatmap_layers.png", "noc_link_load.png",
           "noc_link_load_fraction.png", "link_load_fraction.png", "roofline.png",
           "memory_accesses.png"]
NEW_FIGURES = FIGURES[4:5] + FIGURES[6:]
TIMEOUT = 180  # seconds per plot.py run

try:
    importlib.import_module("matplotlib")
    importlib.import_module("numpy")
    HAVE_MPL = True
    MPL_MSG = ""
except ImportError as e:
    HAVE_MPL = False
    MPL_MSG = "matplotlib/numpy not importable by %s (%s): plot.py tests skipped" % (
        sys.executable, e)

STEPS = ["layer shape", "dataflow", "number of PEs", "physical dimensions", "storage capacity",
         "bandwidth", "measured"]


def png_size(path):
    """Validates a PNG file (signature, chunk CRCs, IHDR first, IDAT present, IEND last) and
    returns (width, height). Raises AssertionError on any defect."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "bad PNG signature"
    pos, chunks, size = 8, [], None
    while pos < len(data):
        assert pos + 12 <= len(data), "truncated chunk header"
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        assert len(body) == length, "truncated chunk %r" % ctype
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(ctype + body) & 0xFFFFFFFF == crc, "bad CRC in chunk %r" % ctype
        if ctype == b"IHDR":
            size = struct.unpack(">II", body[:8])
        chunks.append(ctype)
        pos += 12 + length
        if ctype == b"IEND":
            break
    assert chunks and chunks[0] == b"IHDR", "IHDR is not the first chunk"
    assert b"IDAT" in chunks, "no IDAT chunk"
    assert chunks[-1] == b"IEND" and pos == len(data), "IEND missing or not at the end"
    assert size[0] > 0 and size[1] > 0, "empty image"
    return size


def make_stats(n_layers=30, cluster_rows=8, cluster_cols=2, pe_rows=3, pe_cols=4, seed=1,
               new_fields=True):
    """A stats.json dict following the schema plot.py documents, with plausible values."""
    rng = random.Random(seed)
    n_clusters = cluster_rows * cluster_cols
    npe = n_clusters * pe_rows * pe_cols
    simd = 2
    stats = {
        "arch": {"name": "synthetic", "cluster_rows": cluster_rows,
                 "cluster_cols": cluster_cols, "pe_rows": pe_rows, "pe_cols": pe_cols,
                 "simd": simd, "clock_hz": 200e6, "offchip_bytes_per_cycle": 128.0,
                 "glb_iact_banks": 3, "glb_iact_port_bits": 24, "glb_psum_banks": 4,
                 "glb_psum_port_bits": 40, "iact_routers": 3, "weight_routers": 3,
                 "psum_routers": 4, "iact_link_bits": 24, "weight_link_bits": 24,
                 "psum_link_bits": 40},
        "clock_hz": 200e6,
        "layers": [],
    }
    types = ["conv", "depthwise", "pointwise", "fc"]
    total_cycles, total_energy = 0, 0.0
    for i in range(n_layers):
        typ = types[i % len(types)] if i < n_layers - 1 else "fc"
        macs = rng.randint(10_000, 5_000_000)
        nz = int(macs * rng.uniform(0.2, 1.0))
        # At least the cycles the PEs need, so no layer beats the compute roof.
        cycles = max(rng.randint(200, 60_000), -(-nz // (npe * simd)))
        active = rng.randint(npe // 4, npe)
        busy = [rng.randint(0, cycles) if p < active else 0 for p in range(npe)]
        measured = nz / cycles
        b = [float(macs), macs / rng.uniform(1, 20), float(npe * simd)]
        b += [b[-1] * rng.uniform(0.4, 1.0)]
        b += [b[-1] * rng.uniform(0.5, 1.0)]
        b += [max(b[-1] * rng.uniform(0.5, 1.0), measured)]
        b += [min(measured, b[-1])]
        for k in range(1, 7):
            b[k] = min(b[k], b[k - 1])
        breakdown = {"MAC": nz * 0.5, "spad": nz * rng.uniform(0.5, 2.0),
                     "GLB": rng.uniform(1e4, 1e6), "NoC": rng.uniform(1e4, 5e5),
                     "DRAM": rng.uniform(1e5, 5e6)}
        layer = {
            "name": "layer_%02d_%s" % (i, typ), "type": typ, "cycles": cycles, "macs": macs,
            "nonzero_macs": nz, "utilization": nz / (cycles * npe * simd),
            "active_pes": active, "total_pes": npe,
            "pe_busy_cycles": {"min": min(busy), "mean": sum(busy) / npe, "max": max(busy)},
        }
        if new_fields:
            layer.update({
                "pe_busy": busy,
                "eyexam": b,
                "eyexam_steps": STEPS,
                "energy_pj": sum(breakdown.values()),
                "energy_breakdown_pj": breakdown,
                "link_bits": {
                    "iact": [[rng.choice([0, rng.randint(0, 50 * cycles)]) for _ in range(4)]
                             for _ in range(n_clusters)],
                    "weight": [[rng.randint(0, 24 * cycles) for _ in range(2)]
                               for _ in range(n_clusters)],
                    "psum": [[rng.randint(0, 40 * cycles)] for _ in range(n_clusters)],
                },
                "counters": make_counters(rng, cycles),
            })
        total_cycles += cycles
        total_energy += sum(breakdown.values())
        stats["layers"].append(layer)
    stats["total_cycles"] = total_cycles
    stats["inferences_per_second"] = 200e6 / total_cycles
    if new_fields:
        stats["energy_pj"] = total_energy
        stats["inferences_per_joule"] = 1e12 / total_energy
    return stats


def make_counters(rng, cycles):
    """stats.json per-layer 'counters' with the fields plot.py reads."""
    def bits():
        return rng.randint(1, 200 * cycles)

    return {
        "offchip": {"iact_bits": bits(), "weight_bits": bits(), "oact_bits": bits()},
        "glb": {t: {"reads": bits(), "writes": bits(), "port_bits": bits()}
                for t in ("iact", "psum")},
        "noc": {"iact": {"local_bits": bits(), "mesh_bits": bits()},
                "weight": {"local_bits": bits(), "mesh_bits": bits()},
                "psum": {"local_bits": bits(), "mesh_bits": bits(), "column_bits": bits()}},
        "spad": {sp: {"reads": bits(), "writes": bits()}
                 for sp in ("iact_addr", "iact_data", "weight_addr", "weight_data", "psum")},
    }


def load_plot_module():
    spec = importlib.util.spec_from_file_location("plot", PLOT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class RunDirCase(unittest.TestCase):
    """A temporary RUN_DIR and output directory, and helpers to run plot.py on them."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test_plot_")
        self.run_dir = os.path.join(self.tmp, "run")
        self.out = os.path.join(self.tmp, "figs")
        os.makedirs(self.run_dir)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_stats(self, stats):
        with open(os.path.join(self.run_dir, "stats.json"), "w") as f:
            json.dump(stats, f)

    def plot(self, *extra, out=True):
        cmd = [sys.executable, PLOT, self.run_dir] + (["--out", self.out] if out else [])
        cmd += list(extra)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=TIMEOUT)
        return p

    def assert_pngs(self, names, directory=None):
        directory = directory or self.out
        for name in names:
            path = os.path.join(directory, name)
            self.assertTrue(os.path.isfile(path), "%s not written" % name)
            try:
                w, h = png_size(path)
            except AssertionError as e:
                self.fail("%s is not a valid PNG: %s" % (name, e))
            self.assertGreater(w, 200, name)
            self.assertGreater(h, 200, name)


@unittest.skipUnless(HAVE_MPL, MPL_MSG)
class PlotTest(RunDirCase):

    def test_all_figures_from_full_schema(self):
        self.write_stats(make_stats(n_layers=30))
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES)
        listed = [os.path.basename(l) for l in p.stdout.split()]
        self.assertEqual(sorted(listed), sorted(FIGURES), p.stdout)
        self.assertNotIn("skipped", p.stderr)
        self.assertNotIn("above", p.stderr)

    def test_small_network_other_array(self):
        self.write_stats(make_stats(n_layers=3, cluster_rows=2, cluster_cols=3, pe_rows=2,
                                    pe_cols=2, seed=5))
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES)

    def test_default_out_is_run_dir(self):
        self.write_stats(make_stats(n_layers=4))
        p = self.plot(out=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES, self.run_dir)

    def test_old_schema_draws_what_it_can(self):
        # As older simulator builds write it: arch is a name, no per-PE/Eyexam/energy/link data.
        stats = make_stats(n_layers=5, new_fields=False)
        stats["arch"] = "eyeriss_v2"
        self.write_stats(stats)
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(["cycles_utilization.png"])
        for name in FIGURES[1:]:
            self.assertFalse(os.path.exists(os.path.join(self.out, name)), name)
            self.assertIn("skipped " + name, p.stderr)
        self.assertEqual([os.path.basename(l) for l in p.stdout.split()],
                         ["cycles_utilization.png"])

    def test_malformed_layer_fields_are_left_out(self):
        stats = make_stats(n_layers=6)
        stats["layers"][0]["pe_busy"] = [1, 2, 3]  # wrong PE count
        stats["layers"][1]["eyexam"] = [1, 2]  # not 7 bounds
        stats["layers"][2]["link_bits"]["iact"] = [[1, 2]]  # wrong shape
        stats["layers"][3]["energy_breakdown_pj"] = "lots"
        del stats["layers"][4]["utilization"]
        self.write_stats(stats)
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES)
        for field in ("pe_busy", "eyexam", "link_bits.iact", "energy_breakdown_pj"):
            self.assertIn(field, p.stderr)

    def test_zero_loads_and_zero_bounds(self):
        stats = make_stats(n_layers=3)
        for l in stats["layers"]:
            l["pe_busy"] = [0] * len(l["pe_busy"])
            l["eyexam"] = [float(l["macs"]), 100.0, 50.0, 50.0, 0.0, 0.0, 0.0]
            for t, v in l["link_bits"].items():
                l["link_bits"][t] = [[0] * len(r) for r in v]
        self.write_stats(stats)
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES)


    def test_link_above_capacity_is_noted(self):
        stats = make_stats(n_layers=3)
        layer = stats["layers"][1]
        # C0's south link (to C2) at twice its 3 routers x 24 bits per cycle.
        layer["link_bits"]["iact"][0] = [0, 2 * 72 * layer["cycles"], 0, 0]
        self.write_stats(stats)
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES)
        self.assertIn("layer %s: iact link C0 S at 2 of its capacity (above 1)" % layer["name"],
                      p.stderr)


@unittest.skipUnless(HAVE_MPL, MPL_MSG)
class MissingFieldsTest(RunDirCase):
    """A figure whose fields are missing is skipped with a note; a layer missing them is left
    out with a note; the other figures are still drawn."""

    def plot_expecting(self, stats, skipped, reasons):
        self.write_stats(stats)
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        for name, reason in zip(skipped, reasons):
            self.assertIn("note: skipped %s: %s" % (name, reason), p.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.out, name)), name)
        drawn = [f for f in FIGURES if f not in skipped]
        self.assert_pngs(drawn)
        self.assertEqual(sorted(os.path.basename(l) for l in p.stdout.split()), sorted(drawn))
        return p

    def test_no_counters(self):
        stats = make_stats(n_layers=4)
        for l in stats["layers"]:
            del l["counters"]
        self.plot_expecting(stats, ["roofline.png", "memory_accesses.png"],
                            ["no layer has 'counters'"] * 2)

    def test_no_pe_busy(self):
        stats = make_stats(n_layers=4)
        for l in stats["layers"]:
            del l["pe_busy"]
        self.plot_expecting(stats, ["pe_heatmap.png", "pe_heatmap_layers.png"],
                            ["no layer has 'pe_busy'"] * 2)

    def test_no_link_capacity_in_arch(self):
        stats = make_stats(n_layers=4)
        for t in ("iact", "weight", "psum"):
            del stats["arch"][t + "_routers"]
        p = self.plot_expecting(
            stats, ["noc_link_load_fraction.png", "link_load_fraction.png"],
            ["stats.json 'arch' has no link capacity (<type>_routers, <type>_link_bits)"] * 2)
        self.assertIn("stats.json 'arch' lacks iact_routers or iact_link_bits", p.stderr)

    def test_no_roofs_in_arch_still_draws_the_points(self):
        stats = make_stats(n_layers=4)
        for k in ("simd", "offchip_bytes_per_cycle", "glb_iact_banks", "glb_psum_port_bits"):
            del stats["arch"][k]
        self.plot_expecting(stats, [], [])

    def test_layer_missing_some_counters_is_left_out(self):
        stats = make_stats(n_layers=4)
        del stats["layers"][2]["counters"]["glb"]
        del stats["layers"][3]["counters"]["spad"]["psum"]["writes"]
        p = self.plot_expecting(stats, [], [])
        name2, name3 = stats["layers"][2]["name"], stats["layers"][3]["name"]
        self.assertIn("roofline: layer %s lacks nonzero_macs, cycles or counters "
                      "glb.iact.port_bits, glb.psum.port_bits; left out of the GLB panel"
                      % name2, p.stderr)
        self.assertIn("memory_accesses: layer %s lacks GLB counters; no GLB bar" % name2,
                      p.stderr)
        self.assertIn("memory_accesses: layer %s lacks SPad counters; no SPad bar" % name3,
                      p.stderr)

    def test_no_traffic_gives_no_roofline_point(self):
        def zero(d):
            return {k: zero(v) if isinstance(v, dict) else 0 for k, v in d.items()}

        stats = make_stats(n_layers=3)
        for l in stats["layers"]:
            l["counters"] = zero(l["counters"])
        self.plot_expecting(stats, ["roofline.png"],
                            ["no layer has a point on either panel (nonzero_macs, cycles and "
                             "off-chip or GLB bytes, all above 0)"])


# A 2 x 1-cluster chip of 1 x 2 PEs with SIMD 2, and two layers, with values small enough to
# work out by hand (see each test).
TINY = {
    "arch": {"name": "tiny", "cluster_rows": 2, "cluster_cols": 1, "pe_rows": 1, "pe_cols": 2,
             "simd": 2, "offchip_bytes_per_cycle": 16.0, "glb_iact_banks": 3,
             "glb_iact_port_bits": 24, "glb_psum_banks": 4, "glb_psum_port_bits": 40,
             "iact_routers": 3, "weight_routers": 3, "psum_routers": 4, "iact_link_bits": 24,
             "weight_link_bits": 24, "psum_link_bits": 40},
    "layers": [
        {"name": "a", "type": "conv", "cycles": 100, "macs": 1000, "nonzero_macs": 600,
         "pe_busy": [100, 50, 0, 25],
         "link_bits": {"iact": [[1440, 3600, 0, 0], [720, 0, 0, 0]],
                       "weight": [[0, 0], [0, 0]], "psum": [[16000], [0]]},
         "counters": {
             "offchip": {"iact_bits": 800, "weight_bits": 1600, "oact_bits": 400},
             "glb": {"iact": {"port_bits": 2400}, "psum": {"port_bits": 800}},
             "noc": {"iact": {"local_bits": 10, "mesh_bits": 20},
                     "weight": {"local_bits": 1, "mesh_bits": 2},
                     "psum": {"local_bits": 100, "mesh_bits": 200, "column_bits": 400}},
             "spad": {sp: {"reads": 7, "writes": 3} for sp in
                      ("iact_addr", "iact_data", "weight_addr", "weight_data", "psum")}}},
        {"name": "b", "type": "fc", "cycles": 300, "macs": 10, "nonzero_macs": 0,
         "pe_busy": [100, 100, 100, 100]},
    ],
}


@unittest.skipUnless(HAVE_MPL, MPL_MSG)
class ArithmeticTest(unittest.TestCase):
    """The numbers behind the new figures, from TINY against values worked out by hand."""

    @classmethod
    def setUpClass(cls):
        cls.plot = load_plot_module()

    def test_roofs(self):
        p = self.plot
        self.assertEqual(p.peak_macs_per_cycle(TINY), 8)  # 2 x 1 x 1 x 2 PEs x SIMD 2
        self.assertEqual(p.offchip_bytes_per_cycle(TINY), 16.0)
        # 2 clusters x (3 x 24 + 4 x 40) bits / 8 = 58 bytes per cycle.
        self.assertEqual(p.glb_bytes_per_cycle(TINY), 58.0)
        # The ridge is at 8 / 16 = 0.5 MACs/byte: below it the slope, above it the peak.
        self.assertAlmostEqual(float(p.attainable(0.25, 8, 16.0)), 4.0)
        self.assertAlmostEqual(float(p.attainable(0.5, 8, 16.0)), 8.0)
        self.assertAlmostEqual(float(p.attainable(3.0, 8, 16.0)), 8.0)
        self.assertAlmostEqual(float(p.attainable(1e-3, 8, 0.0)), 8.0)  # unlimited bandwidth
        unlimited = dict(TINY, arch=dict(TINY["arch"], offchip_bytes_per_cycle=0.0))
        self.assertEqual(p.offchip_bytes_per_cycle(unlimited), 0.0)
        no_simd = dict(TINY, arch={k: v for k, v in TINY["arch"].items() if k != "simd"})
        self.assertRaises(p.Skip, p.peak_macs_per_cycle, no_simd)

    def test_roofline_points(self):
        p = self.plot
        # Off-chip: (800 + 1600 + 400) bits / 8 = 350 bytes; 600 / 350 MACs/byte, 600 / 100.
        rows = p.roofline_layers(TINY, p.OFFCHIP_BITS, "off-chip")
        self.assertEqual(len(rows), 1)  # layer b has no counters
        num, label, typ, x, y = rows[0]
        self.assertEqual((num, label, typ), (1, "a", "conv"))
        self.assertAlmostEqual(x, 600 / 350)
        self.assertAlmostEqual(y, 6.0)
        # GLB: (2400 + 800) bits / 8 = 400 bytes; 600 / 400 = 1.5 MACs/byte.
        rows = p.roofline_layers(TINY, p.GLB_PORT_BITS, "GLB")
        self.assertAlmostEqual(rows[0][3], 1.5)
        self.assertIsNone(p.roofline_point(600, 0, 350))
        self.assertIsNone(p.roofline_point(600, 100, 0))

    def test_link_load_fractions(self):
        p = self.plot
        layer = TINY["layers"][0]
        self.assertEqual(p.link_capacity(TINY, "iact"), 72.0)  # 3 routers x 24 bits
        self.assertEqual(p.link_capacity(TINY, "psum"), 160.0)  # 4 routers x 40 bits
        # One column of two clusters: only C0 south and C1 north join two clusters.
        self.assertEqual(p.mesh_links(2, 1, "iact").tolist(),
                         [[False, True, False, False], [True, False, False, False]])
        self.assertEqual(p.mesh_links(2, 1, "weight").tolist(), [[False, False]] * 2)
        bits = p.layer_link_bits(layer, 0, 2, "test")
        # iact over 100 cycles x 72 bits: C0 N (off the edge) 1440 -> 0.2, C0 S 3600 -> 0.5,
        # C1 N 720 -> 0.1.
        frac = p.link_fractions(bits["iact"], 100.0, 72.0)
        self.assertEqual(frac.round(12).tolist(), [[0.2, 0.5, 0, 0], [0.1, 0, 0, 0]])
        # The mean counts C0 N because it carried bits: (0.5 + 0.1 + 0.2) / 3.
        mx, mean = p.link_fraction_summary(frac, p.mesh_links(2, 1, "iact"))
        self.assertAlmostEqual(mx, 0.5)
        self.assertAlmostEqual(mean, 0.8 / 3)
        # psum: C0 S 16000 bits / (100 x 160) = 1.0, the only link between two clusters.
        frac = p.link_fractions(bits["psum"], 100.0, 160.0)
        mx, mean = p.link_fraction_summary(frac, p.mesh_links(2, 1, "psum"))
        self.assertAlmostEqual(mx, 1.0)
        self.assertAlmostEqual(mean, 1.0)
        # No weight link joins two clusters and none carried bits: max 0, mean 0.
        frac = p.link_fractions(bits["weight"], 100.0, 72.0)
        self.assertEqual(p.link_fraction_summary(frac, p.mesh_links(2, 1, "weight")),
                         (0.0, 0.0))
        no_routers = dict(TINY, arch={k: v for k, v in TINY["arch"].items()
                                      if k != "iact_routers"})
        self.assertIsNone(p.link_capacity(no_routers, "iact"))

    def test_pe_utilization(self):
        p = self.plot
        rows = p.pe_busy_layers(TINY, 4, "test")
        self.assertEqual([r[0] for r in rows], ["a", "b"])
        # Per layer: busy / cycles.
        self.assertEqual(p.pe_utilization(rows[:1]).tolist(), [1.0, 0.5, 0.0, 0.25])
        # Over the network: Σ busy / Σ cycles = [200, 150, 100, 125] / 400.
        self.assertEqual(p.pe_utilization(rows).tolist(), [0.5, 0.375, 0.25, 0.3125])

    def test_memory_accesses(self):
        acc = self.plot.memory_accesses(TINY["layers"][0])
        self.assertEqual(acc["DRAM"], {"iact": 800, "weight": 1600, "oact": 400})
        self.assertEqual(acc["GLB"], {"iact": 2400, "psum": 800})
        # NoC: local + mesh, and for psums the PE columns too.
        self.assertEqual(acc["NoC"], {"iact": 30, "weight": 3, "psum": 700})
        self.assertEqual(set(acc["SPad"].values()), {10})  # reads + writes
        missing = self.plot.memory_accesses({"counters": {"offchip": {"iact_bits": 8}}})
        self.assertEqual(missing["DRAM"], {"iact": 8, "weight": None, "oact": None})

    def test_small_multiples_grid(self):
        cols = self.plot.small_multiples_cols
        self.assertEqual(cols(1, 1.0, 3.0), 1)
        # Tall panels go wide: 28 in 14 columns x 2 rows (1.75:1; 10 x 3 would be 0.83:1).
        self.assertEqual(cols(28, 1.0, 4.0), 14)
        # Square panels: 28 in 7 x 4 (1.75:1; 6 x 5 would be 1.2:1).
        self.assertEqual(cols(28, 1.5, 1.5), 7)
        # Wide panels: 6 in 2 x 3 (2.67:1); one row of 6 would be wider than 20 inches.
        self.assertEqual(cols(6, 4.0, 1.0), 2)


@unittest.skipUnless(HAVE_MPL, MPL_MSG)
@unittest.skipUnless(SIM, "no eyeriss-sim given (test_plot.py <eyeriss-sim> <repo-root>): "
                          "tests of real runs skipped")
class RealRunTest(RunDirCase):
    """Every figure from a real eyeriss-sim run of workloads/example.yaml."""

    def run_sim(self, arch):
        p = subprocess.run([SIM, "run", "--arch", os.path.join(ROOT, "configs", arch),
                            "--workload", os.path.join(ROOT, "workloads", "example.yaml"),
                            "--out", self.run_dir, "--quiet", "--no-tensors"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=TIMEOUT)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.run_dir, "stats.json")) as f:
            return json.load(f)

    def check_figures(self):
        p = self.plot()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_pngs(FIGURES)
        self.assertEqual(sorted(os.path.basename(l) for l in p.stdout.split()), sorted(FIGURES))
        self.assertNotIn("skipped", p.stderr)
        self.assertNotIn("left out", p.stderr)
        # A layer above a roof or a link above its capacity would be a simulator bug.
        self.assertNotIn("above", p.stderr)

    def test_bandwidth_limited_chip(self):
        stats = self.run_sim("eyeriss_v2_25.6GBps.yaml")
        self.assertEqual(load_plot_module().offchip_bytes_per_cycle(stats), 128.0)
        self.check_figures()

    def test_unlimited_bandwidth_chip(self):
        stats = self.run_sim("eyeriss_v2.yaml")
        plot = load_plot_module()
        self.assertEqual(plot.offchip_bytes_per_cycle(stats), 0.0)
        # The published chip: 16 clusters x (3 x 24 + 4 x 40) / 8 = 464 GLB bytes per cycle.
        self.assertEqual(plot.glb_bytes_per_cycle(stats), 464.0)
        self.assertEqual(plot.peak_macs_per_cycle(stats), 384)
        self.check_figures()


class BadInputTest(RunDirCase):
    """plot.py checks stats.json before it needs matplotlib, so these run without it."""

    def test_missing_stats_json(self):
        p = self.plot()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("stats.json", p.stderr)
        self.assertIn("not found", p.stderr)
        self.assertFalse(os.path.exists(self.out) and os.listdir(self.out))

    def test_stats_json_not_json(self):
        with open(os.path.join(self.run_dir, "stats.json"), "w") as f:
            f.write("{ this is not json")
        p = self.plot()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("not valid JSON", p.stderr)

    def test_stats_json_without_layers(self):
        self.write_stats({"arch": "eyeriss_v2", "total_cycles": 5})
        p = self.plot()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("layers", p.stderr)


if __name__ == "__main__":
    if not HAVE_MPL:
        print("SKIP: " + MPL_MSG)
    unittest.main(verbosity=2)
