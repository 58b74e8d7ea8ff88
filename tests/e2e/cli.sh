#!/usr/bin/env bash
# End-to-end tests of `tocsin validate` and `tocsin run`: exit codes, error
# positions, byte-identical logs, and no half-written output.
set -u
tocsin=${1:?usage: cli.sh TOCSIN SOURCE_DIR}
src=${2:?usage: cli.sh TOCSIN SOURCE_DIR}
flagship=$src/scenarios/hospital-ransomware.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passed=0

check() { # name, then a command that must succeed
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $name"; failures=$((failures + 1)); fi
}
status_is() { # expected status, command...
  local want=$1; shift
  "$@" >"$work/out" 2>"$work/err"; local got=$?
  [ "$got" -eq "$want" ] || { echo "  exit status $got, expected $want: $*"; cat "$work/err"; return 1; }
}

check "validate the flagship" status_is 0 "$tocsin" validate "$flagship"
check "validate prints a summary" grep -q "valid: 14 actors" "$work/out"

# An invalid scenario: every error with file:line:column, exit 1.
cat >"$work/bad.yaml" <<'YAML'
exercise: {name: bad, start: 2022-08-22T00:00:00Z, duration: 1d}
actors:
  - {id: a, level: tehcnical, staf: 2, handling: {default: 10 minutes}}
incidents: [{id: i, required: [a, b]}]
YAML
check "validate an invalid scenario" status_is 1 "$tocsin" validate "$work/bad.yaml"
check "level typo located" grep -q "bad.yaml:3:20: error: unknown level 'tehcnical' (did you mean 'technical'?)" "$work/err"
check "key typo located" grep -q "bad.yaml:3:31: error: unknown key 'staf' in actor 'a' (did you mean 'staff'?)" "$work/err"
check "bad unit located" grep -q "bad.yaml:3:63: error: unknown unit 'minutes'" "$work/err"
check "undefined reference located" grep -qx "$work/bad.yaml:4:35: error: unknown actor 'b'" "$work/err"
check "all errors reported" grep -q "invalid (4 errors)" "$work/err"

: >"$work/empty.yaml"
check "an empty file is invalid" status_is 1 "$tocsin" validate "$work/empty.yaml"
check "no such file is invalid" status_is 1 "$tocsin" validate "$work/missing.yaml"
check "validate without a file is a usage error" status_is 2 "$tocsin" validate
check "an unknown option is a usage error" status_is 2 "$tocsin" run "$flagship" --sede 3
check "an unknown command is a usage error" status_is 2 "$tocsin" frobnicate
check "a seed out of range is a usage error" status_is 2 "$tocsin" run "$flagship" --seed 9223372036854775808

# Two actor ids whose random-stream numbers collide (found by search).
cat >"$work/collide.yaml" <<'YAML'
exercise: {name: collide, start: 2022-08-22T00:00:00Z, duration: 1d}
actors:
  - {id: a82960, level: technical, handling: {default: 10m}}
  - {id: a118621, level: technical, handling: {default: 10m}}
incidents: [{id: i, required: [a82960]}]
YAML
check "colliding entity ids are refused" status_is 1 "$tocsin" validate "$work/collide.yaml"
check "the collision is explained" grep -q "actors 'a118621' and 'a82960' would draw the same random numbers" "$work/err"
cat >"$work/negative.yaml" <<'YAML'
exercise: {name: negative, start: 2022-08-22T00:00:00Z, duration: 1d}
actors:
  - {id: a, level: technical, handling: {default: -10m}}
incidents: [{id: i, required: [a]}]
YAML
check "a negative handling time is refused" status_is 1 "$tocsin" validate "$work/negative.yaml"
check "the negative value is located" grep -q "negative.yaml:3:51: error: expected a duration of zero or more, got '-10m'" "$work/err"

# Determinism: the same seed gives the same bytes, another seed other bytes.
check "run 1" status_is 0 "$tocsin" run "$flagship" --seed 5 --out "$work/r1"
check "run 2" status_is 0 "$tocsin" run "$flagship" --seed 5 --out "$work/r2" --quiet
check "run 3" status_is 0 "$tocsin" run "$flagship" --seed 6 --out "$work/r3" --quiet
check "same seed, same log" cmp -s "$work/r1/events.jsonl" "$work/r2/events.jsonl"
check "another seed, another log" bash -c "! cmp -s '$work/r1/events.jsonl' '$work/r3/events.jsonl'"
check "--quiet prints nothing" test ! -s "$work/out"
check "the log starts with run-started" bash -c "head -c 60 '$work/r1/events.jsonl' | grep -q '\"event\":\"run-started\"'"
check "the log ends with run-ended" bash -c "tail -n 1 '$work/r1/events.jsonl' | grep -q '\"event\":\"run-ended\"'"

# --until stops early; --doctrine replaces the doctrine.
check "run --until" status_is 0 "$tocsin" run "$flagship" --until 6h --out "$work/until"
check "--until recorded" bash -c "tail -n 1 '$work/until/events.jsonl' | grep -q '\"t\":21600000,\"event\":\"run-ended\",\"reason\":\"until\"'"
cat >"$work/silent.yaml" <<'YAML'
name: silent
rules: []
YAML
check "run --doctrine" status_is 0 "$tocsin" run "$flagship" --doctrine "$work/silent.yaml" --out "$work/silent"
check "the replaced doctrine is in the log" bash -c "head -n 1 '$work/silent/events.jsonl' | grep -q '\"doctrine\":{\"name\":\"silent\"'"

# A run past its event limit fails and writes nothing.
check "run past --max-events" status_is 1 "$tocsin" run "$flagship" --max-events 50 --out "$work/limit"
check "the limit is explained" grep -q "run failed: the run reached its limit of 50 events at T+" "$work/err"
check "no log for it" test ! -e "$work/limit/events.jsonl"

# A run that cannot load writes nothing.
check "run an invalid scenario" status_is 1 "$tocsin" run "$work/bad.yaml" --out "$work/never"
check "nothing written for it" test ! -e "$work/never/events.jsonl"
# An output directory that cannot be created: clear error, exit 1.
: >"$work/file"
check "unwritable output" status_is 1 "$tocsin" run "$flagship" --out "$work/file/sub"
check "the error names the directory" grep -q "cannot create directory" "$work/err"
check "no temporary files left" bash -c "! ls '$work'/r1 | grep -q tmp"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
