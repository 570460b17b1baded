#!/usr/bin/env python3
"""Draws PNG figures from an eyeriss-sim run.

Usage:  scripts/plot.py RUN_DIR [--out DIR]
        scripts/plot.py --sweep SWEEP_DIR      (pareto.png from a sweep's network.csv)

RUN_DIR is the directory given to `eyeriss-sim run ... --out RUN_DIR`; the script reads
RUN_DIR/stats.json and writes into DIR (default: RUN_DIR):

  cycles_utilization.png  Cycles per layer (bars, coloured by layer type; log scale when the
                          range is wide) and MAC utilization per layer (line, right axis, %).
  eyexam_waterfall.png    Top: the network-level Eyexam waterfall. For each of the 7 steps the
                          network bound is total MACs / sum over layers of (MACs / bound_k), i.e.
                          the MAC-weighted harmonic mean of the per-layer bounds (the throughput
                          the whole network would reach if every layer ran at its bound). The
                          first bar is bound 1 (layer shape), each following bar is the drop from
                          the previous bound to this one (labelled with the factor lost), and the
                          last bar is the measured throughput. The y axis is logarithmic: bound 1
                          (unbounded parallelism) is typically orders of magnitude above the
                          rest, so on a linear axis every later step would be invisible; on the
                          log axis the height of a drop bar is the factor lost.
                          Below, per layer (rows = layers), two heatmaps rather than small
                          multiples, because one row per layer stays readable for 28+ layers:
                          left, colour = bound_k / bound_1 on a log scale with bound_k (MACs/
                          cycle) written in each cell; right, the factor lost at each step,
                          bound_{k-1} / bound_k (log colour, "-" = no loss), which shows at a
                          glance which step costs each layer the most.
  energy_breakdown.png    Stacked bars of energy per layer by component (unit picked from the
                          range: pJ, nJ, uJ or mJ).
  pe_heatmap.png          Per-PE utilization over the whole network (sum of busy cycles / sum of
                          layer cycles, over the layers that report per-PE busy counts) drawn on
                          the physical array: cluster_rows x cluster_cols clusters of
                          pe_rows x pe_cols PEs, with gaps between clusters.
  pe_heatmap_layers.png   The same array once per layer (small multiples titled with the layer
                          name and its mean): per-PE utilization = the PE's busy cycles / the
                          layer's cycles, one colour bar for all (0..1; further if a PE reports
                          more busy cycles than the layer has, which is noted on stderr). The
                          grid is the one nearest a 1.6:1 landscape figure, so a tall array (the
                          8 x 2-cluster chip) gets many columns.
  noc_link_load.png       The mesh of router clusters, one panel per data type (iact N/S/W/E,
                          weight W/E, psum south). Each outgoing link is an arrow coloured and
                          width-scaled by its load in bits per cycle (sum over layers of the
                          link's bits / sum of the cycles of those layers). Opposite directions
                          between two clusters are drawn side by side (each arrow is offset to
                          the right of its direction of travel); a link leaving the array edge is
                          a short stub. Links with no traffic are thin grey dotted lines.
  noc_link_load_fraction.png
                          The same mesh with each link's load as a fraction of its capacity:
                          bits/cycle as above / (<type>_routers x <type>_link_bits), since a
                          cluster has <type>_routers parallel routers per direction. One colour
                          scale 0..1 in every panel; numbers are fractions (<0.01 below 0.01).
  link_load_fraction.png  Mesh link load per layer as a fraction of capacity: for each outgoing
                          link, the layer's bits / (layer cycles x <type>_routers x
                          <type>_link_bits). Per layer and data type (iact, weight, psum) a light
                          bar is the max over all links and a narrower dark bar the mean over the
                          links between two clusters (links off the array edge count only if
                          they carried bits). Linear y from 0, the capacity 1.0 dashed; a link
                          above 1 is noted on stderr.
  roofline.png            Rooflines per layer, one marker per layer numbered as in the key
                          (colour = layer type; layers too close to label apart share a label).
                          Both panels are log-log and count nonzero (effective) MACs only.
                          Left, off-chip: x = nonzero MACs per off-chip byte (bytes = (offchip
                          iact + weight + oact bits) / 8), y = achieved nonzero MACs per cycle
                          (nonzero_macs / cycles); compute roof PEs x SIMD MACs/cycle, bandwidth
                          roof y = offchip_bytes_per_cycle x x (none when it is 0: the panel says
                          the off-chip bandwidth is unlimited). Right, GLB: x = nonzero MACs per
                          GLB byte (bytes = (glb.iact.port_bits + glb.psum.port_bits) / 8), roof
                          slope = the GLB port bandwidth, clusters x (glb_iact_banks x
                          glb_iact_port_bits + glb_psum_banks x glb_psum_port_bits) / 8
                          bytes/cycle. A point above its roof is noted on stderr.
  memory_accesses.png     Traffic per layer at each memory level, one panel per level sharing
                          the layer axis, bars stacked by data type (linear y; the legend gives
                          each type's share of the network total): DRAM = off-chip bits (iact,
                          weight, oact); GLB = bits through the iact and psum bank ports; NoC =
                          bits on the NoC per type, local + mesh (+ up the PE columns for psum);
                          SPad = accesses (reads + writes, not bits) of each of the five SPads
                          (iact address/data, weight address/data, psum).

With --sweep (scripts/sweep.py): SWEEP_DIR/pareto.png, inferences/s against inferences/J, one
point per sweep point (colour per workload), the Pareto front (no other point is better in both)
joined and labelled with its overrides. Runs that failed or lack either figure (a layer subset
has no inferences/s; no energy table, no inferences/J) are left out with a note.

Each figure needs only its own fields of stats.json (see docs / the simulator); a figure whose
fields are missing is skipped with a note on stderr, and a layer with malformed fields is left out
of that figure with a note. The files written are listed on stdout. Exit status: 0 on success
(even if some figures were skipped), 1 if RUN_DIR/stats.json is missing or not valid JSON (or not
a run's stats), 2 if matplotlib is not installed.
"""
import argparse
import json
import math
import os
import sys

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import colors as mcolors
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Rectangle
    from matplotlib.ticker import FuncFormatter
    import numpy as np
except ImportError as e:  # pragma: no cover - depends on the interpreter
    plt = None
    _IMPORT_ERROR = e

DEFAULT_EYEXAM_STEPS = ["layer shape", "dataflow", "number of PEs", "physical dimensions",
                        "storage capacity", "bandwidth", "measured"]

# Outgoing link directions per data type, in the order of stats.json link_bits entries.
LINK_DIRS = {"iact": ["N", "S", "W", "E"], "weight": ["W", "E"], "psum": ["S"]}
# Unit step in (col, row) for each direction; row 0 is the top (north) of the array.
DIR_STEP = {"N": (0, -1), "S": (0, 1), "W": (-1, 0), "E": (1, 0)}

DPI = 120


class Skip(Exception):
    """A figure cannot be drawn from this stats.json; the message says why."""


def note(msg):
    print("note: " + msg, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Helpers


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def layer_label(layer, i):
    name = layer.get("name")
    return str(name) if name not in (None, "") else "layer%d" % i


def network_name(stats, run_dir):
    for key in ("network", "workload", "name"):
        v = stats.get(key)
        if isinstance(v, str) and v:
            return v
        if isinstance(v, dict) and isinstance(v.get("name"), str):
            return v["name"]
    return os.path.basename(os.path.normpath(run_dir)) or "run"


def arch_info(stats):
    """Returns the arch dict (possibly empty) and its name; older runs store only the name."""
    arch = stats.get("arch")
    if isinstance(arch, dict):
        return arch, str(arch.get("name", "arch"))
    if isinstance(arch, str):
        return {}, arch
    return {}, "arch"


def arch_dims(stats):
    arch, _ = arch_info(stats)
    keys = ("cluster_rows", "cluster_cols", "pe_rows", "pe_cols")
    missing = [k for k in keys if not (isinstance(arch.get(k), int) and arch.get(k) > 0)]
    if missing:
        if not arch:
            raise Skip("stats.json 'arch' has no array dimensions (it is %r, not an object with %s)"
                       % (stats.get("arch"), ", ".join(keys)))
        raise Skip("stats.json 'arch' lacks " + ", ".join(missing))
    return tuple(arch[k] for k in keys)


def clock_hz(stats):
    arch, _ = arch_info(stats)
    for v in (stats.get("clock_hz"), arch.get("clock_hz")):
        if is_num(v) and v > 0:
            return float(v)
    return None


def tick_layers(ax, labels, axis="x"):
    n = len(labels)
    if axis == "x":
        ax.set_xticks(range(n))
        ax.set_xticklabels(labels, rotation=90 if n > 10 else 45,
                           ha="center" if n > 10 else "right", fontsize=8 if n > 30 else 9)
        ax.set_xlim(-0.6, n - 0.4)
    else:
        ax.set_yticks(range(n))
        ax.set_yticklabels(labels, fontsize=8 if n > 30 else 9)


def layers_width(n):
    return max(8.0, min(40.0, 2.5 + 0.32 * n))


def fmt_si(v):
    """Compact number: 3 significant digits with k/M/G suffixes."""
    a = abs(v)
    for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return "%.3g%s" % (v / div, suf)
    if a >= 0.01 or a == 0:
        return "%.3g" % v
    return "%.1e" % v


def save(fig, out_dir, name, written):
    path = os.path.join(out_dir, name)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
    written.append(path)


# ---------------------------------------------------------------------------------------------
# 1. Cycles and utilization per layer


def fig_cycles_utilization(stats, net):
    layers = stats["layers"]
    rows = []
    for i, l in enumerate(layers):
        if not is_num(l.get("cycles")):
            note("cycles_utilization: layer %s has no 'cycles'; left out" % layer_label(l, i))
            continue
        u = l.get("utilization")
        rows.append((layer_label(l, i), str(l.get("type", "?")), float(l["cycles"]),
                     float(u) if is_num(u) else None))
    if not rows:
        raise Skip("no layer has 'cycles'")
    labels = [r[0] for r in rows]
    types = [r[1] for r in rows]
    cycles = np.array([r[2] for r in rows])
    n = len(rows)

    type_order = list(dict.fromkeys(types))
    palette = plt.get_cmap("tab10")
    tcolor = {t: palette(i % 10) for i, t in enumerate(type_order)}

    fig, ax = plt.subplots(figsize=(layers_width(n), 5.5))
    x = np.arange(n)
    bars = ax.bar(x, cycles, color=[tcolor[t] for t in types], alpha=0.85, zorder=2)
    pos = cycles[cycles > 0]
    log = len(pos) > 0 and pos.max() / pos.min() > 30
    if log:
        ax.set_yscale("log")
        ax.set_ylabel("cycles per layer (log scale)")
    else:
        ax.set_ylabel("cycles per layer")
    ax.grid(axis="y", alpha=0.3, zorder=0)
    tick_layers(ax, labels)
    ax.set_xlabel("layer")
    if n <= 24:
        for b, c in zip(bars, cycles):
            ax.annotate(fmt_si(c), (b.get_x() + b.get_width() / 2, b.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=7, color="0.25")

    ax2 = ax.twinx()
    util_x = [i for i, r in enumerate(rows) if r[3] is not None]
    util_y = [100.0 * rows[i][3] for i in util_x]
    line = None
    if util_x:
        line, = ax2.plot(util_x, util_y, color="black", marker="o", markersize=4, lw=1.5,
                         label="MAC utilization", zorder=3)
        top = max(100.0, max(util_y) * 1.05)
        ax2.set_ylim(0, top)
        ax2.set_ylabel("MAC utilization (%)")
    else:
        note("cycles_utilization: no layer has 'utilization'; drawing cycles only")
        ax2.set_yticks([])

    handles = [Rectangle((0, 0), 1, 1, color=tcolor[t], alpha=0.85) for t in type_order]
    names = ["cycles: " + t for t in type_order]
    if line is not None:
        handles.append(line)
        names.append("MAC utilization (right axis)")
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.06, 1.0), fontsize=8,
              frameon=False)

    total = stats.get("total_cycles")
    total = float(total) if is_num(total) else float(cycles.sum())
    title = "%s: cycles and MAC utilization per layer\n%s cycles total" % (net, fmt_si(total))
    hz = clock_hz(stats)
    if hz:
        sec = total / hz
        t = ("%.3g ms" % (1e3 * sec)) if sec >= 1e-3 else ("%.3g µs" % (1e6 * sec))
        title += " = %s at %.0f MHz" % (t, hz / 1e6)
        ips = stats.get("inferences_per_second")
        if is_num(ips):
            title += ", %s inferences/s" % fmt_si(ips)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# 2. Eyexam waterfall


def eyexam_rows(stats):
    rows = []
    steps = None
    for i, l in enumerate(stats["layers"]):
        b = l.get("eyexam")
        if b is None:
            continue
        if not (isinstance(b, list) and len(b) == 7 and all(is_num(v) and v >= 0 for v in b)):
            note("eyexam_waterfall: layer %s 'eyexam' is not 7 non-negative numbers; left out"
                 % layer_label(l, i))
            continue
        macs = l.get("macs")
        if not is_num(macs):
            note("eyexam_waterfall: layer %s has no 'macs'; left out" % layer_label(l, i))
            continue
        if any(b[k] > b[k - 1] * (1 + 1e-9) + 1e-12 for k in range(1, 7)):
            note("eyexam_waterfall: layer %s bounds are not non-increasing: %s"
                 % (layer_label(l, i), b))
        s = l.get("eyexam_steps")
        if steps is None and isinstance(s, list) and len(s) == 7:
            steps = [str(v) for v in s]
        rows.append((layer_label(l, i), float(macs), [float(v) for v in b]))
    if not rows:
        raise Skip("no layer has 'eyexam' bounds")
    return rows, steps or list(DEFAULT_EYEXAM_STEPS)


def network_bounds(rows):
    """Network bound_k = total MACs / sum_l MACs_l / bound_lk (0 if some layer's bound is 0)."""
    total = sum(m for _, m, _ in rows)
    out = []
    for k in range(7):
        t = 0.0
        for _, m, b in rows:
            if m <= 0:
                continue
            if b[k] <= 0:
                t = math.inf
                break
            t += m / b[k]
        out.append(0.0 if t == math.inf or total <= 0 else (total / t if t > 0 else 0.0))
    return out


def fig_eyexam(stats, net):
    rows, steps = eyexam_rows(stats)
    nb = network_bounds(rows)
    n = len(rows)
    pos = [v for v in nb if v > 0] + [v for _, _, b in rows for v in b if v > 0]
    if not pos:
        raise Skip("every Eyexam bound is 0")
    floor = min(pos) / 3.0

    # Layout in inches: waterfall on top, the two heatmaps below it side by side.
    W = 14.0
    wf_h, gap_h, row_h = 4.0, 1.6, 0.27
    hm_h = max(1.2, row_h * n)
    H = 0.8 + wf_h + gap_h + hm_h + 1.3
    fig = plt.figure(figsize=(W, H))

    def axes_in(x, y_top, w, h):  # inches from the left / top edge
        return fig.add_axes([x / W, 1 - (y_top + h) / H, w / W, h / H])

    ax = axes_in(1.0, 0.8, W - 1.4, wf_h)

    # Waterfall: bound 1, drops for steps 2..7, then the measured result.
    lv = [max(v, floor) for v in nb]
    ax.bar(0, lv[0] - floor, bottom=floor, color="#4C72B0", width=0.6, zorder=2)
    for k in range(1, 7):
        hi, lo = lv[k - 1], lv[k]
        if hi > lo * (1 + 1e-9):
            ax.bar(k, hi - lo, bottom=lo, color="#C44E52", width=0.6, zorder=2)
            factor = (nb[k - 1] / nb[k]) if nb[k] > 0 else math.inf
            txt = "÷" + fmt_si(factor) if factor != math.inf else "→0"
        else:
            ax.plot([k - 0.3, k + 0.3], [hi, hi], color="#C44E52", lw=2, zorder=2)
            txt = "no loss"
        inside = hi / lo > 2.5
        ax.annotate(txt, (k, math.sqrt(hi * lo) if inside else hi), ha="center",
                    va="center" if inside else "bottom", fontsize=8, fontweight="bold",
                    color="white" if inside else "#C44E52",
                    xytext=(0, 0 if inside else 2), textcoords="offset points")
    ax.bar(7, lv[6] - floor, bottom=floor, color="#55A868", width=0.6, zorder=2)
    for k in range(8):
        j = min(k, 6)
        drop = 1 <= k <= 6
        ax.annotate(fmt_si(nb[j]), (k, lv[j]), xytext=(0, -3 if drop else 3),
                    textcoords="offset points", ha="center", va="top" if drop else "bottom",
                    fontsize=8)
    for k in range(7):  # connectors between consecutive levels
        ax.plot([k + 0.3, k + 0.7], [lv[k], lv[k]], color="0.4", lw=0.8, ls=":", zorder=1)
    arch, _ = arch_info(stats)
    try:
        cr, cc, pr, pc = arch_dims(stats)
        simd = arch["simd"] if isinstance(arch.get("simd"), int) and arch["simd"] > 0 else 1
        peak = cr * cc * pr * pc * simd
        ax.axhline(peak, color="0.5", ls="--", lw=0.8, zorder=1)
        ax.annotate("peak %d MACs/cycle (PEs x SIMD)" % peak, (7.45, peak), ha="right",
                    va="bottom", fontsize=7, color="0.4")
    except Skip:
        pass
    ax.set_yscale("log")
    ax.set_ylim(floor, max(lv) * 4)
    ax.set_xticks(range(8))
    ax.set_xticklabels(["1. %s\n(bound)" % steps[0]]
                       + ["%d. %s" % (k + 1, steps[k].replace(" ", "\n", 1)) for k in range(1, 7)]
                       + ["result\n(measured)"], fontsize=8)
    ax.set_xlim(-0.5, 7.5)
    ax.set_ylabel("network MACs/cycle (log scale)")
    ax.grid(axis="y", which="major", alpha=0.3, zorder=0)
    ax.set_title("%s: Eyexam waterfall over %d layers; network bound = total MACs / "
                 "Σ (layer MACs / layer bound)\nblue = bound 1, red = drop at each step "
                 "(÷ factor lost), green = measured" % (net, n), fontsize=10)

    # Heatmaps: left bound_k / bound_1 (number: bound_k), right the factor lost at each step.
    b = np.array([r[2] for r in rows])
    names = [r[0] for r in rows]
    y0 = 0.8 + wf_h + gap_h
    left_w = 5.6
    hx = axes_in(1.0 + max(len(s) for s in names) * 0.02, y0, left_w, hm_h)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(b[:, :1] > 0, b / b[:, :1], np.nan)
    ok = np.isfinite(ratio) & (ratio > 0)
    vmin = max(min(float(ratio[ok].min()) if ok.any() else 0.1, 0.1), 1e-12)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    norm = mcolors.LogNorm(vmin=vmin, vmax=1.0)
    im = hx.imshow(np.where(ok, ratio, np.nan), aspect="auto", cmap=cmap, norm=norm,
                   interpolation="nearest")
    hx.set_xticks(range(7))
    hx.set_xticklabels(["%d. %s" % (k + 1, s) for k, s in enumerate(steps)], fontsize=8,
                       rotation=30, ha="right")
    tick_layers(hx, names, axis="y")
    annotate = n <= 80
    fs = 7 if n <= 40 else 6
    if annotate:
        for r in range(n):
            for k in range(7):
                dark = ok[r, k] and norm(ratio[r, k]) < 0.55
                hx.text(k, r, fmt_si(b[r, k]), ha="center", va="center", fontsize=fs,
                        color="white" if dark else "black")
    hx.set_title("per layer: colour = bound_k / bound_1 (log)\nnumber = bound_k in MACs/cycle",
                 fontsize=9)
    cb = fig.colorbar(im, cax=axes_in(hx.get_position().x1 * W + 0.1, y0, 0.18, hm_h))
    cb.set_label("bound_k / bound_1", fontsize=8)
    cb.ax.tick_params(labelsize=7)

    # Right: factor lost at each step k = 2..7, bound_{k-1} / bound_k.
    rx0 = hx.get_position().x1 * W + 1.3
    rx = axes_in(rx0, y0, W - rx0 - 1.0, hm_h)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = np.where(b[:, 1:] > 0, b[:, :-1] / b[:, 1:], np.inf)
    loss = np.where(b[:, :-1] > 0, loss, np.nan)  # 0 -> 0: no further loss to show
    fin = np.isfinite(loss)
    lmax = max(float(loss[fin].max()) if fin.any() else 2.0, 2.0)
    lnorm = mcolors.LogNorm(vmin=1.0, vmax=lmax)
    lcmap = plt.get_cmap("Reds").copy()
    lcmap.set_bad("0.85")
    shown = np.where(fin, np.maximum(loss, 1.0), np.nan)
    shown = np.where(np.isinf(loss), lmax, shown)  # a bound dropping to 0: darkest
    lim = rx.imshow(shown, aspect="auto", cmap=lcmap, norm=lnorm, interpolation="nearest")
    rx.set_xticks(range(6))
    rx.set_xticklabels(["%d. %s" % (k + 1, steps[k]) for k in range(1, 7)], fontsize=8,
                       rotation=30, ha="right")
    rx.set_yticks(range(n))
    rx.set_yticklabels([])
    if annotate:
        for r in range(n):
            for k in range(6):
                v = loss[r, k]
                if np.isinf(v):
                    txt = "→0"
                elif not np.isfinite(v):
                    txt = "n/a"
                elif v <= 1 + 1e-9:
                    txt = "–"
                else:
                    txt = "÷" + fmt_si(v)
                dark = np.isinf(v) or (np.isfinite(v) and lnorm(max(v, 1.0)) > 0.6)
                rx.text(k, r, txt, ha="center", va="center", fontsize=fs,
                        color="white" if dark else "black")
    rx.set_title("per layer: factor lost at each step\n(bound_{k-1} / bound_k; – = no loss)",
                 fontsize=9)
    cb2 = fig.colorbar(lim, cax=axes_in(W - 0.9, y0, 0.18, hm_h))
    cb2.set_label("bound_{k-1} / bound_k", fontsize=8)
    cb2.ax.tick_params(labelsize=7)
    return fig


# ---------------------------------------------------------------------------------------------
# 3. Energy breakdown


def fig_energy(stats, net):
    rows = []
    for i, l in enumerate(stats["layers"]):
        e = l.get("energy_breakdown_pj")
        if e is None:
            continue
        if not isinstance(e, dict) or not all(is_num(v) for v in e.values()):
            note("energy_breakdown: layer %s 'energy_breakdown_pj' is not {component: pJ}; "
                 "left out" % layer_label(l, i))
            continue
        rows.append((layer_label(l, i), {str(k): float(v) for k, v in e.items()},
                     l.get("energy_pj")))
    if not rows:
        raise Skip("no layer has 'energy_breakdown_pj'")
    comps = {}
    for _, e, _ in rows:
        for k, v in e.items():
            comps[k] = comps.get(k, 0.0) + v
    order = sorted(comps, key=lambda k: -comps[k])
    n = len(rows)
    totals = np.array([sum(e.values()) for _, e, _ in rows])
    peak = totals.max() if totals.size else 0
    scale, unit = 1.0, "pJ"
    for s, u in ((1e9, "mJ"), (1e6, "µJ"), (1e3, "nJ")):
        if peak >= s:
            scale, unit = s, u
            break

    fig, ax = plt.subplots(figsize=(layers_width(n) + 1.5, 5.5))
    cmap = plt.get_cmap("tab20" if len(order) > 10 else "tab10")
    bottom = np.zeros(n)
    for j, c in enumerate(order):
        vals = np.array([e.get(c, 0.0) for _, e, _ in rows]) / scale
        ax.bar(range(n), vals, bottom=bottom, color=cmap(j % cmap.N), zorder=2,
               label="%s (%.1f%%)" % (c, 100 * comps[c] / max(sum(comps.values()), 1e-30)))
        bottom += vals
    for i, (_, e, tot) in enumerate(rows):
        if is_num(tot) and abs(tot - sum(e.values())) > 1e-3 * max(abs(tot), 1.0):
            note("energy_breakdown: layer %s components sum to %.6g pJ but energy_pj is %.6g"
                 % (rows[i][0], sum(e.values()), tot))
    tick_layers(ax, [r[0] for r in rows])
    ax.set_xlabel("layer")
    ax.set_ylabel("energy per layer (%s)" % unit)
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              title="component (share of total)", title_fontsize=8)
    total = stats.get("energy_pj")
    total = float(total) if is_num(total) else float(totals.sum())
    tscale, tunit = 1.0, "pJ"
    for s, u in ((1e9, "mJ"), (1e6, "µJ"), (1e3, "nJ")):
        if total >= s:
            tscale, tunit = s, u
            break
    title = "%s: energy per layer by component — total %.3g %s" % (net, total / tscale, tunit)
    ipj = stats.get("inferences_per_joule")
    if is_num(ipj):
        title += " (%s inferences/J)" % fmt_si(ipj)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# 4. Per-PE utilization on the physical array


def pe_busy_layers(stats, npe, figure):
    """The layers with usable per-PE busy counts: [(label, busy array, cycles)]; a layer with a
    malformed 'pe_busy' or no 'cycles' is left out with a note naming the figure."""
    rows = []
    for i, l in enumerate(stats["layers"]):
        b = l.get("pe_busy")
        if b is None:
            continue
        if not (isinstance(b, list) and len(b) == npe and all(is_num(v) for v in b)):
            note("%s: layer %s 'pe_busy' is not %d numbers (the array's PE count); "
                 "left out" % (figure, layer_label(l, i), npe))
            continue
        if not is_num(l.get("cycles")):
            note("%s: layer %s has no 'cycles'; left out" % (figure, layer_label(l, i)))
            continue
        rows.append((layer_label(l, i), np.array(b, dtype=float), float(l["cycles"])))
    return rows


def pe_utilization(rows):
    """Per-PE utilization over rows from pe_busy_layers: Σ busy cycles / Σ layer cycles."""
    cycles = sum(c for _, _, c in rows)
    busy = sum(b for _, b, _ in rows)
    return busy / cycles if cycles > 0 else busy * 0.0


PE_GAP = 0.6  # gap between clusters, in PE widths


def pe_array_size(dims):
    """Width and height of the drawn array in PE widths, clusters separated by PE_GAP."""
    cr, cc, pr, pc = dims
    return cc * pc + (cc - 1) * PE_GAP, cr * pr + (cr - 1) * PE_GAP


def draw_pe_array(ax, util, dims, norm, cmap, unit, annotate_fs=0, labels=True):
    """Draws one value per PE (cluster-major, then PE row-major) on the physical array, a PE
    unit inches wide: clusters outlined, row 0 at the top. annotate_fs > 0 writes each value in
    % at that font size; labels names the clusters and the cluster rows/columns."""
    cr, cc, pr, pc = dims
    px = unit * DPI  # outlines thinner than this would hide PEs a few pixels wide
    width, height = pe_array_size(dims)

    def squares(x, y, w, h):
        return np.stack([np.stack([x, y], -1), np.stack([x + w, y], -1),
                         np.stack([x + w, y + h], -1), np.stack([x, y + h], -1)], 1)

    # Vertex arrays in one collection each: a per-PE patch loop takes minutes on big arrays.
    crow, ccol = np.divmod(np.arange(cr * cc), cc)
    cx, cy = ccol * (pc + PE_GAP), crow * (pr + PE_GAP)
    prow, pcol = np.divmod(np.arange(pr * pc), pc)
    x = (cx[:, None] + pcol[None, :]).ravel()
    y = (cy[:, None] + prow[None, :]).ravel()
    cells = PolyCollection(squares(x, y, 1, 1), cmap=cmap, norm=norm, edgecolors="0.6",
                           linewidths=(0.4 if labels else 0.2) if px >= 6 else 0)
    cells.set_array(np.asarray(util, dtype=float))
    ax.add_collection(cells)
    ax.add_collection(PolyCollection(squares(cx, cy, pc, pr), facecolors="none", edgecolors="0.2",
                                     linewidths=(1.4 if labels else 0.8) if px * pc >= 12
                                     else 0, zorder=3))
    if annotate_fs:
        for xi, yi, v in zip(x, y, util):
            ax.text(xi + 0.5, yi + 0.5, "%.0f" % (100 * v), ha="center", va="center",
                    fontsize=annotate_fs, color="white" if norm(v) < 0.55 else "black")
    if labels and cr * cc <= 64:
        for c in range(cr * cc):
            ax.text(cx[c] - 0.08, cy[c] + pr / 2, "C%d" % c, ha="right", va="center",
                    fontsize=7, color="0.3", rotation=90)
    ax.set_xlim(-0.5 if labels else -0.1, width + 0.1)
    ax.set_ylim(height + 0.1, -0.1)  # row 0 at the top
    ax.set_aspect("equal")
    if labels:
        ax.set_xticks([ccol * (pc + PE_GAP) + pc / 2 for ccol in range(cc)])
        ax.set_xticklabels(["cluster col %d" % j for j in range(cc)], fontsize=8)
        ax.set_yticks([crow * (pr + PE_GAP) + pr / 2 for crow in range(cr)])
        ax.set_yticklabels(["row %d" % j for j in range(cr)], fontsize=8)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)


def pe_array_of(stats):
    """The array's (cluster_rows, cluster_cols, pe_rows, pe_cols) and PE count, for figures
    drawn from the layers' per-PE busy cycles (Skip when no layer has them)."""
    if not any("pe_busy" in l for l in stats["layers"]):
        raise Skip("no layer has 'pe_busy'")
    dims = arch_dims(stats)
    cr, cc, pr, pc = dims
    return dims, cr * cc * pr * pc


def fig_pe_heatmap(stats, net):
    dims, npe = pe_array_of(stats)
    cr, cc, pr, pc = dims
    rows = pe_busy_layers(stats, npe, "pe_heatmap")
    if not rows:
        raise Skip("no layer has a usable 'pe_busy'")
    used = len(rows)
    util = pe_utilization(rows)
    vmax = max(1.0, float(util.max()))
    norm = mcolors.Normalize(vmin=0.0, vmax=vmax)
    cmap = plt.get_cmap("magma")

    width, height = pe_array_size(dims)
    unit = min(0.55, 11.0 / width, 10.0 / height)
    fig_w = max(6.5, width * unit + 3.0)
    fig_h = max(4.5, height * unit + 1.8)
    fig, ax = plt.subplots(figsize=(fig_w, fig_h))
    annotate = npe <= 512 and unit >= 0.3
    draw_pe_array(ax, util, dims, norm, cmap, unit, annotate_fs=(7 if unit >= 0.4 else 6)
                  if annotate else 0)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    cb = fig.colorbar(sm, ax=ax, fraction=0.05, pad=0.03)
    cb.set_label("PE utilization (Σ busy cycles / Σ layer cycles)")
    ax.set_title("%s: per-PE utilization over %d layer%s\n%dx%d clusters of %dx%d PEs; "
                 "mean %.1f%%, min %.1f%%, max %.1f%%%s"
                 % (net, used, "" if used == 1 else "s", cr, cc, pr, pc, 100 * util.mean(),
                    100 * util.min(), 100 * util.max(), "; numbers in %" if annotate else ""),
                 fontsize=10)
    fig.tight_layout()
    return fig


def small_multiples_cols(n, panel_w, panel_h, max_w=20.0):
    """Columns for n panels of panel_w x panel_h inches: of the grids with a full or nearly
    full last row, the one closest to a 1.6:1 landscape figure no wider than max_w (tall arrays
    get many columns, wide ones few)."""
    best, best_score = 1, math.inf
    for nrows in range(1, n + 1):
        ncols = -(-n // nrows)
        if ncols > 1 and ncols * panel_w > max_w:
            continue
        score = abs(math.log(ncols * panel_w / (nrows * panel_h) / 1.6))
        if score < best_score - 1e-9:
            best, best_score = ncols, score
    return best


def fig_pe_heatmap_layers(stats, net):
    dims, npe = pe_array_of(stats)
    cr, cc, pr, pc = dims
    rows = []
    for label, busy, cycles in pe_busy_layers(stats, npe, "pe_heatmap_layers"):
        if cycles <= 0:
            note("pe_heatmap_layers: layer %s has 0 cycles; left out" % label)
            continue
        util = pe_utilization([(label, busy, cycles)])
        if util.max() > 1 + 1e-9:
            note("pe_heatmap_layers: layer %s has a PE busy for %.3g of the layer's cycles "
                 "(more than all of them)" % (label, util.max()))
        rows.append((label, util))
    if not rows:
        raise Skip("no layer has a usable 'pe_busy' and 'cycles'")
    n = len(rows)
    vmax = max(1.0, max(float(u.max()) for _, u in rows))
    norm = mcolors.Normalize(vmin=0.0, vmax=vmax)
    cmap = plt.get_cmap("magma")

    width, height = pe_array_size(dims)
    unit = min(1.6 / width, 3.4 / height)  # inches per PE
    title_h, pad_w = 0.5, 0.25
    panel_w, panel_h = width * unit, height * unit
    ncols = small_multiples_cols(n, panel_w + pad_w, panel_h + title_h)
    nrows = -(-n // ncols)
    top_h, cb_w = 0.6, 1.1
    W = ncols * (panel_w + pad_w) + cb_w + 0.2
    H = top_h + nrows * (panel_h + title_h) + 0.1
    fig = plt.figure(figsize=(W, H))
    for k, (label, util) in enumerate(rows):
        r, q = divmod(k, ncols)
        x = 0.1 + q * (panel_w + pad_w)
        y = top_h + r * (panel_h + title_h) + title_h
        ax = fig.add_axes([x / W, 1 - (y + panel_h) / H, panel_w / W, panel_h / H])
        draw_pe_array(ax, util, dims, norm, cmap, unit, labels=False)
        ax.set_title("%s\nmean %.0f%%" % (label, 100 * util.mean()), fontsize=7, pad=3)
    cb_h = min(nrows * (panel_h + title_h), 6.0)
    cax = fig.add_axes([(W - cb_w + 0.15) / W, 1 - (top_h + cb_h) / H, 0.16 / W, cb_h / H])
    cb = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax)
    cb.set_label("PE utilization (busy cycles / layer cycles)", fontsize=8)
    cb.ax.tick_params(labelsize=7)
    fig.suptitle("%s: per-PE utilization per layer, %dx%d clusters of %dx%d PEs "
                 "(row 0 at the top)" % (net, cr, cc, pr, pc), fontsize=10,
                 y=1 - 0.3 / H)
    return fig


# ---------------------------------------------------------------------------------------------
# 5. NoC link load


def layer_link_bits(l, i, n_clusters, figure):
    """A layer's well-formed link_bits: {type: array [clusters x dirs] of bits}; a malformed
    entry is left out with a note naming the figure."""
    lb = l.get("link_bits")
    if lb is None:
        return {}
    if not isinstance(lb, dict):
        note("%s: layer %s 'link_bits' is not an object; left out" % (figure, layer_label(l, i)))
        return {}
    out = {}
    for t, dirs in LINK_DIRS.items():
        v = lb.get(t)
        if v is None:
            continue
        ok = isinstance(v, list) and len(v) == n_clusters and all(
            isinstance(r, list) and len(r) == len(dirs) and all(is_num(x) for x in r)
            for r in v)
        if not ok:
            note("%s: layer %s link_bits.%s is not %d lists of %d numbers (%s); left out"
                 % (figure, layer_label(l, i), t, n_clusters, len(dirs), "/".join(dirs)))
            continue
        out[t] = np.array(v, dtype=float)
    return out


def link_loads(stats, n_clusters, figure="noc_link_load"):
    """Returns ({type: array [clusters x dirs] of bits/cycle}, {type: layers used})."""
    loads, used = {}, {}
    cyc = {}
    for i, l in enumerate(stats["layers"]):
        bits = layer_link_bits(l, i, n_clusters, figure)
        if not bits:
            continue
        if not is_num(l.get("cycles")):
            note("%s: layer %s has no 'cycles'; left out" % (figure, layer_label(l, i)))
            continue
        for t, v in bits.items():
            loads[t] = loads.get(t, 0) + v
            cyc[t] = cyc.get(t, 0.0) + float(l["cycles"])
            used[t] = used.get(t, 0) + 1
    for t in loads:
        loads[t] = loads[t] / cyc[t] if cyc[t] > 0 else loads[t] * 0
    return loads, used


def link_capacity(stats, t):
    """Bits per cycle one cluster can send in one direction for data type t: its t routers in
    parallel, each with a link of t_link_bits. None when the arch does not say."""
    arch, _ = arch_info(stats)
    routers, width = arch.get(t + "_routers"), arch.get(t + "_link_bits")
    if is_num(routers) and routers > 0 and is_num(width) and width > 0:
        return float(routers * width)
    return None


def mesh_links(cr, cc, t):
    """[clusters x dirs] mask of the outgoing t links that reach another cluster."""
    mask = np.zeros((cr * cc, len(LINK_DIRS[t])), dtype=bool)
    for c in range(cr * cc):
        r, q = divmod(c, cc)
        for d_i, d in enumerate(LINK_DIRS[t]):
            dx, dy = DIR_STEP[d]
            mask[c, d_i] = 0 <= q + dx < cc and 0 <= r + dy < cr
    return mask


def link_fractions(bits, cycles, capacity):
    """A layer's link loads as fractions of capacity: bits / (cycles x capacity)."""
    return bits / (cycles * capacity)


def link_fraction_summary(frac, mask):
    """(max, mean) of a layer's link fractions. The max is over every link; the mean is over
    the links in mask (those between two clusters) and any other link that carried bits, so
    links off the array edge do not dilute it."""
    counted = mask | (frac > 0)
    return float(frac.max()), (float(frac[counted].mean()) if counted.any() else 0.0)


def fig_noc(stats, net, fraction=False):
    """The mesh link load in bits/cycle, or with fraction as a fraction of link capacity."""
    figure = "noc_link_load_fraction" if fraction else "noc_link_load"
    if not any("link_bits" in l for l in stats["layers"]):
        raise Skip("no layer has 'link_bits'")
    cr, cc, _, _ = arch_dims(stats)
    n = cr * cc
    loads, used = link_loads(stats, n, figure)
    if not loads:
        raise Skip("no layer has usable 'link_bits'")
    for t in LINK_DIRS:
        if t not in loads:
            note("%s: no layer has link_bits.%s; panel left out" % (figure, t))
    if fraction:
        for t in list(loads):
            cap = link_capacity(stats, t)
            if cap is None:
                note("%s: stats.json 'arch' lacks %s_routers or %s_link_bits; panel left out"
                     % (figure, t, t))
                del loads[t]
            else:
                loads[t] = loads[t] / cap
        if not loads:
            raise Skip("stats.json 'arch' has no link capacity (<type>_routers, "
                       "<type>_link_bits)")
    types = [t for t in LINK_DIRS if t in loads]
    unit = "fraction of capacity" if fraction else "bits/cycle"

    sp = 1.0  # distance between cluster centres
    box = 0.34  # half size of a cluster box
    off = 0.09  # sideways offset of an arrow from the centre line
    panel_w = max(2.6, 0.95 * cc + 1.2)
    panel_h = max(4.0, 0.95 * cr + 1.4)
    scale = min(1.0, 13.0 / panel_h)
    fig, axes = plt.subplots(1, len(types), figsize=(len(types) * (panel_w * scale + 1.0),
                                                      panel_h * scale + 0.8), squeeze=False)
    label_values = n <= 32
    for ax, t in zip(axes[0], types):
        L = loads[t]
        vmax = float(L.max())
        # Fractions share one scale, so a colour means the same load in every panel.
        top = max(vmax, 1.0) if fraction else (vmax if vmax > 0 else 1.0)
        norm = mcolors.Normalize(0.0, top)
        cmap = plt.get_cmap("plasma")
        for c in range(n):
            r, q = divmod(c, cc)
            ax.add_patch(Rectangle((q * sp - box, r * sp - box), 2 * box, 2 * box, fc="0.93",
                                   ec="0.35", lw=1.0, zorder=1))
            ax.text(q * sp, r * sp, "C%d" % c, ha="center", va="center", fontsize=7,
                    color="0.35", zorder=2)
        for c in range(n):
            r, q = divmod(c, cc)
            for d_i, d in enumerate(LINK_DIRS[t]):
                v = L[c, d_i]
                dx, dy = DIR_STEP[d]
                nq, nr = q + dx, r + dy
                inside = 0 <= nq < cc and 0 <= nr < cr
                # Sideways offset to the right of the direction of travel (y grows downward).
                ox, oy = -dy * off, dx * off
                sx, sy = q * sp + dx * box + ox, r * sp + dy * box + oy
                if inside:
                    ex, ey = nq * sp - dx * box + ox, nr * sp - dy * box + oy
                else:
                    ex, ey = sx + dx * 0.35, sy + dy * 0.35
                if v <= 0:
                    if inside:
                        ax.plot([sx, ex], [sy, ey], color="0.6", lw=0.8, ls=":", zorder=1)
                    continue
                lw = 0.8 + 4.2 * v / top
                ax.add_patch(FancyArrowPatch((sx, sy), (ex, ey), arrowstyle="-|>",
                                             mutation_scale=6 + 2 * lw, lw=lw,
                                             color=cmap(norm(v)), zorder=3,
                                             shrinkA=0, shrinkB=0))
                if label_values:
                    mx, my = (sx + ex) / 2, (sy + ey) / 2
                    # Put the number outside the arrow pair, on the arrow's own side.
                    tx, ty = mx + ox * 1.6, my + oy * 1.6
                    # Fractions as 0.xx keep the numbers short enough for the gaps.
                    txt = ("%.2f" % v if v >= 0.01 else "<0.01") if fraction else "%.3g" % v
                    ax.text(tx, ty, txt, fontsize=6, color="0.1",
                            ha="center" if dx else ("left" if ox > 0 else "right"),
                            va="center" if dy else ("top" if oy > 0 else "bottom"),
                            rotation=0, zorder=4)
        ax.set_xlim(-0.75 * sp, (cc - 1) * sp + 0.75 * sp)
        ax.set_ylim((cr - 1) * sp + 0.75 * sp, -0.75 * sp)
        ax.set_aspect("equal")
        ax.set_xticks([q * sp for q in range(cc)])
        ax.set_xticklabels(["col %d" % q for q in range(cc)], fontsize=7)
        ax.set_yticks([r * sp for r in range(cr)])
        ax.set_yticklabels(["row %d" % r for r in range(cr)], fontsize=7)
        ax.tick_params(length=0)
        for s in ax.spines.values():
            s.set_visible(False)
        if fraction:
            peak = "max %.3g of %g bits/cycle" % (vmax, link_capacity(stats, t))
        else:
            peak = "max %.3g bits/cycle" % vmax
        ax.set_title("%s (%s)\n%s, %d layer%s" % (t, "/".join(LINK_DIRS[t]), peak, used[t],
                                                    "" if used[t] == 1 else "s"), fontsize=9)
        sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
        cb = fig.colorbar(sm, ax=ax, fraction=0.08, pad=0.1, shrink=0.6)
        cb.set_label(unit, fontsize=8)
        cb.ax.tick_params(labelsize=7)
    if fraction:
        what = "Σ bits / (Σ layer cycles x routers x link bits)"
    else:
        what = "Σ bits / Σ layer cycles"
    fig.suptitle("%s: NoC mesh link load per router cluster (outgoing links; %s; N = up)"
                 % (net, what), fontsize=10)
    fig.tight_layout()
    return fig


def fig_noc_fraction(stats, net):
    return fig_noc(stats, net, fraction=True)


# ---------------------------------------------------------------------------------------------
# 6. Rooflines


def counter(layer, path):
    """The number at layer["counters"][path[0]][path[1]]..., or None if any part is missing."""
    v = layer.get("counters")
    for k in path:
        if not isinstance(v, dict):
            return None
        v = v.get(k)
    return float(v) if is_num(v) else None


def counter_sum(layer, paths):
    """The sum of the counters at paths, or None if any of them is missing."""
    vals = [counter(layer, p) for p in paths]
    return None if None in vals else sum(vals)


# The bits each roofline's intensity divides by.
OFFCHIP_BITS = [("offchip", t + "_bits") for t in ("iact", "weight", "oact")]
GLB_PORT_BITS = [("glb", t, "port_bits") for t in ("iact", "psum")]


def peak_macs_per_cycle(stats):
    """The compute roof, PEs x SIMD MACs per cycle; raises Skip if the arch lacks them."""
    cr, cc, pr, pc = arch_dims(stats)
    simd = arch_info(stats)[0].get("simd")
    if not (isinstance(simd, int) and simd > 0):
        raise Skip("stats.json 'arch' lacks simd")
    return cr * cc * pr * pc * simd


def offchip_bytes_per_cycle(stats):
    """The off-chip bandwidth roof in bytes/cycle (0: unlimited); raises Skip if absent."""
    v = arch_info(stats)[0].get("offchip_bytes_per_cycle")
    if not (is_num(v) and v >= 0):
        raise Skip("stats.json 'arch' lacks offchip_bytes_per_cycle")
    return float(v)


def glb_bytes_per_cycle(stats):
    """The GLB roof in bytes/cycle: every cluster's iact and psum bank ports at once."""
    arch, _ = arch_info(stats)
    cr, cc, _, _ = arch_dims(stats)
    keys = ("glb_iact_banks", "glb_iact_port_bits", "glb_psum_banks", "glb_psum_port_bits")
    missing = [k for k in keys if not (is_num(arch.get(k)) and arch[k] >= 0)]
    if missing:
        raise Skip("stats.json 'arch' lacks " + ", ".join(missing))
    return cr * cc * (arch["glb_iact_banks"] * arch["glb_iact_port_bits"]
                      + arch["glb_psum_banks"] * arch["glb_psum_port_bits"]) / 8.0


def attainable(intensity, peak, bytes_per_cycle):
    """The roofline in MACs/cycle at intensity MACs/byte: min(peak, bytes_per_cycle x
    intensity). A peak of math.inf is no compute roof, a bandwidth of 0 no bandwidth roof."""
    x = np.asarray(intensity, dtype=float)
    if bytes_per_cycle <= 0:
        return np.full_like(x, peak)
    return np.minimum(peak, bytes_per_cycle * x)


def roofline_point(nonzero_macs, cycles, nbytes):
    """(nonzero MACs per byte, nonzero MACs per cycle), or None if cycles or bytes are 0."""
    if cycles <= 0 or nbytes <= 0:
        return None
    return nonzero_macs / nbytes, nonzero_macs / cycles


def roofline_layers(stats, paths, level):
    """[(layer number from 1, label, type, intensity, MACs/cycle)] for the layers with
    nonzero_macs, cycles and the counters at paths; the others are left out with a note."""
    rows = []
    for i, l in enumerate(stats["layers"]):
        if "counters" not in l:
            continue
        label = layer_label(l, i)
        nz, cyc, bits = l.get("nonzero_macs"), l.get("cycles"), counter_sum(l, paths)
        if not (is_num(nz) and is_num(cyc)) or bits is None:
            note("roofline: layer %s lacks nonzero_macs, cycles or counters %s; left out of "
                 "the %s panel" % (label, ", ".join(".".join(p) for p in paths), level))
            continue
        pt = roofline_point(float(nz), float(cyc), bits / 8.0)
        if pt is None or pt[0] <= 0:
            note("roofline: layer %s has 0 cycles, 0 %s bytes or 0 nonzero MACs (no point on "
                 "log axes); left out of the %s panel" % (label, level, level))
            continue
        rows.append((i + 1, label, str(l.get("type", "?")), pt[0], pt[1]))
    return rows


def label_points(ax, xs, ys, texts, fontsize=7):
    """Writes texts next to the points (data coordinates, limits already set) without overlap
    where it can: points closer than a marker share one label ("3,5,9"), and each label takes
    the first spot around its point that touches no other label or marker."""
    to_pt = 72.0 / ax.figure.dpi
    pts = ax.transData.transform(np.column_stack([xs, ys])) * to_pt  # in points
    groups = []
    for k, p in enumerate(pts):
        for g in groups:
            if np.hypot(*(p - pts[g[0]])) < 6:
                g.append(k)
                break
        else:
            groups.append([k])
    char_w, h, r = 0.62 * fontsize, fontsize + 1, 3.5  # text box estimate, marker radius

    def hits(box, own):
        x0, y0, x1, y1 = box
        n = sum(not (x1 < b[0] or b[2] < x0 or y1 < b[1] or b[3] < y0) for b in placed)
        return n + sum(x0 - r < p[0] < x1 + r and y0 - r < p[1] < y1 + r
                       for k, p in enumerate(pts) if k not in own)

    placed = []
    for g in groups:
        text = ",".join(texts[k] for k in g)
        w = char_w * len(text)
        x, y = pts[g[0]]
        best = None
        # Right, left, above, below, then the diagonals; a second ring further out.
        for dist in (4, 11):
            for dx, dy in ((dist, -h / 2), (-dist - w, -h / 2), (-w / 2, dist), (-w / 2,
                           -dist - h), (dist, dist - 2), (dist, 2 - dist - h),
                           (-dist - w, dist - 2), (-dist - w, 2 - dist - h)):
                box = (x + dx, y + dy, x + dx + w, y + dy + h)
                n = hits(box, g)
                if best is None or n < best[0]:
                    best = (n, dx, dy, box, dist)
                if n == 0:
                    break
            if best[0] == 0:
                break
        placed.append(best[3])
        # A label in the outer ring gets a leader line to its point.
        arrow = dict(arrowstyle="-", color="0.6", lw=0.5, shrinkA=0, shrinkB=3)
        ax.annotate(text, (xs[g[0]], ys[g[0]]), xytext=(best[1], best[2]),
                    textcoords="offset points", ha="left", va="bottom", fontsize=fontsize,
                    color="0.15", zorder=4, arrowprops=arrow if best[4] > 4 else None)


def fig_roofline(stats, net):
    if not any("counters" in l for l in stats["layers"]):
        raise Skip("no layer has 'counters'")
    try:
        peak, peak_why = peak_macs_per_cycle(stats), None
    except Skip as e:
        peak, peak_why = math.inf, str(e)
    panels = []
    for level, paths, bw_fn, what in (
            ("off-chip", OFFCHIP_BITS, offchip_bytes_per_cycle,
             "off-chip bytes = (iact + weight + oact bits) / 8"),
            ("GLB", GLB_PORT_BITS, glb_bytes_per_cycle,
             "GLB bytes = (iact + psum bank port bits) / 8")):
        rows = roofline_layers(stats, paths, level)
        if not rows:
            note("roofline: no layer has the counters of the %s panel; panel left out" % level)
            continue
        try:
            bw, bw_why = bw_fn(stats), None
        except Skip as e:
            bw, bw_why = 0.0, str(e)
        panels.append((level, rows, bw, bw_why, what))
    if not panels:
        raise Skip("no layer has a point on either panel (nonzero_macs, cycles and off-chip "
                   "or GLB bytes, all above 0)")

    layers = {}
    for _, rows, _, _, _ in panels:
        for num, label, typ, _, _ in rows:
            layers[num] = (label, typ)
    type_order = list(dict.fromkeys(layers[k][1] for k in sorted(layers)))
    tcolor = {t: plt.get_cmap("tab10")(i % 10) for i, t in enumerate(type_order)}
    key_cols = -(-len(layers) // 24)
    fig, axes = plt.subplots(1, len(panels), squeeze=False,
                             figsize=(6.0 * len(panels) + 1.2 + 1.3 * key_cols, 6.0))
    for ax, (level, rows, bw, bw_why, what) in zip(axes[0], panels):
        xs = np.array([r[3] for r in rows])
        ys = np.array([r[4] for r in rows])
        x_lo, x_hi = xs.min() / 3, xs.max() * 3
        if bw > 0 and peak < math.inf:
            ridge = peak / bw
            x_lo, x_hi = min(x_lo, ridge / 3), max(x_hi, ridge * 3)
        y_hi = max(ys.max(), peak if peak < math.inf else 0) * 3
        y_lo = ys.min() / 3  # > 0: roofline_layers leaves out layers without nonzero MACs
        # The corner of the roof is at the ridge point, so the line needs only that vertex.
        line_x = np.array(sorted({x_lo, x_hi} | ({peak / bw} if bw > 0 and x_lo < peak / bw
                                                  < x_hi else set())))
        if peak < math.inf or bw > 0:
            ax.plot(line_x, attainable(line_x, peak, bw), color="0.25", lw=1.6, zorder=2)
        if peak < math.inf:
            ax.annotate("compute roof %s MACs/cycle (PEs x SIMD)" % fmt_si(peak),
                        (x_hi, peak), xytext=(-4, 3), textcoords="offset points", ha="right",
                        va="bottom", fontsize=8, color="0.25")
        if bw > 0:
            x0 = max(x_lo, y_lo / bw) * 1.3  # where the slope is inside the axes
            ax.annotate("bandwidth roof %s bytes/cycle" % fmt_si(bw), (x0, bw * x0),
                        xytext=(4, 0), textcoords="offset points", ha="left", va="top",
                        fontsize=8, color="0.25")
        why = []
        if bw_why:
            why.append("no bandwidth roof: " + bw_why)
        elif bw == 0:
            why.append("off-chip bandwidth unlimited (offchip_bytes_per_cycle 0): no slope"
                       if level == "off-chip" else "%s bandwidth 0 in stats.json: no slope"
                       % level)
        if peak_why:
            why.append("no compute roof: " + peak_why)
        if why:
            ax.text(0.98, 0.03, "\n".join(why), transform=ax.transAxes, ha="right",
                    va="bottom", fontsize=8, color="#C44E52",
                    bbox=dict(fc="white", ec="#C44E52", alpha=0.85))
        ax.scatter(xs, ys, c=[tcolor[r[2]] for r in rows], s=28, edgecolors="0.2",
                   linewidths=0.5, zorder=3)
        for r, x, y in zip(rows, xs, ys):
            if y > attainable(x, peak, bw) * (1 + 1e-9):
                note("roofline: layer %s is above the %s roof (%.4g MACs/cycle at %.4g "
                     "MACs/byte)" % (r[1], level, y, x))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(y_lo, y_hi)
        ax.grid(True, which="major", alpha=0.3)
        ax.set_xlabel("operational intensity (nonzero MACs per %s byte, log)" % level)
        ax.set_ylabel("achieved nonzero MACs per cycle (log)")
        ax.set_title("%s roofline, %d layer%s\n%s" % (level, len(rows),
                                                      "" if len(rows) == 1 else "s", what),
                     fontsize=10)
    nums = sorted(layers)
    handles = [Line2D([], [], ls="", marker="o", ms=5, mfc=tcolor[layers[k][1]], mec="0.2",
                      mew=0.5) for k in nums]
    names = ["%d %s" % (k, layers[k][0]) for k in nums]
    axes[0][-1].legend(handles, names, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                       fontsize=7, frameon=False, ncol=key_cols, title="layer",
                       title_fontsize=8, handletextpad=0.2, columnspacing=0.8)
    fig.legend([Line2D([], [], ls="", marker="o", ms=5, mfc=tcolor[t], mec="0.2", mew=0.5)
                for t in type_order], ["layer type: " + t for t in type_order],
               loc="upper center", bbox_to_anchor=(0.5, 0.95), ncol=len(type_order),
               fontsize=8, frameon=False)
    fig.suptitle("%s: rooflines per layer (nonzero = effective MACs; markers numbered by "
                 "layer, nearby layers share a label)" % net, fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    # Labels go where they do not collide, which needs the final axes positions.
    for ax, (_, rows, _, _, _) in zip(axes[0], panels):
        label_points(ax, [r[3] for r in rows], [r[4] for r in rows], [str(r[0]) for r in rows])
    return fig


# ---------------------------------------------------------------------------------------------
# 7. Memory accesses per level and data type


# (level, unit, [(data type, counters summed)]): DRAM, GLB and NoC in bits, SPads in accesses.
MEMORY_LEVELS = [
    ("DRAM", "bits", [(t, [("offchip", t + "_bits")]) for t in ("iact", "weight", "oact")]),
    ("GLB", "bits through the bank ports",
     [(t, [("glb", t, "port_bits")]) for t in ("iact", "psum")]),
    ("NoC", "bits (local + mesh; psum also up the PE columns)",
     [(t, [("noc", t, "local_bits"), ("noc", t, "mesh_bits")]) for t in ("iact", "weight")]
     + [("psum", [("noc", "psum", k) for k in ("local_bits", "mesh_bits", "column_bits")])]),
    ("SPad", "accesses (reads + writes)",
     [(sp, [("spad", sp, "reads"), ("spad", sp, "writes")])
      for sp in ("iact_addr", "iact_data", "weight_addr", "weight_data", "psum")]),
]
# tab20 colour index per data type, the same in every figure; SPad address/data are the
# light/dark shade of their type.
KIND_COLOR = {"iact": 0, "iact_data": 0, "iact_addr": 1, "weight": 2, "weight_data": 2,
              "weight_addr": 3, "psum": 4, "oact": 6}


def kind_color(kind):
    return plt.get_cmap("tab20")(KIND_COLOR[kind])


def memory_accesses(layer):
    """{level: {data type: bits or accesses, None if a counter is missing}} of one layer."""
    return {level: {kind: counter_sum(layer, paths) for kind, paths in kinds}
            for level, _, kinds in MEMORY_LEVELS}


def fig_memory_accesses(stats, net):
    rows = [(layer_label(l, i), memory_accesses(l)) for i, l in enumerate(stats["layers"])
            if "counters" in l]
    if not rows:
        raise Skip("no layer has 'counters'")
    labels = [r[0] for r in rows]
    n = len(rows)
    panels = []
    for level, unit, kinds in MEMORY_LEVELS:
        incomplete = [lab for lab, acc in rows if None in acc[level].values()]
        if len(incomplete) == n:
            note("memory_accesses: no layer has all the %s counters; panel left out" % level)
            continue
        if incomplete:
            note("memory_accesses: layer%s %s lack%s %s counters; no %s bar" % (
                "s" if len(incomplete) > 1 else "", ", ".join(incomplete),
                "" if len(incomplete) > 1 else "s", level, level))
        vals = {k: np.array([np.nan if None in acc[level].values() else acc[level][k]
                             for _, acc in rows]) for k, _ in kinds}
        panels.append((level, unit, [k for k, _ in kinds], vals))
    if not panels:
        raise Skip("no layer has the DRAM, GLB, NoC or SPad counters")

    fig, axes = plt.subplots(len(panels), 1, sharex=True, squeeze=False,
                             figsize=(layers_width(n) + 2.0, 2.5 * len(panels) + 1.6))
    x = np.arange(n)
    for ax, (level, unit, kinds, vals) in zip(axes[:, 0], panels):
        bottom = np.zeros(n)
        total = sum(np.nansum(v) for v in vals.values())
        for k in kinds:
            v = np.nan_to_num(vals[k])
            share = 100 * np.nansum(vals[k]) / total if total > 0 else 0.0
            ax.bar(x, v, bottom=bottom, color=kind_color(k), zorder=2, width=0.75,
                   label="%s (%.1f%%)" % (k, share))
            bottom += v
        # Explicit: a zero-height segment on top would pin autoscaling to the stack's top.
        ax.set_ylim(0, bottom.max() * 1.06 if bottom.max() > 0 else 1.0)
        ax.set_ylabel(unit.split(" ")[0] + " per layer")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_si(v)))
        ax.grid(axis="y", alpha=0.3, zorder=0)
        ax.set_title("%s: %s per layer by data type; network total %s" % (level, unit,
                                                                          fmt_si(total)),
                     fontsize=9, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  title="share of total", title_fontsize=8)
    tick_layers(axes[-1, 0], labels)
    axes[-1, 0].set_xlabel("layer")
    fig.suptitle("%s: memory traffic per layer and level (linear y; SPads count accesses, the "
                 "others bits)" % net, fontsize=11)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# 8. Mesh link load per layer as a fraction of capacity


def fig_link_load_fraction(stats, net):
    if not any("link_bits" in l for l in stats["layers"]):
        raise Skip("no layer has 'link_bits'")
    cr, cc, _, _ = arch_dims(stats)
    caps = {}
    for t in LINK_DIRS:
        cap = link_capacity(stats, t)
        if cap is None:
            note("link_load_fraction: stats.json 'arch' lacks %s_routers or %s_link_bits; "
                 "%s left out" % (t, t, t))
        else:
            caps[t] = cap
    if not caps:
        raise Skip("stats.json 'arch' has no link capacity (<type>_routers, <type>_link_bits)")
    masks = {t: mesh_links(cr, cc, t) for t in caps}
    rows = []
    for i, l in enumerate(stats["layers"]):
        bits = layer_link_bits(l, i, cr * cc, "link_load_fraction")
        bits = {t: v for t, v in bits.items() if t in caps}
        if not bits:
            continue
        cyc = l.get("cycles")
        if not (is_num(cyc) and cyc > 0):
            note("link_load_fraction: layer %s has no (or 0) 'cycles'; left out"
                 % layer_label(l, i))
            continue
        summary = {}
        for t, v in bits.items():
            frac = link_fractions(v, float(cyc), caps[t])
            for c, d in zip(*np.nonzero(frac > 1 + 1e-9)):
                note("link_load_fraction: layer %s: %s link C%d %s at %.3g of its capacity "
                     "(above 1)" % (layer_label(l, i), t, c, LINK_DIRS[t][d], frac[c, d]))
            summary[t] = link_fraction_summary(frac, masks[t])
        rows.append((layer_label(l, i), summary))
    if not rows:
        raise Skip("no layer has usable 'link_bits' and 'cycles'")
    types = [t for t in LINK_DIRS if any(t in s for _, s in rows)]
    n = len(rows)

    fig, ax = plt.subplots(figsize=(layers_width(n) + 2.5, 5.5))
    w = 0.8 / len(types)
    top = 1.0
    for j, t in enumerate(types):
        xs = np.arange(n) - 0.4 + w * (j + 0.5)
        mx = np.array([s[t][0] if t in s else np.nan for _, s in rows])
        mean = np.array([s[t][1] if t in s else np.nan for _, s in rows])
        top = max(top, float(np.nanmax(mx)) if np.isfinite(mx).any() else 0.0)
        ax.bar(xs, np.nan_to_num(mx), width=w, color=kind_color(t), alpha=0.35, zorder=2,
               label="%s max (capacity %g bits/cycle)" % (t, caps[t]))
        ax.bar(xs, np.nan_to_num(mean), width=w * 0.45, color=kind_color(t), zorder=3,
               label="%s mean" % t)
    ax.axhline(1.0, color="#C44E52", ls="--", lw=1.2, zorder=4)
    ax.annotate("capacity (1.0)", (1.0, 1.0), xycoords=("axes fraction", "data"),
                xytext=(-3, 3), textcoords="offset points", ha="right", va="bottom",
                fontsize=8, color="#C44E52")
    ax.set_ylim(0, top * 1.1)
    tick_layers(ax, [r[0] for r in rows])
    ax.set_xlabel("layer")
    ax.set_ylabel("link load (fraction of capacity)")
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              title="light bar: max over links\ndark bar: mean over links", title_fontsize=8)
    ax.set_title("%s: NoC mesh link load per layer as a fraction of capacity\n"
                 "bits / (layer cycles x routers x link bits) per outgoing link; max over all "
                 "links, mean over the links between two clusters" % net, fontsize=10)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------

FIGURES = [
    ("cycles_utilization.png", fig_cycles_utilization),
    ("eyexam_waterfall.png", fig_eyexam),
    ("energy_breakdown.png", fig_energy),
    ("pe_heatmap.png", fig_pe_heatmap),
    ("pe_heatmap_layers.png", fig_pe_heatmap_layers),
    ("noc_link_load.png", fig_noc),
    ("noc_link_load_fraction.png", fig_noc_fraction),
    ("link_load_fraction.png", fig_link_load_fraction),
    ("roofline.png", fig_roofline),
    ("memory_accesses.png", fig_memory_accesses),
]


def load_stats(run_dir):
    path = os.path.join(run_dir, "stats.json")
    if not os.path.isfile(path):
        sys.exit("plot.py: %s not found (expected the --out directory of `eyeriss-sim run`)"
                 % path)
    try:
        with open(path, encoding="utf-8") as f:
            stats = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        sys.exit("plot.py: %s is not valid JSON: %s" % (path, e))
    if not isinstance(stats, dict) or not isinstance(stats.get("layers"), list):
        sys.exit("plot.py: %s has no 'layers' list; is it an eyeriss-sim run's stats.json?"
                 % path)
    stats["layers"] = [l for l in stats["layers"] if isinstance(l, dict)]
    return stats


def pareto_front(pts):
    """The points no other point beats in both coordinates (higher is better in both)."""
    front, best_y = [], -math.inf
    for p in sorted(pts, key=lambda p: (-p[0], -p[1])):
        if p[1] > best_y:
            front.append(p)
            best_y = p[1]
    return sorted(front)


def plot_sweep(sweep_dir):
    import csv

    path = os.path.join(sweep_dir, "network.csv")
    if not os.path.isfile(path):
        sys.exit("plot.py: %s not found (expected the --out folder of scripts/sweep.py)" % path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    fixed = {"point", "workload", "arch", "layers", "cycles", "macs", "nonzero_macs",
             "inferences_per_second", "energy_pj", "inferences_per_joule", "bit_exact", "status",
             "message"}
    keys = [k for k in (rows[0].keys() if rows else []) if k not in fixed]
    by_wl = {}
    for r in rows:
        if r["status"] != "ok":  # a mismatched run's figures mean nothing
            note("left out %s/%s: %s" % (r["point"], r["workload"], r["status"]))
            continue
        try:
            x, y = float(r["inferences_per_joule"]), float(r["inferences_per_second"])
        except ValueError:
            note("left out %s/%s: %s" % (r["point"], r["workload"],
                                         r["status"] if r["status"] != "ok" else
                                         "no inferences/s or inferences/J (layer subset or no "
                                         "energy table)"))
            continue
        label = ", ".join("%s=%s" % (k, r[k]) for k in keys if r[k] != "") or "base"
        by_wl.setdefault(r["workload"], []).append((x, y, r["point"], label))
    if not by_wl:
        note("no point has both inferences/s and inferences/J; pareto.png not written")
        return 0
    fig, ax = plt.subplots(figsize=(9, 6))
    for i, (wl, pts) in enumerate(sorted(by_wl.items())):
        c = "C%d" % (i % 10)
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], color=c, alpha=0.5, s=18, label=wl)
        front = pareto_front(pts)
        ax.plot([p[0] for p in front], [p[1] for p in front], "-o", color=c, ms=6)
        for p in front:
            ax.annotate(p[2] + ": " + p[3], (p[0], p[1]), fontsize=7, xytext=(4, 4),
                        textcoords="offset points")
    ax.set_xlabel("inferences / J")
    ax.set_ylabel("inferences / s")
    ax.set_title("Sweep %s: %d points; Pareto front joined" %
                 (os.path.basename(os.path.normpath(sweep_dir)), len(rows)))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    written = []
    save(fig, sweep_dir, "pareto.png", written)
    for p in written:
        print(p)
    return 0


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--sweep"]:
        if len(argv) != 2:
            sys.exit("usage: plot.py --sweep SWEEP_DIR")
        if plt is None:
            print("plot.py: matplotlib/numpy are not available (%s); use /usr/bin/python3"
                  % _IMPORT_ERROR, file=sys.stderr)
            return 2
        return plot_sweep(argv[1])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Figures: " + ", ".join(n for n, _ in FIGURES))
    ap.add_argument("run_dir", metavar="RUN_DIR", help="directory holding stats.json")
    ap.add_argument("--out", metavar="DIR", help="where to write the PNGs (default: RUN_DIR)")
    a = ap.parse_args(argv)
    stats = load_stats(a.run_dir)
    if plt is None:
        print("plot.py: matplotlib/numpy are not available (%s); use /usr/bin/python3"
              % _IMPORT_ERROR, file=sys.stderr)
        return 2
    out = a.out or a.run_dir
    os.makedirs(out, exist_ok=True)
    net = network_name(stats, a.run_dir)
    written, skipped = [], []
    for name, fn in FIGURES:
        try:
            fig = fn(stats, net)
        except Skip as e:
            note("skipped %s: %s" % (name, e))
            skipped.append(name)
            continue
        save(fig, out, name, written)
    for p in written:
        print(p)
    if not written:
        note("no figures written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
