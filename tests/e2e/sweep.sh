#!/usr/bin/env bash
# tocsin sweep and tocsin merge end to end (docs/sweep.md): a replication of
# the sweep is the run `tocsin run --replication I` makes; the files are
# byte-identical whatever --jobs; shards merge into the unsharded sweep; the
# summary agrees with an independent recomputation from the rows; errors
# write nothing.
# Usage: sweep.sh TOCSIN SOURCE_DIR
set -u
tocsin=$1 src=$2
. "$src/tests/e2e/common.bash"
flagship=$src/scenarios/hospital-ransomware.yaml
files=(replications.csv summary.json sweep.json)

same_dirs() { # dir dir: the three files byte-identical
  local f
  for f in "${files[@]}"; do cmp -s "$1/$f" "$2/$f" || { echo "  $1/$f differs from $2/$f"; return 1; }; done
}

# --- determinism across --jobs -------------------------------------------------
check "sweep, 1 job" status_is 0 "$tocsin" sweep "$flagship" -n 40 --jobs 1 --out "$work/j1" --quiet
check "sweep, 2 jobs" status_is 0 "$tocsin" sweep "$flagship" -n 40 --jobs 2 --out "$work/j2" --quiet
check "sweep, 3 jobs" status_is 0 "$tocsin" sweep "$flagship" -n 40 --jobs 3 --out "$work/j3" --quiet
check "--jobs 2 gives the files of --jobs 1" same_dirs "$work/j1" "$work/j2"
check "--jobs 3 gives the files of --jobs 1" same_dirs "$work/j1" "$work/j3"
check "one row per replication, in order" \
  bash -c "[ \"\$(cut -d, -f1 '$work/j1/replications.csv' | tail -n +2 | tr '\n' ' ')\" = \"\$(seq 0 39 | tr '\n' ' ')\" ]"
check "--quiet writes nothing on stdout or stderr" bash -c "[ ! -s '$work/out' ] && [ ! -s '$work/err' ]"

# --- the summary against an independent recomputation ------------------------
if command -v python3 >/dev/null; then
  check "summary.json agrees with the rows" python3 "$src/tests/e2e/check_summary.py" "$work/j1"
fi

# --- a replication of the sweep is `tocsin run --replication I` ----------------
check "sweep keeping logs" status_is 0 "$tocsin" sweep "$flagship" -n 20 --keep-logs --jobs 2 \
  --out "$work/logs" --quiet
check "kept logs give the same rows" cmp -s "$work/logs/replications.csv" \
  <(head -21 "$work/j1/replications.csv")
for i in 0 13; do
  check "run --replication $i" status_is 0 "$tocsin" run "$flagship" --replication "$i" \
    --report none --quiet --out "$work/run$i"
  check "replication $i's log is the run's" cmp "$work/logs/logs/replication-$i.jsonl" \
    "$work/run$i/events.jsonl"
done
check "plain run" status_is 0 "$tocsin" run "$flagship" --report none --quiet --out "$work/run"
check "a plain run is replication 0" cmp "$work/run/events.jsonl" "$work/run0/events.jsonl"
check "another seed" status_is 0 "$tocsin" sweep "$flagship" -n 5 --seed 7 --out "$work/s7" --quiet
check "another seed gives other rows" bash -c "! cmp -s <(head -6 '$work/j1/replications.csv') '$work/s7/replications.csv'"

# --- shards and merge ----------------------------------------------------------
check "shard 0:7" status_is 0 "$tocsin" sweep "$flagship" -n 40 --replications 0:7 --out "$work/a" --quiet
check "shard 7:31" status_is 0 "$tocsin" sweep "$flagship" -n 40 --replications 7:31 --jobs 2 --out "$work/b" --quiet
check "shard 31:40" status_is 0 "$tocsin" sweep "$flagship" -n 40 --replications 31:40 --out "$work/c" --quiet
check "merge, in any order" status_is 0 "$tocsin" merge "$work/c" "$work/a" "$work/b" --out "$work/merged" --quiet
check "merged shards are the unsharded sweep" same_dirs "$work/j1" "$work/merged"
check "a gap is refused" status_is 1 "$tocsin" merge "$work/a" "$work/c" --out "$work/gap"
check "the gap is named" grep -q "replications 7 to 30 are missing" "$work/err"
check "an overlap is refused" status_is 1 "$tocsin" merge "$work/a" "$work/j1" --out "$work/overlap"
check "the overlap is named" grep -q "overlap: both have replication 0" "$work/err"
check "another sweep's shard is refused" status_is 1 "$tocsin" merge "$work/a" "$work/s7" --out "$work/other"
check "the difference is named" grep -q "not the same sweep: the seed differs" "$work/err"
check "nothing written by failed merges" bash -c "[ ! -e '$work/gap/summary.json' ] && [ ! -e '$work/other/replications.csv' ]"
printf '{"format":"tocsin-sweep"' >"$work/a/sweep.json.bad" && mkdir -p "$work/bad" && cp "$work/a/replications.csv" "$work/bad/" && mv "$work/a/sweep.json.bad" "$work/bad/sweep.json"
check "a damaged sweep.json is refused" status_is 1 "$tocsin" merge "$work/bad" "$work/b" --out "$work/x"
check "with where it is damaged" grep -q "bad/sweep.json: line 1" "$work/err"

# --- errors write nothing and leave an earlier sweep as it was -----------------
cp -r "$work/j1" "$work/keep"
check "a failing replication fails the sweep" status_is 1 "$tocsin" sweep "$flagship" -n 10 --max-events 50 --out "$work/keep" --quiet
check "it names the replication" grep -q "replication 0: " "$work/err"
check "the earlier sweep is untouched" same_dirs "$work/j1" "$work/keep"
check "no temporary file is left" bash -c "[ \$(ls -A '$work/keep' | wc -l) -eq 3 ]"
check "-n 0 is a usage error" status_is 2 "$tocsin" sweep "$flagship" -n 0
check "a reversed slice is a usage error" status_is 2 "$tocsin" sweep "$flagship" -n 10 --replications 5:3
check "a slice past -n is a usage error" status_is 2 "$tocsin" sweep "$flagship" -n 10 --replications 5:11
check "the slice error says why" grep -q "goes past -n 10" "$work/err"
check "an invalid scenario" status_is 1 "$tocsin" sweep "$src/tests/data/does-not-exist.yaml" --out "$work/none"
check "writes no directory" test ! -e "$work/none"

# --- --set and --grid ------------------------------------------------------------
check "grid of two values" status_is 0 "$tocsin" sweep "$flagship" -n 12 --jobs 2 \
  --grid actors.anssi.staff=1,4 --out "$work/grid" --quiet
check "a set" status_is 0 "$tocsin" sweep "$flagship" -n 12 --set actors.anssi.staff=4 \
  --out "$work/set4" --quiet
check "12 rows per combination, the grid's value first" \
  bash -c "[ \"\$(cut -d, -f1 '$work/grid/replications.csv' | tail -n +2 | uniq -c | tr -s ' ')\" = \"\$(printf ' 12 1\n 12 4')\" ]"
check "a combination's rows are the sweep with its --set" \
  cmp <(grep '^4,' "$work/grid/replications.csv" | cut -d, -f2-) <(tail -n +2 "$work/set4/replications.csv")
check "the override changes the runs" bash -c "! cmp -s <(grep '^1,' '$work/grid/replications.csv' | cut -d, -f2-) <(grep '^4,' '$work/grid/replications.csv' | cut -d, -f2-)"
check "sweep.json records the set" grep -q '"sets":\["actors.anssi.staff=4"\]' "$work/set4/sweep.json"
if command -v python3 >/dev/null; then
  check "the grid's summary agrees with its rows" python3 "$src/tests/e2e/check_summary.py" "$work/grid"
fi
check "grid shards merge" status_is 0 "$tocsin" sweep "$flagship" -n 12 --replications 0:5 \
  --grid actors.anssi.staff=1,4 --out "$work/gs1" --quiet
check "grid shard 2" status_is 0 "$tocsin" sweep "$flagship" -n 12 --replications 5:12 \
  --grid actors.anssi.staff=1,4 --out "$work/gs2" --quiet
check "merge grid shards" status_is 0 "$tocsin" merge "$work/gs1" "$work/gs2" --out "$work/gm" --quiet
check "merged grid shards are the grid" same_dirs "$work/grid" "$work/gm"
check "an empty grid value" status_is 2 "$tocsin" sweep "$flagship" --grid actors.anssi.staff=1,,4
check "a grid on an unknown actor" status_is 1 "$tocsin" sweep "$flagship" -n 2 \
  --grid actors.ansi.staff=1,2 --out "$work/badgrid"
check "is reported at its column" grep -q "^--set actors.ansi.staff=1:1:8: " "$work/err"

# --- progress only on a terminal -----------------------------------------------
check "no progress when stderr is not a terminal" status_is 0 "$tocsin" sweep "$flagship" -n 3 --out "$work/p"
check "stderr empty" test ! -s "$work/err"
if script -qec true /dev/null >/dev/null 2>&1; then
  check "progress on a terminal" bash -c "script -qec '$tocsin sweep $flagship -n 30 --out $work/tty' /dev/null | grep -q 'runs/s'"
fi

finish
