#!/usr/bin/env python3
"""Recompute a comparison's compare.json from the two sides' replications.csv
and sweep.json, independently of tocsin (plain Python), and compare.

Usage: check_compare.py COMPARE_DIR
Checks, for every figure both sides have: each side's n, count, mean (to
1e-9 relative); for times, counts and ratios the paired difference B - A over
the replications where both have a value (pairs, mean, sample standard
deviation to 1e-9 relative, its interval mean -/+ t * sd / sqrt(pairs) with t
read back from it matching the Student t table where the table has the
degrees of freedom, and significant exactly when the interval excludes 0);
for times and ratios the difference of the chances of being reached; for
flags the difference of proportions the same way; identical, same, a_only,
b_only; for labels each value's counts on both sides; and the lists of
figures of one side only.
"""
import csv
import json
import math
import sys

# Student t, 0.975 quantile (two-sided 95 %), from standard tables.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 10: 2.228,
        19: 2.093, 20: 2.086, 29: 2.045, 30: 2.042, 39: 2.023, 40: 2.021,
        49: 2.010, 59: 2.001, 99: 1.984, 199: 1.972}

problems = []


def problem(text):
    problems.append(text)


def close(a, b, rel=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def read_side(d):
    manifest = json.load(open(f"{d}/sweep.json"))
    kinds = {c["name"]: c["kind"] for c in manifest["columns"]}
    with open(f"{d}/replications.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return kinds, rows


def number(text, kind):
    if text == "":
        return None
    return float(text) if kind == "ratio" else int(text)


def mean_sd(values):
    n = len(values)
    if n == 0:
        return None, None
    m = sum(values) / n
    if n < 2:
        return m, None
    return m, math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))


def check_diff(name, what, got, diffs):
    n = len(diffs)
    if got["pairs"] != n:
        problem(f"{name} {what}: pairs {got['pairs']}, expected {n}")
        return
    m, sd = mean_sd(diffs)
    zero = n > 0 and all(d == 0 for d in diffs)
    if zero:
        if got["mean"] != 0 or got["sd"] != 0 or got["ci"] != [0, 0] or got["significant"]:
            problem(f"{name} {what}: every difference is 0, got {got}")
        return
    if not close(got["mean"], m) or not close(got["sd"], sd):
        problem(f"{name} {what}: mean/sd {got['mean']}/{got['sd']}, expected {m}/{sd}")
        return
    lo, hi = got["ci"]
    if n < 2:
        if lo is not None or hi is not None or got["significant"]:
            problem(f"{name} {what}: an interval from {n} pair(s)")
        return
    if sd == 0:
        if lo != m or hi != m:
            problem(f"{name} {what}: sd 0 but interval {lo}, {hi}")
    else:
        t = (hi - m) / (sd / math.sqrt(n))
        if not close(m - lo, hi - m, 1e-7):
            problem(f"{name} {what}: interval not centred on the mean")
        if n - 1 in T975 and abs(t - T975[n - 1]) > 0.0015:
            problem(f"{name} {what}: t {t} for {n - 1} degrees of freedom, tables {T975[n - 1]}")
    if got["significant"] != (lo > 0 or hi < 0):
        problem(f"{name} {what}: significant is {got['significant']} for [{lo}, {hi}]")


def main(d):
    out = json.load(open(f"{d}/compare.json"))
    kinds_a, rows_a = read_side(f"{d}/a")
    kinds_b, rows_b = read_side(f"{d}/b")
    if [r["replication"] for r in rows_a] != [r["replication"] for r in rows_b]:
        problem("the sides have different replications")
    n = len(rows_a)
    if out["replications"] != n:
        problem(f"replications {out['replications']}, expected {n}")
    both = [c for c in kinds_a if kinds_b.get(c) == kinds_a[c]]
    if [f["name"] for f in out["figures"]] != both:
        problem("the figures compared are not those both sides have, in A's order")
    if out["only_a"] != [c for c in kinds_a if c not in both]:
        problem("only_a is wrong")
    if out["only_b"] != [c for c in kinds_b if c not in both]:
        problem("only_b is wrong")
    all_identical = not out["only_a"] and not out["only_b"]
    for f in out["figures"]:
        name, kind = f["name"], f["kind"]
        a = [r[name] for r in rows_a]
        b = [r[name] for r in rows_b]
        same = sum(x == y for x, y in zip(a, b))
        all_identical &= same == n
        if f["same"] != same or f["identical"] != (same == n):
            problem(f"{name}: same {f['same']}, expected {same}")
        if kind == "label":
            counts = {}
            for x, y in zip(a, b):
                if x:
                    counts.setdefault(x, [0, 0])[0] += 1
                if y:
                    counts.setdefault(y, [0, 0])[1] += 1
            got = {v["value"]: [v["a"], v["b"]] for v in f["values"]}
            if got != counts:
                problem(f"{name}: label counts {got}, expected {counts}")
            continue
        va = [number(x, kind) for x in a]
        vb = [number(y, kind) for y in b]
        for side, values in (("a", va), ("b", vb)):
            present = [v for v in values if v is not None]
            count = sum(v == 1 for v in present) if kind == "flag" else len(present)
            if f[side]["n"] != n or f[side]["count"] != count:
                problem(f"{name} {side}: n/count {f[side]['n']}/{f[side]['count']}")
            if kind != "flag" and not close(f[side]["mean"], mean_sd(present)[0]):
                problem(f"{name} {side}: mean {f[side]['mean']}")
        diffs = [y - x for x, y in zip(va, vb) if x is not None and y is not None]
        check_diff(name, "difference", f["difference"], diffs)
        if kind in ("time", "ratio"):
            reached = [(y is not None) - (x is not None) for x, y in zip(va, vb)]
            check_diff(name, "reached_difference", f["reached_difference"], reached)
            a_only = sum(x is not None and y is None for x, y in zip(va, vb))
            b_only = sum(y is not None and x is None for x, y in zip(va, vb))
        elif kind == "flag":
            a_only = sum(x > y for x, y in zip(va, vb))
            b_only = sum(y > x for x, y in zip(va, vb))
        if kind in ("time", "ratio", "flag") and (f["a_only"], f["b_only"]) != (a_only, b_only):
            problem(f"{name}: a_only/b_only {f['a_only']}/{f['b_only']}, expected {a_only}/{b_only}")
    if out["identical"] != all_identical:
        problem(f"identical is {out['identical']}, expected {all_identical}")
    for p in problems[:20]:
        print("  " + p)
    if len(problems) > 20:
        print(f"  ... and {len(problems) - 20} more")
    print(f"checked {len(out['figures'])} figures: {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
