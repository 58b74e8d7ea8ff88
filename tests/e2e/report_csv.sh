#!/usr/bin/env bash
# The report files of real runs, read back by parsers that are not tocsin's:
# tests/e2e/check_report.py reads report.json with Python's json module and
# every CSV file with its csv module, and checks them against the tables of
# docs/report-schema.md (keys, columns, order, types, where null or empty is
# allowed). Also: `tocsin report` rewrites the same bytes from the log, and
# text with commas and quotes comes back exactly.
set -u
tocsin=${1:?usage: report_csv.sh TOCSIN SOURCE_DIR}
src=${2:?usage: report_csv.sh TOCSIN SOURCE_DIR}
schema=$src/docs/report-schema.md
checker=$src/tests/e2e/check_report.py
. "$(dirname "$0")/common.bash"

if ! command -v python3 >/dev/null; then
  echo "FAIL: python3 is needed to read the report back (scripts/deps installs it)"
  exit 1
fi

runs() { # command...: succeeds quietly, or shows its error
  "$@" >"$work/out" 2>"$work/err" || { echo "  exit status $?: $*"; cat "$work/err"; return 1; }
}
cell() { # file, row (from 1 after the header), column name: the parsed cell
  python3 - "$@" <<'PY'
import csv, sys
path, row, col = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
sys.stdout.write(rows[row - 1][col])
PY
}
cell_is() { # file, row, column, expected text
  local got
  got=$(cell "$1" "$2" "$3") || return 1
  [ "$got" = "$4" ] || { echo "  $(basename "$1") row $2 $3: '$got', expected '$4'"; return 1; }
}

# A small exercise with text that needs quoting, a message lost for want of
# a channel, an actor never aware, and objectives met, missed and open.
cat >"$work/small.yaml" <<'YAML'
exercise: {name: 'Report, "CSV" check', start: 2024-03-01T09:00:00Z, duration: 1d}
actors:
  - {id: soc, name: 'Security team, "blue"', level: technical, handling: {default: 10m}}
  - {id: ministry, name: Ministry, level: strategic, handling: {default: 30m}}
  - {id: island, level: political, handling: {default: 10m}}
channels:
  - {id: phone, latency: 5m, pairs: [[soc, ministry]]}
incidents:
  - {id: attack, title: 'Ransomware, wave "1"', required: [soc, ministry, island]}
doctrine:
  rules:
    - {actor: soc, on: alert, send: {kind: early-warning, to: [ministry, island]}}
injects:
  - {id: note, at: 1h, kind: alert, to: soc}
objectives:
  - {id: warn, subject: soc, event: {sends: early-warning, to: ministry}, within: 2h}
  - {id: island-aware, subject: island, event: aware, within: 4h}
  - {id: island-month, subject: island, event: aware, within: 30d}
YAML
# Each part stops at its run when the run fails: its checks would only
# repeat that failure.
part() { # name, then the command that runs it
  local name=$1; shift
  if runs "$@"; then passed=$((passed + 1)); return 0; fi
  echo "FAIL: $name"; failures=$((failures + 1)); return 1
}
same_from_log() { # a report directory: tocsin report rewrites the same bytes
  part "tocsin report on $(basename "$1")/events.jsonl" "$tocsin" report "$1/events.jsonl" --out "$1-again" --format json,csv --quiet || return
  local f
  for f in "$1"/*.csv "$1/report.json"; do
    check "$(basename "$1")/$(basename "$f") is the same from the log" cmp -s "$f" "$1-again/$(basename "$f")"
  done
}

if part "run the small exercise" "$tocsin" run "$work/small.yaml" --out "$work/small" --report json,csv --quiet; then
  check "its report is as documented" python3 "$checker" "$schema" "$work/small"
  check "a name with a comma and quotes reads back" cell_is "$work/small/actors.csv" 1 name 'Security team, "blue"'
  check "so does a title" cell_is "$work/small/incidents.csv" 1 title 'Ransomware, wave "1"'
  check "and the exercise's name" cell_is "$work/small/run.csv" 1 scenario 'Report, "CSV" check'
  check "the quoting is RFC 4180's" grep -qF 'soc,"Security team, ""blue""",technical,' "$work/small/actors.csv"
  check "never aware is an empty cell" cell_is "$work/small/awareness.csv" 3 at_ms ""
  check "aware is a time" cell_is "$work/small/awareness.csv" 1 at_ms 4200000
  check "the common picture is not reached" cell_is "$work/small/incidents.csv" 1 cop_at_ms ""
  check "the lost message says why" cell_is "$work/small/hops.csv" 3 lost_reason "no channel connects sender and receiver"
  check "met" cell_is "$work/small/objectives.csv" 1 verdict met
  check "missed" cell_is "$work/small/objectives.csv" 2 reason never
  check "open" cell_is "$work/small/objectives.csv" 3 verdict open
  check "no temporary file is left" bash -c "! ls '$work/small' | grep -q tmp"
  same_from_log "$work/small"
fi

if part "run the flagship" "$tocsin" run "$src/scenarios/hospital-ransomware.yaml" --out "$work/flagship" --report json,csv --quiet; then
  check "the flagship's report is as documented" python3 "$checker" "$schema" "$work/flagship"
  same_from_log "$work/flagship"
fi

finish
