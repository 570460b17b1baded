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
  noc_link_load.png       The mesh of router clusters, one panel per data type (iact N/S/W/E,
                          weight W/E, psum south). Each outgoing link is an arrow coloured and
                          width-scaled by its load in bits per cycle (sum over layers of the
                          link's bits / sum of the cycles of those layers). Opposite directions
                          between two clusters are drawn side by side (each arrow is offset to
                          the right of its direction of travel); a link leaving the array edge is
                          a short stub. Links with no traffic are thin grey dotted lines.

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
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import FancyArrowPatch, Rectangle
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


def fig_pe_heatmap(stats, net):
    if not any("pe_busy" in l for l in stats["layers"]):
        raise Skip("no layer has 'pe_busy'")
    cr, cc, pr, pc = arch_dims(stats)
    npe = cr * cc * pr * pc
    busy = np.zeros(npe)
    cycles = 0.0
    used = 0
    for i, l in enumerate(stats["layers"]):
        b = l.get("pe_busy")
        if b is None:
            continue
        if not (isinstance(b, list) and len(b) == npe and all(is_num(v) for v in b)):
            note("pe_heatmap: layer %s 'pe_busy' is not %d numbers (the array's PE count); "
                 "left out" % (layer_label(l, i), npe))
            continue
        if not is_num(l.get("cycles")):
            note("pe_heatmap: layer %s has no 'cycles'; left out" % layer_label(l, i))
            continue
        busy += np.array(b, dtype=float)
        cycles += float(l["cycles"])
        used += 1
    if used == 0:
        raise Skip("no layer has a usable 'pe_busy'")
    util = busy / cycles if cycles > 0 else np.zeros(npe)
    vmax = max(1.0, float(util.max()))
    norm = mcolors.Normalize(vmin=0.0, vmax=vmax)
    cmap = plt.get_cmap("magma")

    gap = 0.6
    width = cc * pc + (cc - 1) * gap
    height = cr * pr + (cr - 1) * gap
    unit = min(0.55, 11.0 / width, 10.0 / height)
    fig_w = max(6.5, width * unit + 3.0)
    fig_h = max(4.5, height * unit + 1.8)
    fig, ax = plt.subplots(figsize=(fig_w, fig_h))
    rects, cols = [], []
    annotate = npe <= 512 and unit >= 0.3
    for c in range(cr * cc):
        crow, ccol = divmod(c, cc)
        x0 = ccol * (pc + gap)
        y0 = crow * (pr + gap)
        for p in range(pr * pc):
            prow, pcol = divmod(p, pc)
            v = util[c * pr * pc + p]
            rects.append(Rectangle((x0 + pcol, y0 + prow), 1, 1))
            cols.append(cmap(norm(v)))
            if annotate:
                ax.text(x0 + pcol + 0.5, y0 + prow + 0.5, "%.0f" % (100 * v), ha="center",
                        va="center", fontsize=7 if unit >= 0.4 else 6,
                        color="white" if norm(v) < 0.55 else "black")
        ax.add_patch(Rectangle((x0, y0), pc, pr, fill=False, lw=1.4, ec="0.2", zorder=3))
        if cr * cc <= 64:
            ax.text(x0 - 0.08, y0 + pr / 2, "C%d" % c, ha="right", va="center", fontsize=7,
                    color="0.3", rotation=90)
    ax.add_collection(PatchCollection(rects, facecolors=cols, edgecolors="0.6", linewidths=0.4))
    ax.set_xlim(-0.5, width + 0.1)
    ax.set_ylim(height + 0.1, -0.1)  # row 0 at the top
    ax.set_aspect("equal")
    ax.set_xticks([ccol * (pc + gap) + pc / 2 for ccol in range(cc)])
    ax.set_xticklabels(["cluster col %d" % j for j in range(cc)], fontsize=8)
    ax.set_yticks([crow * (pr + gap) + pr / 2 for crow in range(cr)])
    ax.set_yticklabels(["row %d" % j for j in range(cr)], fontsize=8)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
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


# ---------------------------------------------------------------------------------------------
# 5. NoC link load


def link_loads(stats, n_clusters):
    """Returns ({type: array [clusters x dirs] of bits/cycle}, {type: layers used})."""
    loads, used = {}, {}
    cyc = {}
    for i, l in enumerate(stats["layers"]):
        lb = l.get("link_bits")
        if lb is None:
            continue
        if not isinstance(lb, dict):
            note("noc_link_load: layer %s 'link_bits' is not an object; left out"
                 % layer_label(l, i))
            continue
        if not is_num(l.get("cycles")):
            note("noc_link_load: layer %s has no 'cycles'; left out" % layer_label(l, i))
            continue
        for t, dirs in LINK_DIRS.items():
            v = lb.get(t)
            if v is None:
                continue
            ok = isinstance(v, list) and len(v) == n_clusters and all(
                isinstance(r, list) and len(r) == len(dirs) and all(is_num(x) for x in r)
                for r in v)
            if not ok:
                note("noc_link_load: layer %s link_bits.%s is not %d lists of %d numbers (%s); "
                     "left out" % (layer_label(l, i), t, n_clusters, len(dirs), "/".join(dirs)))
                continue
            loads[t] = loads.get(t, 0) + np.array(v, dtype=float)
            cyc[t] = cyc.get(t, 0.0) + float(l["cycles"])
            used[t] = used.get(t, 0) + 1
    for t in loads:
        loads[t] = loads[t] / cyc[t] if cyc[t] > 0 else loads[t] * 0
    return loads, used


def fig_noc(stats, net):
    if not any("link_bits" in l for l in stats["layers"]):
        raise Skip("no layer has 'link_bits'")
    cr, cc, _, _ = arch_dims(stats)
    n = cr * cc
    loads, used = link_loads(stats, n)
    if not loads:
        raise Skip("no layer has usable 'link_bits'")
    types = [t for t in LINK_DIRS if t in loads]
    for t in LINK_DIRS:
        if t not in loads:
            note("noc_link_load: no layer has link_bits.%s; panel left out" % t)

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
        norm = mcolors.Normalize(0.0, vmax if vmax > 0 else 1.0)
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
                lw = 0.8 + 4.2 * v / vmax
                ax.add_patch(FancyArrowPatch((sx, sy), (ex, ey), arrowstyle="-|>",
                                             mutation_scale=6 + 2 * lw, lw=lw,
                                             color=cmap(norm(v)), zorder=3,
                                             shrinkA=0, shrinkB=0))
                if label_values:
                    mx, my = (sx + ex) / 2, (sy + ey) / 2
                    # Put the number outside the arrow pair, on the arrow's own side.
                    tx, ty = mx + ox * 1.6, my + oy * 1.6
                    ax.text(tx, ty, "%.3g" % v, fontsize=6, color="0.1",
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
        ax.set_title("%s (%s)\nmax %.3g bits/cycle, %d layer%s" % (
            t, "/".join(LINK_DIRS[t]), vmax, used[t], "" if used[t] == 1 else "s"), fontsize=9)
        sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
        cb = fig.colorbar(sm, ax=ax, fraction=0.08, pad=0.1, shrink=0.6)
        cb.set_label("bits/cycle", fontsize=8)
        cb.ax.tick_params(labelsize=7)
    fig.suptitle("%s: NoC mesh link load per router cluster (outgoing links; "
                 "Σ bits / Σ layer cycles; N = up)" % net, fontsize=10)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------

FIGURES = [
    ("cycles_utilization.png", fig_cycles_utilization),
    ("eyexam_waterfall.png", fig_eyexam),
    ("energy_breakdown.png", fig_energy),
    ("pe_heatmap.png", fig_pe_heatmap),
    ("noc_link_load.png", fig_noc),
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
