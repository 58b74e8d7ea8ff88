#!/usr/bin/env bash
# End-to-end tests of `tocsin validate` and `tocsin run`: exit codes, error
# positions, byte-identical logs, and no half-written output.
set -u
tocsin=${1:?usage: cli.sh TOCSIN SOURCE_DIR}
src=${2:?usage: cli.sh TOCSIN SOURCE_DIR}
flagship=$src/scenarios/hospital-ransomware.yaml
. "$(dirname "$0")/common.bash"


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

# Lua: --script (run and validate), the Lua budgets and the error policy.
usage_says() { # pattern: the usage error names the option and points at --help
  grep -q -- "$1" "$work/err" && grep -q "(see 'tocsin .* --help')" "$work/err"
}
printf 'local n = 1\n' >"$work/extra.lua"
printf 'return {}\n' >"$work/handlers.lua"
printf 'local m = 2\n' >"$work/more.lua"
for bad in 0 512K 1023K 64X M -1 18446744073709551616 ""; do
  check "--lua-memory '$bad' is a usage error" status_is 2 "$tocsin" run "$flagship" "--lua-memory=$bad"
  check "--lua-memory '$bad' explained" usage_says "tocsin run: --lua-memory needs a size of at least 1M"
done
check "--lua-memory without a value" status_is 2 "$tocsin" run "$flagship" --lua-memory
for bad in 0 -5 ten 18446744073709551616; do
  check "--lua-instructions '$bad' is a usage error" status_is 2 "$tocsin" run "$flagship" --lua-instructions "$bad"
  check "--lua-instructions '$bad' explained" usage_says "tocsin run: --lua-instructions needs a whole number above 0"
done
check "--on-script-error=maybe is a usage error" status_is 2 "$tocsin" run "$flagship" --on-script-error=maybe
check "--on-script-error=maybe explained" usage_says "tocsin run: --on-script-error needs stop or continue, not 'maybe'"
check "--on-script-error without a value" status_is 2 "$tocsin" run "$flagship" --on-script-error
check "run --script without a file" status_is 2 "$tocsin" run "$flagship" --script
check "run --script= without a file" status_is 2 "$tocsin" run "$flagship" --script=
check "run --script explained" usage_says "tocsin run: --script needs a file"
check "validate --script without a file" status_is 2 "$tocsin" validate "$flagship" --script
check "validate --script explained" usage_says "tocsin validate: --script needs a file"
check "validate --script a missing file" status_is 1 "$tocsin" validate "$flagship" --script "$work/missing.lua"
check "the missing script is named" grep -qx "$work/missing.lua: error: cannot open '$work/missing.lua': No such file or directory" "$work/err"
check "validate --script and a Lua doctrine" status_is 0 "$tocsin" validate "$flagship" --script "$work/extra.lua" --doctrine "$work/handlers.lua"
# The flagship's own script (scripts:) comes first, then those of --script.
check "validate counts them" grep -q "0 doctrine rules and Lua handlers, 2 scripts$" "$work/out"
check "run with every Lua option" status_is 0 "$tocsin" run "$flagship" --script "$work/extra.lua" --script="$work/more.lua" \
  --doctrine "$work/handlers.lua" --lua-memory 64M --lua-instructions 1000 --on-script-error=continue --out "$work/lua" --quiet
check "the log names the scripts" bash -c "head -n 1 '$work/lua/events.jsonl' | grep -qF '\"scripts\":[{\"name\":\"$src/scenarios/hospital-ransomware.lua\",\"role\":\"injects\",\"extra\":false,'"
check "the log names --script's" bash -c "head -n 1 '$work/lua/events.jsonl' | grep -qF '{\"name\":\"$work/extra.lua\",\"role\":\"injects\",\"extra\":true,'"
check "the log names the doctrine's script" bash -c "head -n 1 '$work/lua/events.jsonl' | grep -qF '\"script\":{\"name\":\"$work/handlers.lua\",\"role\":\"doctrine\"'"
check "sizes in K and G are accepted" status_is 0 "$tocsin" run "$flagship" --lua-memory 1024k --out "$work/k" --quiet
check "sizes in G are accepted" status_is 0 "$tocsin" run "$flagship" --lua-memory=1G --on-script-error stop --out "$work/g" --quiet

finish
