"""Compares two runs' --out folders byte for byte, except the one field that records how each
run was invoked (`run.command_line` in stats.json, the `command_line` column of layers.csv)."""
import csv
import io
import json
import os


def _without_command_line(name, data):
    if name == "stats.json":
        stats = json.loads(data)
        stats.get("run", {}).pop("command_line", None)
        return json.dumps(stats, sort_keys=True).encode()
    if name == "layers.csv":
        rows = list(csv.reader(io.StringIO(data.decode())))
        if rows and "command_line" in rows[0]:
            k = rows[0].index("command_line")
            rows = [r[:k] + r[k + 1:] for r in rows]
        return repr(rows).encode()
    return data


def differing_files(a, b):
    """Names of files that differ between folders a and b (or exist in only one of them)."""
    names_a, names_b = sorted(os.listdir(a)), sorted(os.listdir(b))
    differ = sorted(set(names_a) ^ set(names_b))
    for n in sorted(set(names_a) & set(names_b)):
        with open(os.path.join(a, n), "rb") as fa, open(os.path.join(b, n), "rb") as fb:
            if _without_command_line(n, fa.read()) != _without_command_line(n, fb.read()):
                differ.append(n)
    return differ
