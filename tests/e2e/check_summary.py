#!/usr/bin/env python3
"""Recompute a sweep's summary.json from its replications.csv and sweep.json,
independently of tocsin (plain Python), and compare every figure.

Usage: check_summary.py SWEEP_DIR
Checks, for every block and figure: n, count, p; for numeric figures the
mean and sample standard deviation (to 1e-9 relative), min, max and the
nearest-rank percentiles (exactly), and that the mean's interval is
mean -/+ t * sd / sqrt(n) with t read back from it matching the Student t
quantile table for the block's degrees of freedom; for flags the Wilson
interval; for labels the counts of each value.
"""
import csv
import json
import math
import sys

# Student t, 0.975 quantile (two-sided 95 %), from standard tables.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 10: 2.228,
        19: 2.093, 20: 2.086, 29: 2.045, 30: 2.042, 39: 2.023, 40: 2.021,
        49: 2.010, 59: 2.001, 99: 1.984, 199: 1.972}
Z975 = 1.959963984540054


def nearest_rank(sorted_values, percent):
    n = len(sorted_values)
    rank = max((percent * n + 99) // 100, 1)
    return sorted_values[rank - 1]


def close(a, b, rel=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def wilson(k, n):
    p = k / n
    z2 = Z975 * Z975
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z975 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def main(directory):
    manifest = json.load(open(f"{directory}/sweep.json"))
    summary = json.load(open(f"{directory}/summary.json"))
    keys = manifest["grid"]
    columns = manifest["columns"]
    rows = list(csv.DictReader(open(f"{directory}/replications.csv", newline="")))
    failures = []
    for block in summary["blocks"]:
        mine = [r for r in rows if [r[k] for k in keys] == block["values"]]
        n = len(mine)
        if n != block["replications"]:
            failures.append(f"block {block['values']}: {n} rows, summary says {block['replications']}")
        for col, fig in zip(columns, block["figures"]):
            name, kind = col["name"], col["kind"]
            cells = [r[name] for r in mine]
            where = f"{block['values']} {name}"
            if fig["name"] != name or fig["kind"] != kind or fig["n"] != n:
                failures.append(f"{where}: name, kind or n differ")
                continue
            if kind == "label":
                counts = {}
                for c in cells:
                    if c:
                        counts[c] = counts.get(c, 0) + 1
                got = {v["value"]: v["count"] for v in fig["values"]}
                if got != counts or fig["count"] != sum(counts.values()):
                    failures.append(f"{where}: label counts {got} != {counts}")
                continue
            if kind == "flag":
                k = sum(1 for c in cells if c == "1")
                lo, hi = wilson(k, n)
                if fig["count"] != k or not close(fig["p_ci"][0], lo, 1e-12) or \
                        not close(fig["p_ci"][1], hi, 1e-12):
                    failures.append(f"{where}: flag {fig['count']} {fig['p_ci']} != {k} {lo, hi}")
                continue
            values = [float(c) for c in cells if c != ""]
            if fig["count"] != len(values):
                failures.append(f"{where}: count {fig['count']} != {len(values)}")
                continue
            if not values:
                if fig["mean"] is not None:
                    failures.append(f"{where}: a mean of no values")
                continue
            mean = math.fsum(values) / len(values)
            s = sorted(values)
            expect = {"min": s[0], "max": s[-1], "p10": nearest_rank(s, 10),
                      "p50": nearest_rank(s, 50), "p90": nearest_rank(s, 90),
                      "p99": nearest_rank(s, 99)}
            for key, want in expect.items():
                if fig[key] != want:
                    failures.append(f"{where}: {key} {fig[key]} != {want}")
            if not close(fig["mean"], mean):
                failures.append(f"{where}: mean {fig['mean']} != {mean}")
            if len(values) < 2:
                continue
            sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))
            if not close(fig["sd"], sd, 1e-7) and not (sd < 1e-9 and fig["sd"] < 1e-9):
                failures.append(f"{where}: sd {fig['sd']} != {sd}")
            lo, hi = fig["mean_ci"]
            if sd == 0:
                if lo != fig["mean"] or hi != fig["mean"]:
                    failures.append(f"{where}: zero spread, interval {lo, hi}")
                continue
            t = (hi - lo) / 2 / (sd / math.sqrt(len(values)))
            df = len(values) - 1
            if df in T975 and abs(t - T975[df]) > 0.0006:
                failures.append(f"{where}: t {t} for {df} degrees of freedom, tables {T975[df]}")
    for f in failures[:20]:
        print("  " + f)
    if len(failures) > 20:
        print(f"  ... and {len(failures) - 20} more")
    print(f"checked {len(summary['blocks'])} block(s) of {len(columns)} figures: "
          f"{len(failures)} difference(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
