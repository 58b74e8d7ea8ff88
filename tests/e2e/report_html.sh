#!/usr/bin/env bash
# report.html in a real browser. For each report directory given (report.html
# and report.json of one run), headless Chromium loads the page and:
#   - logs no console message at all: the page has no script and a policy
#     that forbids anything external, so any message (a blocked load, a
#     script error) is a fault;
#   - renders each incident's time to the common operational picture, each
#     actor's time to awareness of each incident and each objective's
#     verdict as report.json has them, written as the page writes them
#     (fmt_duration below mirrors tc_report_duration, report/format.h);
# and the file itself is well-formed XML with no script and no external
# reference. Exits 77 (skipped) when chromium or python3 is missing.
#
# usage: report_html.sh REPORT_DIR...
set -u
[ $# -ge 1 ] || { echo "usage: report_html.sh REPORT_DIR..." >&2; exit 2; }
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium is not installed (scripts/deps installs it)"
  exit 77
fi
if ! command -v python3 >/dev/null; then
  echo "SKIP: python3 is not installed (scripts/deps installs it)"
  exit 77
fi
. "$(dirname "$0")/common.bash"

# Load the page; the DOM as rendered goes to $work/dom.html, Chromium's log
# (console messages included, as "INFO:CONSOLE...") to $work/log.
render() {
  local uri
  uri=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$1")
  rm -rf "$work/profile"
  timeout 120 "$chromium" --headless=new --disable-gpu --no-sandbox --no-first-run \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --dump-dom "$uri" >"$work/dom.html" 2>"$work/log"
  local rc=$?
  [ "$rc" -eq 0 ] || { echo "  chromium exited with $rc"; tail -n 20 "$work/log"; return 1; }
  grep -q '</html>' "$work/dom.html" || { echo "  no DOM dumped"; return 1; }
}

no_console_message() {
  if grep -E ':CONSOLE[(:]|Uncaught' "$work/log"; then
    echo "  (the lines above are console messages of the page)"
    return 1
  fi
}

self_contained() { # the file as written, not as rendered
  python3 - "$1" <<'PY'
import re, sys, xml.etree.ElementTree as ET
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
ET.fromstring(text.split("\n", 1)[1])          # after <!DOCTYPE html>: well-formed XML
bad = re.findall(r"<script|\s(?:src|href)\s*=|url\((?!#)|@import", text, re.I)
urls = set(re.findall(r"[a-z]+://[^\"' <>]*", text)) - {"http://www.w3.org/2000/svg"}
if bad or urls:
    sys.exit(f"  external references or script: {bad + sorted(urls)}")
PY
}

figures_shown() { # report.json, the rendered DOM
  python3 - "$1" "$2" <<'PY'
import json, sys
from html.parser import HTMLParser

# How the page (and the terminal summary) writes a duration: the rule of
# tc_report_duration in engine/report/format.c, which this must follow to the
# character. Not reached (null): "not reached". Zero: "0s". Under a second:
# the exact milliseconds ("250ms"). Otherwise two units at most, the larger
# without padding and the smaller on two digits, each branch rounding the
# magnitude half up to its smaller unit and moving on when that carries it
# into the next one: seconds "45s"; minutes and seconds "12m 05s"; hours and
# minutes "2h 05m"; days and hours "3d 04h". A negative value starts with "-".
def fmt_duration(ms):
    if ms is None:
        return "not reached"
    sign, mag = ("-" if ms < 0 else ""), abs(ms)
    if mag == 0:
        return "0s"
    if mag < 1000:
        return f"{sign}{mag}ms"
    secs = (mag + 500) // 1000
    if secs < 60:
        return f"{sign}{secs}s"
    if secs < 3600:
        return f"{sign}{secs // 60}m {secs % 60:02d}s"
    mins = (mag + 30000) // 60000
    if mins < 24 * 60:
        return f"{sign}{mins // 60}h {mins % 60:02d}m"
    hours = (mag + 1800000) // 3600000
    return f"{sign}{hours // 24}d {hours % 24:02d}h"

# The mirror checked on the cases tests/unit/test_report_data.c gives the C.
MIN, HOUR, DAY = 60000, 3600000, 86400000
for ms, want in ((0, "0s"), (250, "250ms"), (-250, "-250ms"), (1499, "1s"), (1500, "2s"),
                 (59500, "1m 00s"), (HOUR - 501, "59m 59s"), (HOUR - 500, "1h 00m"),
                 (2 * HOUR + 5 * MIN + 29999, "2h 05m"), (2 * HOUR + 5 * MIN + 30000, "2h 06m"),
                 (DAY - 30000, "1d 00h"), (3 * DAY + 4 * HOUR + 29 * MIN, "3d 04h"),
                 (-(HOUR + 30 * MIN), "-1h 30m"), (None, "not reached")):
    assert fmt_duration(ms) == want, (ms, fmt_duration(ms), want)

# Where report.json keeps the figures (docs/report-schema.md, written by
# engine/report/json.c): times in ms, null when not reached.
def cop_ms(incident):
    return incident["time_to_cop"]

def verdict(objective):
    return objective["verdict"]

VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr", "area", "base", "source"}

class Texts(HTMLParser):
    """The text of every element that has an id, and its class."""
    def __init__(self):
        super().__init__()
        self.open = []              # [id or None] per open element
        self.text, self.cls = {}, {}
    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        self.open.append(a.get("id"))
        if a.get("id"):
            self.text[a["id"]] = ""
            self.cls[a["id"]] = a.get("class", "")
    def handle_endtag(self, tag):
        if tag not in VOID and self.open:
            self.open.pop()
    def handle_data(self, data):
        for i in self.open:
            if i:
                self.text[i] += data

report = json.load(open(sys.argv[1], encoding="utf-8"))
page = Texts()
page.feed(open(sys.argv[2], encoding="utf-8").read())
errors = []
incidents, objectives = report["incidents"], report["objectives"]
for i, inc in enumerate(incidents):
    want, got = fmt_duration(cop_ms(inc)), page.text.get(f"cop-{i}")
    if got is None or got.strip() != want:
        errors.append(f"incident {inc.get('id')}: time to COP {want!r}, page shows {got!r}")
# awareness: one entry per incident and actor, incident by incident.
actor_ids = [a["id"] for a in report["actors"]]
incident_ids = [inc["id"] for inc in incidents]
for aw in report["awareness"]:
    i, a = incident_ids.index(aw["incident"]), actor_ids.index(aw["actor"])
    want, got = fmt_duration(aw["since_start"]), page.text.get(f"aware-{i}-{a}")
    if got is None or got.strip() != want:
        errors.append(f"{aw['actor']} aware of {aw['incident']}: {want!r}, page shows {got!r}")
for i, obj in enumerate(objectives):
    want, got = verdict(obj), page.text.get(f"verdict-{i}")
    if got is None or got.strip() != want:
        errors.append(f"objective {obj.get('id')}: verdict {want!r}, page shows {got!r}")
    elif f"v-{want}" not in page.cls[f"verdict-{i}"].split():
        errors.append(f"objective {obj.get('id')}: verdict not coloured as {want}")
cells = [k for k in page.text if k.startswith(("cop-", "verdict-", "aware-"))]
want = len(incidents) + len(objectives) + len(report["awareness"])
if len(cells) != want:
    errors.append(f"the page has {len(cells)} COP, verdict and awareness cells, "
                  f"report.json {want}")
if errors:
    sys.exit("\n".join("  " + e for e in errors))
PY
}

for dir in "$@"; do
  html=$dir/report.html json=$dir/report.json
  if [ ! -f "$html" ] || [ ! -f "$json" ]; then
    echo "FAIL: $dir has no report.html and report.json"; failures=$((failures + 1)); continue
  fi
  check "$dir: the file is self-contained, well-formed XML" self_contained "$html"
  if ! render "$html"; then
    echo "FAIL: $dir: chromium renders the page"; failures=$((failures + 1)); continue
  fi
  passed=$((passed + 1))
  check "$dir: no console message" no_console_message
  check "$dir: report.json's figures appear" figures_shown "$json" "$work/dom.html"
done

finish
