#!/usr/bin/env bash
# End-to-end tests of the report: what `tocsin run` writes next to its log,
# `tocsin report` giving the same files from the log alone, determinism,
# errors on damaged logs with their line numbers, and the summary's colour.
set -u
tocsin=${1:?usage: report.sh TOCSIN SOURCE_DIR}
src=${2:?usage: report.sh TOCSIN SOURCE_DIR}
flagship=$src/scenarios/hospital-ransomware.yaml
. "$(dirname "$0")/common.bash"

same_reports() { # two directories hold the same report files, byte for byte
  local f n=0
  for f in "$1"/report.json "$1"/report.html "$1"/*.csv; do
    [ -e "$f" ] || { echo "  missing $f"; return 1; }
    cmp -s "$f" "$2/$(basename "$f")" || { echo "  $(basename "$f") differs"; return 1; }
    n=$((n + 1))
  done
  [ "$n" -ge 4 ]
}

check "run writes the report" status_is 0 "$tocsin" run "$flagship" --seed 3 --out "$work/a"
cp "$work/out" "$work/run-summary"
for f in events.jsonl report.json report.html actors.csv hops.csv objectives.csv; do
  check "run wrote $f" test -s "$work/a/$f"
done
check "the summary names the objectives" grep -q "nis2-early-warning" "$work/run-summary"
check "the summary names the common picture" grep -qi "common operational picture" "$work/run-summary"
check "no colour in a pipe" bash -c "! grep -q $'\e\\[' '$work/run-summary'"
check "no temporary files left" bash -c "! ls -a '$work/a' | grep -q tmp"

# The same run again: the same bytes; the report recomputed from the log:
# the same bytes as well.
check "run again" status_is 0 "$tocsin" run "$flagship" --seed 3 --out "$work/b" --quiet
check "--quiet prints nothing" test ! -s "$work/out"
check "same seed, same report" same_reports "$work/a" "$work/b"
check "report from the log" status_is 0 "$tocsin" report "$work/a/events.jsonl" --out "$work/c"
check "run and report agree" same_reports "$work/a" "$work/c"
check "report prints the same summary" cmp -s "$work/out" <(grep -v '^  event log: \|^  report: ' "$work/run-summary")
check "report --format text writes nothing" status_is 0 "$tocsin" report "$work/a/events.jsonl" --format text --out "$work/d"
check "only the summary" test ! -e "$work/d/report.json"
check "report --format json" status_is 0 "$tocsin" report "$work/a/events.jsonl" --format json --out "$work/e"
check "only report.json" bash -c "[ -s '$work/e/report.json' ] && [ ! -e '$work/e/report.html' ] && [ ! -s '$work/out' ]"
check "report.json names the run" bash -c "grep -q '\"seed\": *3' '$work/e/report.json'"
check "run --report none" status_is 0 "$tocsin" run "$flagship" --report none --out "$work/f"
check "--report none writes the log only" bash -c "[ -s '$work/f/events.jsonl' ] && [ ! -e '$work/f/report.json' ]"
# A new log never sits next to an older run's report.
cp -r "$work/a" "$work/stale"
check "run --report none over a report" status_is 0 "$tocsin" run "$flagship" --seed 4 --report none --out "$work/stale"
check "the older report is gone" bash -c "[ ! -e '$work/stale/report.json' ] && [ ! -e '$work/stale/hops.csv' ] && [ ! -e '$work/stale/report.html' ]"
check "run --report json over a report" status_is 0 "$tocsin" run "$flagship" --seed 3 --report json --out "$work/a2"
cp "$work/a/report.html" "$work/a/actors.csv" "$work/a2/"
check "run --report json again" status_is 0 "$tocsin" run "$flagship" --seed 5 --report json --out "$work/a2"
check "only report.json remains" bash -c "[ -s '$work/a2/report.json' ] && [ ! -e '$work/a2/report.html' ] && [ ! -e '$work/a2/actors.csv' ]"
check "run --report csv,text" status_is 0 "$tocsin" run "$flagship" --report csv,text --out "$work/g"
check "csv only" bash -c "[ -s '$work/g/actors.csv' ] && [ ! -e '$work/g/report.html' ] && [ -s '$work/out' ]"

# Usage errors.
check "report without a log" status_is 2 "$tocsin" report
check "an unknown format" status_is 2 "$tocsin" report "$work/a/events.jsonl" --format pdf
check "the unknown format explained" grep -q "tocsin report: --format needs" "$work/err"
check "run --report with an unknown format" status_is 2 "$tocsin" run "$flagship" --report json,,csv

# Damaged logs: a clear error with the line number, exit 1, nothing written.
lines=$(wc -l <"$work/a/events.jsonl")
head -n $((lines - 1)) "$work/a/events.jsonl" >"$work/truncated.jsonl"
check "a truncated log" status_is 1 "$tocsin" report "$work/truncated.jsonl" --out "$work/t"
check "the truncation explained" grep -q "truncated.jsonl:$((lines - 1)):.*without run-ended" "$work/err"
check "nothing written for it" test ! -e "$work/t/report.json"
head -c $(( $(stat -c %s "$work/a/events.jsonl") - 20 )) "$work/a/events.jsonl" >"$work/cut.jsonl"
check "a log cut mid-line" status_is 1 "$tocsin" report "$work/cut.jsonl" --out "$work/t"
check "the cut line is named" grep -q "cut.jsonl:$lines:" "$work/err"
sed '5s/.*/{"seq": 4, "t": oops}/' "$work/a/events.jsonl" >"$work/corrupt.jsonl"
check "a corrupted line" status_is 1 "$tocsin" report "$work/corrupt.jsonl" --out "$work/t"
check "the corrupted line is named" grep -q "corrupt.jsonl:5:" "$work/err"
check "a missing log" status_is 1 "$tocsin" report "$work/none.jsonl"
check "the missing log is named" grep -q "none.jsonl" "$work/err"

# Colour only on a terminal, never with NO_COLOR (script(1) gives a TTY).
if command -v script >/dev/null 2>&1; then
  check "colour on a terminal" bash -c "script -qec '\"$tocsin\" report \"$work/a/events.jsonl\" --format text' /dev/null | grep -q $'\e\\['"
  check "no colour with NO_COLOR" bash -c "NO_COLOR=1 script -qec '\"$tocsin\" report \"$work/a/events.jsonl\" --format text' /dev/null | { ! grep -q $'\e\\['; }"
fi

finish
