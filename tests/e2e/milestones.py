#!/usr/bin/env python3
"""Checks the milestones of the scenario library against many runs.

usage: milestones.py --tocsin PATH [--replications N] [--jobs J] [--report]
                     [--root DIR] [PAGE.md ...]

Each docs/scenarios/NAME.md may have a `## Milestones` section holding one
table (id | milestone | measure | band | source); docs/scenarios/README.md
defines it. For each page, scenarios/NAME.yaml is run N times (replications
0..N-1, the scenario's own seed), every measure is evaluated on each run's
report.json, and the median of each measure must fall inside its band.

The median is an order statistic: the N values sorted, +inf (never reached)
last, and the value at index (N-1)//2 (the lower median when N is even). It
is never an average, so a run that never reached a milestone counts as a
value above all others instead of making the median infinite or undefined.
The 10th and 90th percentiles printed beside it are nearest-rank.

Without PAGE, every page of docs/scenarios/ with a Milestones section is
checked, and the library must be covered: every scenarios/*.yaml needs a
page with a Milestones table, and every such page a scenario.

Exit status: 0 every median inside its band (or --report), 1 some outside
or a run failed, 2 usage or page error (page:line: what is wrong).
"""
import argparse
import concurrent.futures
import json
import math
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

INF = math.inf
LEVELS = ("technical", "operational", "strategic", "political")


class PageError(Exception):
    """A fault of a page (or of the command line): exit status 2."""


# Durations: integers with units d, h, m, s, ms, largest first, each once.
UNITS = (("d", 86400000), ("h", 3600000), ("m", 60000), ("s", 1000), ("ms", 1))
DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?")


def parse_duration(text):
    """Milliseconds of a duration such as 1d12h30m or 90s; 0 needs no unit."""
    if text == "0":
        return 0
    m = DURATION.fullmatch(text)
    if not m or not any(m.groups()):
        raise ValueError(f"'{text}' is not a duration (e.g. 90s, 30m, 6h, 1d12h)")
    return sum(int(g) * ms for g, (_, ms) in zip(m.groups(), UNITS) if g)


def format_duration(ms):
    """A duration as pages write it. Above a minute it is cut to the second
    (2h05m, 1h37m23s); the units after the first are two digits wide."""
    if ms == INF:
        return "inf"
    if ms < 0:
        return "-" + format_duration(-ms)
    if ms == 0:
        return "0s"
    if ms < 60000:
        s, rest = divmod(ms, 1000)
        return (f"{s}s" if s else "") + (f"{rest}ms" if rest else "")
    out = ""
    for unit, size in UNITS[:4]:
        n, ms = divmod(ms, size)
        if out:
            out += f"{n:02d}{unit}"
        elif n:
            out += f"{n}{unit}"
    return re.sub(r"(?:00[hms])+$", "", out)


def parse_count(text):
    if not re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise ValueError(f"'{text}' is not a number (this measure counts)")
    return float(text) if "." in text else int(text)


def format_count(v):
    if v == INF:
        return "inf"
    return str(v)


# The measures that give a time (ms, +inf when never reached), and those that count.
TIME_MEASURES = {"aware", "picture", "level", "objective", "first"}
COUNT_MEASURES = {"met", "incidents", "messages"}


class Measure:
    """One parsed measure: its words, checked for shape (the names it uses
    are checked against each report)."""

    def __init__(self, text):
        self.text = text
        words = text.split()
        if not words:
            raise ValueError("the measure is empty")
        self.word = words[0]
        self.incident = None
        self.is_time = self.word in TIME_MEASURES
        if self.word not in TIME_MEASURES | COUNT_MEASURES:
            raise ValueError(f"unknown measure '{self.word}' (expected one of: "
                             + ", ".join(sorted(TIME_MEASURES | COUNT_MEASURES)) + ")")
        getattr(self, "_parse_" + self.word)(words[1:])

    def _shape(self, args, least, most, usage):
        if not least <= len(args) <= most:
            raise ValueError(f"'{self.text}': expected `{usage}`")

    def _parse_aware(self, a):
        self._shape(a, 1, 2, "aware ACTOR [INCIDENT]")
        self.actor = a[0]
        self.incident = a[1] if len(a) > 1 else None

    def _parse_picture(self, a):
        self._shape(a, 0, 1, "picture [INCIDENT]")
        self.incident = a[0] if a else None

    def _parse_level(self, a):
        self._shape(a, 2, 3, "level LEVEL first|all [INCIDENT]")
        if a[0] not in LEVELS:
            raise ValueError(f"unknown level '{a[0]}' (expected one of: {', '.join(LEVELS)})")
        if a[1] not in ("first", "all"):
            raise ValueError(f"'{a[1]}': expected first or all after the level")
        self.level, self.which = a[0], a[1]
        self.incident = a[2] if len(a) > 2 else None

    def _parse_objective(self, a):
        self._shape(a, 1, 1, "objective ID")
        self.objective = a[0]

    def _parse_met(self, a):
        self._shape(a, 1, 1, "met ID")
        self.objective = a[0]

    def _parse_incidents(self, a):
        self.by = None
        if a:
            if len(a) != 2 or a[0] != "by":
                raise ValueError(f"'{self.text}': expected `incidents [by TIME]`")
            self.by = parse_duration(a[1])

    def _clauses(self, a, allowed, usage):
        if not a:
            raise ValueError(f"'{self.text}': expected `{usage}`")
        self.kind = a[0]
        self.sender = self.receiver = self.by = None
        rest = a[1:]
        seen = set()
        while rest:
            if len(rest) < 2 or rest[0] not in allowed or rest[0] in seen:
                raise ValueError(f"'{self.text}': expected `{usage}`")
            word, value = rest[0], rest[1]
            seen.add(word)
            if word == "from":
                self.sender = value
            elif word == "to":
                self.receiver = value
            else:
                self.by = parse_duration(value)
            rest = rest[2:]

    def _parse_messages(self, a):
        self._clauses(a, ("from", "to", "by"), "messages KIND [from ACTOR] [to ACTOR] [by TIME]")

    def _parse_first(self, a):
        self._clauses(a, ("from", "to"), "first KIND [from ACTOR] [to ACTOR]")

    def evaluate(self, report, seen_incidents):
        """The measure's value in one report: ms for a time, +inf when never
        reached; a number for a count. Unknown names raise ValueError.
        Incidents met in the report are added to seen_incidents."""
        return getattr(self, "_eval_" + self.word)(report, seen_incidents)

    def _find_incident(self, report, seen):
        incidents = report["incidents"]
        seen.update(i["id"] for i in incidents)
        if self.incident is None:
            own = [i for i in incidents if not i["opened"]]
            if len(own) != 1:
                raise ValueError(f"'{self.text}': the scenario has {len(own)} incidents, "
                                 "name one (" + ", ".join(i["id"] for i in own) + ")")
            return own[0]
        for i in incidents:
            if i["id"] == self.incident:
                return i
        return None  # opened by a script in other runs, or unknown: see check_seen

    def _check_actor(self, report, actor):
        ids = [a["id"] for a in report["actors"]]
        if actor not in ids:
            raise ValueError(f"'{self.text}': unknown actor '{actor}'")

    def _objective(self, report):
        for o in report["objectives"]:
            if o["id"] == self.objective:
                return o
        raise ValueError(f"'{self.text}': unknown objective '{self.objective}' (the scenario has: "
                         + ", ".join(o["id"] for o in report["objectives"]) + ")")

    def _eval_aware(self, report, seen):
        self._check_actor(report, self.actor)
        incident = self._find_incident(report, seen)
        if incident is None:
            return INF
        for a in report["awareness"]:
            if a["incident"] == incident["id"] and a["actor"] == self.actor:
                return INF if a["since_start"] is None else a["since_start"]
        raise AssertionError("report.json lacks an awareness item")  # every pair is listed

    def _eval_picture(self, report, seen):
        incident = self._find_incident(report, seen)
        if incident is None or incident["time_to_cop"] is None:
            return INF
        return incident["time_to_cop"]

    def _eval_level(self, report, seen):
        incident = self._find_incident(report, seen)
        if incident is None:
            return INF
        v = incident["levels"][self.level][self.which]
        return INF if v is None else v

    def _eval_objective(self, report, seen):
        o = self._objective(report)
        if o["event_at"] is None or o["anchor_at"] is None:
            return INF
        return o["event_at"] - o["anchor_at"]

    def _eval_met(self, report, seen):
        return 1 if self._objective(report)["verdict"] == "met" else 0

    def _eval_incidents(self, report, seen):
        seen.update(i["id"] for i in report["incidents"])
        return sum(1 for i in report["incidents"] if self.by is None or i["start"] <= self.by)

    def _hops(self, report):
        kinds = [k["kind"] for k in report["totals"]["by_kind"]]
        if self.kind != "any" and self.kind not in kinds:
            raise ValueError(f"'{self.text}': unknown message kind '{self.kind}'")
        for actor in (self.sender, self.receiver):
            if actor is not None:
                self._check_actor(report, actor)
        for h in report["hops"]:
            if ((self.kind == "any" or h["kind"] == self.kind)
                    and (self.sender is None or h["from"] == self.sender)
                    and (self.receiver is None or h["to"] == self.receiver)):
                yield h

    def _eval_messages(self, report, seen):
        return sum(1 for h in self._hops(report)
                   if h["attempt"] == 1 and (self.by is None or h["created"] <= self.by))

    def _eval_first(self, report, seen):
        return min((h["created"] for h in self._hops(report)), default=INF)


class Milestone:
    def __init__(self, page, line, mid, measure, low, high, band_text):
        self.page, self.line, self.id = page, line, mid
        self.measure, self.low, self.high, self.band_text = measure, low, high, band_text
        self.values = []

    def where(self):
        return f"{self.page.shown}:{self.line}: {self.id}"

    def human(self, v):
        return format_duration(v) if self.measure.is_time else format_count(v)


BAND_VALUE = r"-?[0-9][0-9a-z.]*"


def parse_band(text, is_time):
    """(low, high) of a band: LOW – HIGH (or - or ..), ≤ HIGH, >= LOW."""
    value = parse_duration if is_time else parse_count
    t = text.strip()
    m = re.fullmatch(r"(≤|<=)\s*(" + BAND_VALUE + ")", t)
    if m:
        return -INF, value(m.group(2))
    m = re.fullmatch(r"(≥|>=)\s*(" + BAND_VALUE + ")", t)
    if m:
        return value(m.group(2)), INF
    m = re.fullmatch(r"(" + BAND_VALUE + r")\s*(?:–|-|\.\.)\s*(" + BAND_VALUE + ")", t)
    if not m:
        raise ValueError(f"band '{text}': expected LOW – HIGH, ≤ HIGH or >= LOW")
    low, high = value(m.group(1)), value(m.group(2))
    if low > high:
        raise ValueError(f"band '{text}': LOW is above HIGH")
    return low, high


COLUMNS = ["id", "milestone", "measure", "band", "source"]


def split_row(line):
    """The cells of a table row; `\\|` is a pipe inside a cell."""
    cells = re.split(r"(?<!\\)\|", line.strip())
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def sections(lines, title):
    """Line ranges [start, end) of each `## TITLE` section (to the next
    heading of level 1 or 2), outside fenced code blocks. start, the index
    of the line after the heading, is also the heading's line number."""
    found, fence, start = [], None, None
    for n, line in enumerate(lines):
        m = re.match(r"\s*(```|~~~)", line)
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
            continue
        if fence:
            continue
        if re.match(r"#{1,2}\s", line):
            if start is not None:
                found.append((start, n))
                start = None
            if re.fullmatch(r"##\s+" + re.escape(title) + r"\s*#*\s*", line.rstrip("\n")):
                start = n + 1
    if start is not None:
        found.append((start, len(lines)))
    return found


class Page:
    def __init__(self, path, root):
        self.path = path
        try:
            self.shown = str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            self.shown = str(path)
        self.name = path.stem
        self.scenario = root / "scenarios" / (self.name + ".yaml")
        try:
            self.text = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise PageError(f"{path}: cannot read: {e}") from None
        self.found = sections(self.text, "Milestones")
        self.milestones = []

    def error(self, line, what):
        return PageError(f"{self.shown}:{line}: {what}")

    def parse(self):
        """Fills self.milestones from the table. Raises PageError on a fault
        of the table's shape; returns the faults of its rows (all of them)."""
        if not self.found:
            raise self.error(1, "no '## Milestones' section")
        if len(self.found) > 1:
            raise self.error(self.found[1][0], "a second '## Milestones' section")
        start, end = self.found[0]
        tables, fence = [], None
        for n in range(start, end):
            line = self.text[n]
            m = re.match(r"\s*(```|~~~)", line)
            if m:
                fence = None if fence == m.group(1) else (fence or m.group(1))
            if fence or m or not line.lstrip().startswith("|"):
                continue
            if tables and tables[-1][-1] == n - 1:
                tables[-1].append(n)
            else:
                tables.append([n])
        if not tables:
            raise self.error(start, "the Milestones section has no table")
        if len(tables) > 1:
            raise self.error(tables[1][0] + 1, "the Milestones section has more than one table")
        rows = tables[0]
        header = [c.lower() for c in split_row(self.text[rows[0]])]
        if header != COLUMNS:
            raise self.error(rows[0] + 1, "the table's columns must be: | " + " | ".join(COLUMNS)
                             + " | (found: | " + " | ".join(header) + " |)")
        rule = split_row(self.text[rows[1]]) if len(rows) > 1 else []
        if len(rule) != len(COLUMNS) or not all(re.fullmatch(r":?-+:?", c) for c in rule):
            raise self.error(rows[0] + 2, "the header must be followed by |---|---|---|---|---|")
        if len(rows) < 3:
            raise self.error(rows[0] + 1, "the Milestones table has no milestone")
        errors, ids = [], {}
        for n in rows[2:]:
            try:
                self.milestones.append(self._row(n, ids))
            except PageError as e:
                errors.append(str(e))
        return errors

    def _row(self, n, ids):
        line = n + 1
        cells = split_row(self.text[n])
        if len(cells) != len(COLUMNS):
            raise self.error(line, f"{len(cells)} cells, expected {len(COLUMNS)}")
        mid, prose, measure_cell, band_cell, source = cells
        if not re.fullmatch(r"M[1-9][0-9]*", mid):
            raise self.error(line, f"id '{mid}': expected M1, M2...")
        if mid in ids:
            raise self.error(line, f"{mid}: the id is already used on line {ids[mid]}")
        ids[mid] = line
        if not prose or not source:
            raise self.error(line, f"{mid}: the milestone and its source must be given")
        m = re.fullmatch(r"`([^`]*)`", measure_cell)
        if not m:
            raise self.error(line, f"{mid}: the measure must be in backticks: `aware anssi`")
        try:
            measure = Measure(m.group(1).strip())
            band_text = re.sub(r"^`(.*)`$", r"\1", band_cell)
            low, high = parse_band(band_text, measure.is_time)
        except ValueError as e:
            raise self.error(line, f"{mid}: {e}") from None
        return Milestone(self, line, mid, measure, low, high, band_text)


def library_pages(root):
    """The pages to check without PAGE arguments, and the faults of the
    library's coverage (a scenario without milestones, a page without its
    scenario)."""
    docs = root / "docs" / "scenarios"
    pages, errors = [], []
    for path in sorted(docs.glob("*.md")):
        if path.name == "README.md":
            continue
        page = Page(path, root)
        if page.found:
            pages.append(page)
    with_milestones = {p.name for p in pages}
    for scenario in sorted((root / "scenarios").glob("*.yaml")):
        name = scenario.stem
        if name in with_milestones:
            continue
        page = docs / (name + ".md")
        shown = scenario.relative_to(root)
        if page.exists():
            errors.append(f"{page.relative_to(root)}:1: no '## Milestones' section, "
                          f"but every library scenario ({shown}) must claim milestones")
        else:
            errors.append(f"{shown}: no page docs/scenarios/{name}.md with its milestones")
    return pages, errors


def run_one(tocsin, scenario, replication, tmp, milestones):
    """Runs one replication and returns each milestone's value and the
    incidents met, or raises RuntimeError (the run failed) or PageError."""
    out = os.path.join(tmp, str(replication))
    try:
        r = subprocess.run([tocsin, "run", str(scenario), "--replication", str(replication),
                            "--report", "json", "--quiet", "--out", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{scenario}: replication {replication} failed "
                               f"(exit status {r.returncode}):\n{r.stderr.strip()}")
        try:
            with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            raise RuntimeError(f"{scenario}: replication {replication}: "
                               f"cannot read its report.json: {e}") from None
    finally:
        shutil.rmtree(out, ignore_errors=True)
    seen, values = set(), []
    for m in milestones:
        try:
            values.append(m.measure.evaluate(report, seen))
        except ValueError as e:
            raise PageError(f"{m.where()}: {e}") from None
    return values, seen


def median(values):
    """The lower median of sorted values: an order statistic, +inf last."""
    return values[(len(values) - 1) // 2]


def rank(values, fraction):
    """The nearest-rank percentile of sorted values."""
    return values[max(0, math.ceil(fraction * len(values)) - 1)]


def check_page(page, args, tmp, progress):
    """Runs the page's scenario and fills each milestone's values."""
    ms = page.milestones
    seen = set()
    done = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_one, args.tocsin, page.scenario, i, tmp, ms)
                   for i in range(args.replications)]
        try:
            for future in concurrent.futures.as_completed(futures):
                values, incidents = future.result()
                seen |= incidents
                for m, v in zip(ms, values):
                    m.values.append(v)
                done += 1
                progress(f"{page.name}: {done}/{args.replications} runs")
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    for m in ms:  # an incident no run had is unknown, not merely never opened
        incident = m.measure.incident
        if incident is not None and incident not in seen:
            raise PageError(f"{m.where()}: '{m.measure.text}': unknown incident '{incident}' "
                            f"(in no run of the {args.replications})")


def verdicts(page, args):
    """Prints the page's table of medians; the number of failures."""
    rows, failed = [], 0
    for m in page.milestones:
        values = sorted(m.values)
        mid = median(values)
        ok = m.low <= mid <= m.high
        failed += not ok
        rows.append([m.id, m.measure.text, m.human(mid), m.band_text,
                     m.human(rank(values, 0.1)), m.human(rank(values, 0.9)),
                     "PASS" if ok else "FAIL"])
    head = ["id", "measure", "median", "band", "p10", "p90", ""]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    print(f"{page.shown} (scenarios/{page.name}.yaml, {args.replications} replications)")
    for r in [head] + rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return failed


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(
        description="Checks the median of each milestone of the scenario pages "
                    "(docs/scenarios/README.md) over many runs.")
    parser.add_argument("--tocsin", required=True, help="the tocsin binary")
    parser.add_argument("--replications", type=int, default=200, metavar="N",
                        help="runs per scenario, replications 0..N-1 (default 200)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="J",
                        help="runs at a time (default: the number of processors)")
    parser.add_argument("--report", action="store_true",
                        help="print the medians and exit 0 even if some are outside their band")
    parser.add_argument("--root", type=pathlib.Path, default=here.parent.parent,
                        help="the repository whose docs/scenarios and scenarios to use "
                             "(default: the one holding this script)")
    parser.add_argument("pages", nargs="*", type=pathlib.Path, metavar="PAGE.md",
                        help="pages to check (default: every page, and the library's coverage)")
    args = parser.parse_args()
    if args.replications < 1 or args.jobs < 1:
        parser.error("--replications and --jobs must be at least 1")
    if not (os.path.isfile(args.tocsin) and os.access(args.tocsin, os.X_OK)):
        parser.error(f"--tocsin {args.tocsin}: not an executable file")
    args.tocsin = os.path.abspath(args.tocsin)

    for stream in (sys.stdout, sys.stderr):  # a page's en dashes in any locale
        stream.reconfigure(errors="replace")
    tty = sys.stdout.isatty()

    def progress(text):
        if tty:
            print(f"\r\033[K{text}", end="", flush=True)

    try:
        errors = []
        if args.pages:
            pages = []
            for p in args.pages:
                if not p.is_file():
                    raise PageError(f"{p}: no such page")
                pages.append(Page(p, args.root))
        else:
            pages, errors = library_pages(args.root)
            if not pages and not errors:
                errors.append(f"{args.root}/docs/scenarios: no page with a Milestones section")
        for page in pages:
            try:
                errors += page.parse()
            except PageError as e:
                errors.append(str(e))
            if page.found and not page.scenario.exists():
                errors.append(f"{page.shown}:{page.found[0][0]}: the page has milestones but "
                              f"scenarios/{page.name}.yaml does not exist")
        if errors:
            raise PageError("\n".join(errors))

        failed = total = 0
        with tempfile.TemporaryDirectory(prefix="tocsin-milestones-") as tmp:
            for page in pages:
                check_page(page, args, tmp, progress)
                progress("")
                failed += verdicts(page, args)
                total += len(page.milestones)
        print(f"{total} milestones: {total - failed} inside their band, {failed} outside")
        return 0 if failed == 0 or args.report else 1
    except PageError as e:
        progress("")
        print(f"milestones.py: error: {e}".replace("\n", "\nmilestones.py: error: "),
              file=sys.stderr)
        return 2
    except RuntimeError as e:
        progress("")
        print(f"milestones.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
