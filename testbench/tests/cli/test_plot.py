#!/usr/bin/env python3
"""Tests of scripts/plot.py: figures from a synthetic stats.json, partial and bad input.

Run by CMake as:  /usr/bin/python3 test_plot.py <repo-root> [unittest args]
Standard library only; the script itself needs matplotlib and numpy, and every test is skipped
(with a message) when they are not importable by this interpreter.
"""
import importlib
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
    sys.exit("usage: test_plot.py <repo-root> [unittest args]")
ROOT = os.path.abspath(sys.argv[1])
del sys.argv[1:2]

PLOT = os.path.join(ROOT, "scripts", "plot.py")
FIGURES = ["cycles_utilization.png", "eyexam_waterfall.png", "energy_breakdown.png",
           "pe_heatmap.png", "noc_link_load.png"]
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
                 "simd": simd, "clock_hz": 200e6},
        "clock_hz": 200e6,
        "layers": [],
    }
    types = ["conv", "depthwise", "pointwise", "fc"]
    total_cycles, total_energy = 0, 0.0
    for i in range(n_layers):
        typ = types[i % len(types)] if i < n_layers - 1 else "fc"
        macs = rng.randint(10_000, 5_000_000)
        nz = int(macs * rng.uniform(0.2, 1.0))
        cycles = rng.randint(200, 60_000)
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
