#!/usr/bin/env bash
# End-to-end tests of --set on the flagship scenario: an override changes the
# run (ANSSI, a catalogue entry the scenario extends, takes 6h to handle an
# alert), the log and report.json record it, the same seed and overrides give
# the same bytes, and a bad override is reported at its position in the
# option, with exit status 1 and nothing written.
set -u
tocsin=${1:?usage: overrides.sh TOCSIN SOURCE_DIR}
src=${2:?usage: overrides.sh TOCSIN SOURCE_DIR}
flagship=$src/scenarios/hospital-ransomware.yaml
. "$(dirname "$0")/common.bash"

slow_anssi=actors.anssi.handling.alert=6h
check "run without overrides" status_is 0 "$tocsin" run "$flagship" --seed 7 --out "$work/base" --quiet
check "run with overrides" status_is 0 "$tocsin" run "$flagship" --seed 7 --out "$work/set" --quiet \
  --set "$slow_anssi" --set actors.hospital-it.staff=1 --set=exercise.duration=3d

# The run changed, beyond its first record.
check "the events differ" bash -c "! cmp -s <(tail -n +2 '$work/base/events.jsonl') <(tail -n +2 '$work/set/events.jsonl')"
handling_of_alerts_to_anssi() { # log: the handling times of alerts ANSSI handled, one a line
  python3 - "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["event"] == "message-handled" and r["to"] == "anssi" and r["kind"] == "alert":
        print(r["wait"]["handling"])
EOF
}
handling_of_alerts_to_anssi "$work/set/events.jsonl" >"$work/set-handling"
handling_of_alerts_to_anssi "$work/base/events.jsonl" >"$work/base-handling"
check "ANSSI handled alerts" test -s "$work/set-handling"
check "each in exactly 6h" bash -c "[ \"\$(sort -u '$work/set-handling')\" = 21600000 ]"
check "not so without the override" bash -c "! grep -qx 21600000 '$work/base-handling'"
check "the run ends at the new duration" grep -q '"event":"run-ended".*"t":259200000\|"t":259200000,"event":"run-ended"' "$work/set/events.jsonl"

# The log and the report record the overrides, in order.
sets='"sets":\["actors.anssi.handling.alert=6h","actors.hospital-it.staff=1","exercise.duration=3d"\]'
check "the log records the overrides" bash -c "head -n 1 '$work/set/events.jsonl' | grep -q '\"includes\":\[[^]]*\],$sets,'"
check "none without" bash -c "head -n 1 '$work/base/events.jsonl' | grep -q '\"sets\":\[\],'"
check "report.json records them" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))['scenario']['sets']
sys.exit(s != ['actors.anssi.handling.alert=6h', 'actors.hospital-it.staff=1', 'exercise.duration=3d'])
" "$work/set/report.json"
check "report.json follows its schema" python3 "$src/tests/e2e/check_report.py" "$src/docs/report-schema.md" "$work/set"
check "report from the log" status_is 0 "$tocsin" report "$work/set/events.jsonl" --format json --out "$work/from-log"
check "the same report.json" cmp -s "$work/set/report.json" "$work/from-log/report.json"

# The same seed and overrides: the same bytes.
check "run again" status_is 0 "$tocsin" run "$flagship" --seed 7 --out "$work/again" --quiet \
  --set "$slow_anssi" --set actors.hospital-it.staff=1 --set=exercise.duration=3d
check "byte-identical log" cmp -s "$work/set/events.jsonl" "$work/again/events.jsonl"
check "byte-identical report" cmp -s "$work/set/report.json" "$work/again/report.json"
# The order matters: the later override of a path wins.
check "a later override wins" status_is 0 "$tocsin" run "$flagship" --seed 7 --out "$work/later" --quiet \
  --set actors.anssi.handling.alert=1m --set "$slow_anssi" --set actors.hospital-it.staff=1 --set=exercise.duration=3d
check "same run as the last one alone" cmp -s <(tail -n +2 "$work/set/events.jsonl") <(tail -n +2 "$work/later/events.jsonl")

# Bad overrides: the error at its place in the option, exit 1, nothing written.
check "an unknown actor" status_is 1 "$tocsin" run "$flagship" --out "$work/bad1" --set actors.ansi.staff=4
check "named at its column" test "$(cat "$work/err")" = "--set actors.ansi.staff=4:1:8: error: no actor 'ansi' (did you mean 'anssi'?)"
check "nothing written" test ! -e "$work/bad1"
check "a value the loader refuses" status_is 1 "$tocsin" run "$flagship" --out "$work/bad2" --set actors.anssi.staff=-1
check "reported at the value" test "$(cat "$work/err")" = "--set actors.anssi.staff=-1:1:20: error: integer -1 is out of range (expected 0 to 100000)"
check "nothing written either" test ! -e "$work/bad2"
check "no '='" status_is 1 "$tocsin" run "$flagship" --out "$work/bad3" --set actors.anssi.staff
check "says so" test "$(cat "$work/err")" = "--set actors.anssi.staff:1:19: error: expected '=' and a value after the path (PATH=VALUE)"
check "--set without its argument" status_is 2 "$tocsin" run "$flagship" --set
check "a usage error" grep -q -- "--set needs PATH=VALUE" "$work/err"

# validate applies the overrides to each scenario.
check "validate with an override" status_is 0 "$tocsin" validate "$flagship" --set "$slow_anssi"
check "validate with a bad one" status_is 1 "$tocsin" validate --set exercise.duration=0s "$flagship" \
  "$src/scenarios/hospital-ransomware.yaml"
check "reported for each scenario" test "$(grep -c -- '^--set exercise.duration=0s:1:19: error: expected an exercise duration between 1ms and 366d' "$work/err")" = 2

finish
