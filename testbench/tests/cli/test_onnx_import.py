#!/usr/bin/env python3
"""Tests of scripts/onnx_import.py: a small ONNX graph (conv -> relu -> two branches -> concat ->
conv -> add -> maxpool -> flatten -> gemm) built with onnx.helper is imported, its YAML checked
against the ONNX shapes, run through eyeriss-sim (bit-exact against the golden model), and the
simulator's host-side graph (concatenation order, residual add, pooling) checked against an
independent NumPy evaluation of the same graph from the run's own outputs. Unsupported models
must be refused naming the node and the op.

Run as:  /usr/bin/python3 test_onnx_import.py <path-to-eyeriss-sim> <repo-root> [unittest args]
Exits 77 (ctest: skipped) when the onnx package is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

if len(sys.argv) < 3:
    sys.exit("usage: test_onnx_import.py <path-to-eyeriss-sim> <repo-root> [unittest args]")
SIM = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
del sys.argv[1:3]

try:
    import numpy as np
    import onnx
    import yaml
    from onnx import TensorProto, helper, numpy_helper, shape_inference
except ImportError as e:
    print(f"skipped: {e} (scripts/setup.sh installs python3-onnx)")
    sys.exit(77)

IMPORTER = os.path.join(ROOT, "scripts", "onnx_import.py")
ARCH = os.path.join(ROOT, "configs", "eyeriss_v2.yaml")
PSUM_BITS = 20


def build_model(extra_nodes=(), extra_inits=(), last="y", last_type=TensorProto.FLOAT):
    """x [1,3,12,12] -> c1 3x3 (8) + bias -> relu -> {ba 1x1 (4), bb 3x3 (6)} -> concat (10)
    -> c3 1x1 (8) -> relu -> add(c3, c1) -> maxpool 2/2 -> flatten -> gemm (10)."""
    rng = np.random.default_rng(5)

    def init(name, shape):
        return numpy_helper.from_array(rng.normal(0, 1, shape).astype(np.float32), name)

    inits = [init("w1", (8, 3, 3, 3)), init("b1", (8,)), init("wa", (4, 8, 1, 1)),
             init("wb", (6, 8, 3, 3)), init("w3", (8, 10, 1, 1)), init("wf", (8 * 6 * 6, 10)),
             init("bf", (10,))] + list(extra_inits)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "wa"], ["ca"], name="branch_a"),
        helper.make_node("Relu", ["ca"], ["ra"], name="relu_a"),
        helper.make_node("Conv", ["r1", "wb"], ["cb"], name="branch_b", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["cb"], ["rb"], name="relu_b"),
        helper.make_node("Concat", ["ra", "rb"], ["cat"], name="concat", axis=1),
        helper.make_node("Conv", ["cat", "w3"], ["c3"], name="conv3"),
        helper.make_node("Relu", ["c3"], ["r3"], name="relu3"),
        helper.make_node("Add", ["r3", "r1"], ["sum"], name="add"),
        helper.make_node("MaxPool", ["sum"], ["mp"], name="pool", kernel_shape=[2, 2],
                         strides=[2, 2]),
        helper.make_node("Flatten", ["mp"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], name="fc"),  # B is [K][M]
    ] + list(extra_nodes)
    graph = helper.make_graph(
        nodes, "small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12])],
        [helper.make_tensor_value_info(last, last_type, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def conv_ref(x, w, stride, pad):
    """Plain loops over a tiny tensor: an evaluation independent of the importer's and the
    golden model's code."""
    n, c, h, wd = x.shape
    m, _, r, s = w.shape
    e, f = (h + 2 * pad - r) // stride + 1, (wd + 2 * pad - s) // stride + 1
    xp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad), np.int64)
    xp[:, :, pad:pad + h, pad:pad + wd] = x
    out = np.zeros((n, m, e, f), np.int64)
    for i in range(e):
        for j in range(f):
            win = xp[:, :, i * stride:i * stride + r, j * stride:j * stride + s]
            out[:, :, i, j] = np.tensordot(win, w.astype(np.int64), axes=([1, 2, 3], [1, 2, 3]))
    mod = 1 << PSUM_BITS
    out &= mod - 1
    return np.where(out >= mod // 2, out - mod, out)


def max_pool_ref(x, k, st, pad):
    n, c, h, w = x.shape
    ho, wo = (h + 2 * pad - k) // st + 1, (w + 2 * pad - k) // st + 1
    out = np.zeros((n, c, ho, wo), np.int64)
    for i in range(ho):
        for j in range(wo):
            r0, c0 = i * st - pad, j * st - pad
            win = x[:, :, max(r0, 0):r0 + k, max(c0, 0):c0 + k]
            out[:, :, i, j] = win.max(axis=(2, 3))
    return out


class OnnxImport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="onnx_import_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_importer(self, model, name="small"):
        path = os.path.join(self.tmp, name + ".onnx")
        onnx.save(model, path)
        out = os.path.join(self.tmp, "wl")
        p = subprocess.run([sys.executable, IMPORTER, path, "--out", out, "--calib-seed", "3"],
                           capture_output=True, text=True, timeout=120)
        return p, out, path

    def test_import_run_and_graph(self):
        model = build_model()
        p, out, _ = self.run_importer(model)
        self.assertEqual(p.returncode, 0, p.stderr)
        ypath = os.path.join(out, "small.yaml")
        with open(ypath) as f:
            text = f.read()
        wl = yaml.safe_load(text)
        layers = {L["name"]: L for L in wl["layers"]}
        self.assertEqual(list(layers), ["conv1", "branch_a", "branch_b", "conv3", "fc"])
        # Biases are dropped and said so; the Gemm without a Relu gets the chip's.
        self.assertIn("Biases dropped (the chip has none): conv1, fc.", text)
        self.assertIn("ReLU added where the ONNX graph has none", text)
        self.assertIn(": fc.", text)

        # Shapes against the ONNX graph (shape inference).
        inferred = shape_inference.infer_shapes(model)
        shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
                  for v in list(inferred.graph.value_info) + list(inferred.graph.input)}
        inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        for node in model.graph.node:
            if node.op_type != "Conv":
                continue
            L = layers[node.name]
            xs, ys, w = shapes[node.input[0]], shapes[node.output[0]], inits[node.input[1]]
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            self.assertEqual([L["N"], L["C"], L["H"], L["W"]], xs, node.name)
            self.assertEqual([L["M"], L["R"], L["S"]], [w.shape[0], w.shape[2], w.shape[3]])
            self.assertEqual(L["pad"], attrs.get("pads", [0])[0])
            E = (L["H"] + 2 * L["pad"] - L["R"]) // L["stride"] + 1
            self.assertEqual([1, L["M"], E, E], ys, node.name)
        fc = layers["fc"]
        self.assertEqual(fc["C"] * fc["H"] * fc["W"], shapes["flat"][1])
        self.assertEqual(fc["M"], inits["wf"].shape[1])
        # The graph: image file, branches off conv1, concat in ONNX order, the add as a
        # residual on the later layer, the max pool on the host before fc.
        self.assertEqual(layers["conv1"]["iacts"], "small.input.npy")
        self.assertEqual(layers["branch_a"]["input"], ["conv1"])
        self.assertEqual(layers["branch_b"]["input"], ["conv1"])
        self.assertEqual(layers["conv3"]["input"], ["branch_a", "branch_b"])
        self.assertEqual(layers["conv3"]["residual"], "conv1")
        self.assertEqual(fc["input"], ["conv3"])
        self.assertEqual(fc["input_pool"], {"type": "max", "size": 2, "stride": 2, "pad": 0})

        # Weights: int8, the loader's shapes, per-layer symmetric quantization.
        for name, wname in (("conv1", "w1"), ("branch_b", "wb"), ("fc", "wf")):
            q = np.load(os.path.join(out, layers[name]["weights"]))
            self.assertEqual(q.dtype, np.int8)
            w = inits[wname].astype(np.float64)
            w = w if w.ndim == 4 else w.T  # Gemm B [K][M] -> [M][K]
            want_shape = (w.shape if w.ndim == 4 else
                          (fc["M"], fc["C"], fc["H"], fc["W"]))
            self.assertEqual(q.shape, want_shape)
            expect = np.rint(w / (np.abs(w).max() / 127)).reshape(want_shape)
            np.testing.assert_array_equal(q, expect.astype(np.int8))
            self.assertEqual(np.abs(q).max(), 127)

        # The simulator: every layer bit-exact against the golden model (exit 0).
        run_out = os.path.join(self.tmp, "run")
        r = subprocess.run([SIM, "run", "--quiet", "--arch", ARCH, "--workload", ypath, "--out",
                            run_out], capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        # The host-side graph, evaluated here from the run's own outputs: each layer's psums
        # must be its weights applied to the iacts this graph gives.
        def oact(n):
            return np.load(os.path.join(run_out, n + ".oact.npy")).astype(np.int64)

        def weights(n):
            return np.load(os.path.join(out, layers[n]["weights"]))

        image = np.load(os.path.join(out, "small.input.npy")).astype(np.int64)
        conv1_out = oact("conv1")
        conv3_out = np.minimum(oact("conv3") + conv1_out, 255)  # residual, saturating
        iacts = {
            "conv1": image,
            "branch_a": conv1_out,
            "branch_b": conv1_out,
            "conv3": np.concatenate([oact("branch_a"), oact("branch_b")], axis=1),
            "fc": max_pool_ref(conv3_out, 2, 2, 0),
        }
        for name, x in iacts.items():
            L = layers[name]
            got = np.load(os.path.join(run_out, name + ".psum.npy"))
            stride, pad = (L.get("stride", 1), L.get("pad", 0))
            want = conv_ref(x, weights(name), stride, pad)
            np.testing.assert_array_equal(got, want, err_msg=name)
            # Requantization with the imported shift, as the chip does.
            np.testing.assert_array_equal(
                oact(name), np.clip(np.maximum(want, 0) >> L["shift"], 0, 255), err_msg=name)
        # The residual add must change something here, else it is not tested.
        self.assertTrue((conv3_out != oact("conv3")).any())
        # The calibration keeps saturation low and outputs alive.
        for name in layers:
            o = oact(name)
            self.assertLessEqual(np.count_nonzero(o == 255), 0.001 * o.size + 1e-9, name)
            self.assertGreater(np.count_nonzero(o), 0, name)

    def test_unsupported_op_names_node(self):
        model = build_model(
            [helper.make_node("Sigmoid", ["y"], ["z"], name="squash")], last="z")
        p, out, path = self.run_importer(model)
        self.assertEqual(p.returncode, 2)
        self.assertIn(path, p.stderr)
        self.assertIn("node 'squash' (op Sigmoid)", p.stderr)
        self.assertIn("unsupported op", p.stderr)
        self.assertFalse(os.path.exists(out))  # nothing written

    def test_quantized_op_refused(self):
        # Quantized ONNX (QuantizeLinear, QLinearConv) is not supported: refused by name.
        extra_inits = [numpy_helper.from_array(np.array(0.5, np.float32), "qs"),
                       numpy_helper.from_array(np.array(0, np.uint8), "qz")]
        model = build_model([helper.make_node("QuantizeLinear", ["y", "qs", "qz"], ["yq"],
                                              name="quant")], extra_inits, last="yq",
                            last_type=TensorProto.UINT8)
        p, _, _ = self.run_importer(model)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("node 'quant' (op QuantizeLinear)", p.stderr)

    def test_asymmetric_pads_refused(self):
        model = build_model()
        for n in model.graph.node:
            if n.name == "branch_b":
                for a in n.attribute:
                    if a.name == "pads":
                        a.ints[:] = [1, 1, 0, 0]
        p, _, _ = self.run_importer(model)
        self.assertEqual(p.returncode, 2)
        self.assertIn("node 'branch_b' (op Conv)", p.stderr)
        self.assertIn("pads", p.stderr)

    def test_not_onnx(self):
        path = os.path.join(self.tmp, "junk.onnx")
        with open(path, "w") as f:
            f.write("not a model")
        p = subprocess.run([sys.executable, IMPORTER, path, "--out", self.tmp],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a valid ONNX model", p.stderr)
        self.assertNotIn("Traceback", p.stderr)


if __name__ == "__main__":
    unittest.main()
