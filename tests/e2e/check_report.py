#!/usr/bin/env python3
"""Check a report directory against docs/report-schema.md.

usage: check_report.py SCHEMA.md DIR

The schema's tables are the specification: this reads them, then reads
DIR/report.json with Python's json module and every DIR/*.csv with its csv
module (parsers independent of tocsin's writers) and checks that

  - report.json has exactly the documented keys, in the documented order,
    each of the documented type, null only where the schema allows it;
  - every CSV file is documented and every documented one is there; each is
    UTF-8 with "\\n" line ends, a rectangle, with the documented header; every
    cell parses as its column's type, and is empty only where allowed.

Prints one line per problem and exits 1 if there is any.
"""
import csv
import io
import json
import math
import os
import re
import sys

problems = []


def problem(msg):
    problems.append(msg)
    if len(problems) <= 50:
        print("check_report: " + msg)


def table_rows(lines, start):
    """The rows of the Markdown table starting at lines[start], as lists of
    cells without the surrounding backticks of the first cell."""
    rows = []
    i = start + 2  # skip the header and the |---| line
    while i < len(lines) and lines[i].startswith("|"):
        cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
        cells[0] = cells[0].strip("`")
        rows.append(cells)
        i += 1
    return rows


def read_schema(path):
    """({json key path: (type, nullable, absent_ok)},
        [json key paths in order],
        {csv file: [(column, type, nullable)]})"""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    keys, order, tables = {}, [], {}
    current_csv = None
    for i, line in enumerate(lines):
        m = re.match(r"^### `([a-z_]+\.csv)`$", line)
        if m:
            current_csv = m.group(1)
            continue
        if line.startswith("| key | type |"):
            for cells in table_rows(lines, i):
                key, typ, null = cells[0], cells[1], cells[3]
                if key in keys:
                    problem("schema: key %s documented twice" % key)
                keys[key] = (typ, null != "no", null.startswith("absent"))
                order.append(key)
        elif line.startswith("| column | type |"):
            if current_csv is None or current_csv in tables:
                problem("schema: a column table outside a CSV section (line %d)" % (i + 1))
                continue
            tables[current_csv] = [(c[0], c[1], c[3] != "no") for c in table_rows(lines, i)]
    if not keys or not tables:
        problem("schema: no key or column tables found in %s" % path)
    return keys, order, tables


# ---- report.json ----------------------------------------------------------

JSON_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    and math.isfinite(v),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def check_json(path, keys, order):
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.endswith(b"\n") or raw.count(b"\n") != 1:
        problem("report.json: not one line ending with a newline")
    doc = json.loads(raw.decode("utf-8"))
    # The documented children of each object path, in order.
    children = {}
    for key in order:
        parent, _, name = key.rpartition(".")
        if not key.endswith("[]"):
            children.setdefault(parent, []).append(name)

    def walk(value, path, where):
        spec = keys.get(path)
        if spec is None and path.endswith("[]") and path in children:
            spec = ("object", False, False)  # the items of an array of objects
        if spec is None and path != "":
            problem("report.json: %s: undocumented key %s" % (where, path))
            return
        if path:
            typ, nullable, _ = spec
            if value is None:
                if not nullable:
                    problem("report.json: %s is null" % where)
                return
            if typ not in JSON_TYPES:
                problem("schema: %s has unknown type %s" % (path, typ))
                return
            if not JSON_TYPES[typ](value):
                problem("report.json: %s is %r, expected %s" % (where, value, typ))
                return
        if isinstance(value, dict):
            prefix = path + "." if path else ""
            want = children.get(path, [])
            optional = [n for n in want if keys[prefix + n][2]]
            got = list(value.keys())
            for k in got:
                if k not in want:
                    problem("report.json: %s: undocumented key %s" % (where or "top level", k))
            required = [n for n in want if n not in optional]
            if [k for k in got if k in required] != required:
                problem("report.json: %s has keys %s, expected %s" % (where or "top level",
                                                                       got, required))
            if optional and len([k for k in got if k in optional]) != 1:
                problem("report.json: %s must have exactly one of %s" % (where, optional))
            for k, v in value.items():
                if k in want:
                    walk(v, prefix + k, (where + "." if where else "") + k)
        elif isinstance(value, list):
            for n, v in enumerate(value):
                walk(v, path + "[]", "%s[%d]" % (where, n))

    walk(doc, "", "")
    return doc


# ---- CSV ------------------------------------------------------------------

INT = re.compile(r"^-?[0-9]+$")
FLOAT = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def cell_ok(typ, text):
    if typ == "int":
        return bool(INT.match(text))
    if typ == "float":
        return bool(FLOAT.match(text)) and math.isfinite(float(text))
    if typ == "bool":
        return text in ("0", "1")
    if typ == "text":
        return True
    return False


def check_csv(path, columns):
    name = os.path.basename(path)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem("%s: not UTF-8: %s" % (name, e))
        return []
    if text.startswith("\ufeff"):
        problem("%s: starts with a byte-order mark" % name)
    if not text.endswith("\n"):
        problem("%s: does not end with a line end" % name)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    # A \r may only be data inside a quoted cell, never part of a line end.
    if text.count("\r") != sum(c.count("\r") for r in rows for c in r):
        problem("%s: lines end with \\r\\n" % name)
    if not rows:
        problem("%s: empty, not even a header" % name)
        return []
    want = [c[0] for c in columns]
    if rows[0] != want:
        problem("%s: header %s, expected %s" % (name, rows[0], want))
        return rows
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(want):
            problem("%s:%d: %d cells, expected %d" % (name, n, len(row), len(want)))
            continue
        for (col, typ, nullable), value in zip(columns, row):
            if value == "":
                if not nullable:
                    problem("%s:%d: %s is empty" % (name, n, col))
            elif not cell_ok(typ, value):
                problem("%s:%d: %s is %r, not %s" % (name, n, col, value, typ))
    return rows


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    schema, d = sys.argv[1], sys.argv[2]
    keys, order, tables = read_schema(schema)
    doc = None
    if os.path.exists(os.path.join(d, "report.json")):
        doc = check_json(os.path.join(d, "report.json"), keys, order)
    else:
        problem("report.json: missing")
    present = sorted(f for f in os.listdir(d) if f.endswith(".csv"))
    for f in present:
        if f not in tables:
            problem("%s: not documented in %s" % (f, schema))
    rows = {}
    for f, columns in tables.items():
        if f not in present:
            problem("%s: missing" % f)
        else:
            rows[f] = check_csv(os.path.join(d, f), columns)
    # The tables hold the JSON's items, one row each.
    if doc is not None and not problems:
        counts = {
            "actors.csv": len(doc["actors"]),
            "awareness.csv": len(doc["awareness"]),
            "hops.csv": len(doc["hops"]),
            "objectives.csv": len(doc["objectives"]),
            "incidents.csv": len(doc["incidents"]),
            "levels.csv": 4 * len(doc["incidents"]),
            "kinds.csv": len(doc["totals"]["by_kind"]),
            "channels.csv": len(doc["totals"]["by_channel"]),
            "critical_path.csv": sum(len(i["critical_path"]["steps"])
                                     for i in doc["incidents"] + doc["objectives"]),
            "critical_path_actors.csv": sum(len(i["critical_path"]["by_actor"])
                                            for i in doc["incidents"] + doc["objectives"]),
            "run.csv": 1,
        }
        for f, n in counts.items():
            if f in rows and len(rows[f]) - 1 != n:
                problem("%s: %d rows, report.json has %d items" % (f, len(rows[f]) - 1, n))
    if problems:
        print("check_report: %d problem(s) in %s" % (len(problems), d))
        return 1
    print("check_report: %s: report.json and %d CSV files as documented" % (d, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
