#!/usr/bin/env python3
"""The RTL co-simulation options end to end (docs/rtl.md): --rtl-pe / rtl.pe, --vcd,
--strict-cycles, stats.json's per-layer cross-check, and their bad inputs.

Run by CMake (label rtl, only when verilator was found) as:
  python3 test_rtl_cli.py <path-to-eyeriss-sim> <repo-root>
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cli  # noqa: E402  (reads the simulator and root from the command line)
from test_cli import (EXAMPLE, SINGLE_CLUSTER, CliTestCase, describe, folder_listing,  # noqa: E402
                      run_sim)

ONE_PE = "top.cg_r0_c0.pe_cluster.pe_r1_c2"


class RtlRuns(CliTestCase):
    def test_one_rtl_pe_reports_its_cross_check(self):
        p = run_sim("run", "--quiet", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE,
                    "--layers", "pw4", "--rtl-pe", ONE_PE, "--strict-cycles", "--out", self.out)
        self.assertEqual(p.returncode, 0, describe(p))
        self.assertIn("RTL PEs 1:", p.stdout)
        with open(os.path.join(self.out, "stats.json")) as f:
            layer = json.load(f)["layers"][0]
        rtl = layer["rtl"]
        self.assertEqual(rtl["pes"], 1)
        self.assertGreater(rtl["positions_compared"], 0)
        self.assertEqual(rtl["positions_compared"], rtl["rows_compared"])
        self.assertEqual(rtl["cycle_divergences"], 0)

    def test_rtl_key_in_the_architecture(self):
        arch = self.write("arch.yaml", self.arch_text() + "rtl: {pe: top.cg_r0_c0}\n")
        p = run_sim("run", "--quiet", "--arch", arch, "--workload", EXAMPLE, "--layers", "fc5")
        self.assertEqual(p.returncode, 0, describe(p))
        self.assertIn("RTL PEs 12:", p.stdout)

    def test_vcd_holds_the_pins_of_the_rtl_pes(self):
        vcd = os.path.join(self.tmp, "pins.vcd")
        p = run_sim("run", "--quiet", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE,
                    "--layers", "fc5", "--rtl-pe", ONE_PE, "--vcd", vcd)
        self.assertEqual(p.returncode, 0, describe(p))
        with open(vcd) as f:
            text = f.read()
        self.assertIn("$enddefinitions", text)
        for pin in ("iact_data", "iact_ready", "w_enable", "pin_ready", "pout_data", "pos_done"):
            self.assertIn(pin, text)
        self.assertIn("pe_r1_c2", text)
        self.assertNotIn("pe_r0_c0", text)  # transaction-level PEs have no pins


class RtlBadInput(CliTestCase):
    def test_a_name_that_is_no_pe(self):
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--rtl-pe",
                               "top.cg_r0_c5"), ("--rtl-pe", "top.cg_r0_c5"))

    def test_a_pe_outside_the_cluster(self):
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--rtl-pe",
                               "top.cg_r0_c0.pe_cluster.pe_r3_c0"), ("pe_r3_c0", "I < 3"))

    def test_an_architecture_the_rtl_was_not_built_for(self):
        text = self.arch_text().replace("pipeline_stages: 7", "pipeline_stages: 8")
        self.assertIn("pipeline_stages: 8", text)
        arch = self.write("arch.yaml", text + "rtl: {pe: all}\n")
        self.assert_bad_input(("run", "--arch", arch, "--workload", EXAMPLE),
                              (arch, "rtl.pe", "pe.pipeline_stages"))

    def test_vcd_without_rtl_pes(self):
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--vcd",
                               os.path.join(self.tmp, "x.vcd")), ("--vcd", "--rtl-pe"))

    def test_vcd_in_a_missing_folder(self):
        self.assert_bad_input(("run", "--arch", SINGLE_CLUSTER, "--workload", EXAMPLE, "--rtl-pe",
                               ONE_PE, "--vcd", os.path.join(self.tmp, "no", "x.vcd")),
                              ("--vcd", "does not exist"))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *test_cli.EXTRA_ARGS], verbosity=2)
