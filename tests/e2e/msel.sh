#!/usr/bin/env bash
# End-to-end tests of `tocsin msel export|import`:
#   - every scenario of the library (scenarios/*.yaml, whatever it holds) makes
#     the round trip: exported, imported into a copy of the library, the copy
#     validates and exports to the same CSV, and a run of the copy gives the
#     same event log as the original's (the first record, run-started, names
#     the file and its SHA-256: only its resolved injects are compared);
#   - a bad CSV is reported at file:row:column with exit status 1 and leaves
#     the scenario as it was; --check and --out write nothing else; the file
#     keeps its permissions and stays behind its symbolic link;
#   - usage errors exit with 2.
set -u
tocsin=${1:?usage: msel.sh TOCSIN SOURCE_DIR}
src=${2:?usage: msel.sh TOCSIN SOURCE_DIR}
. "$(dirname "$0")/common.bash"

# Scripts and doctrines are named relative to the scenarios: copy them all.
cp -R "$src/scenarios" "$work/library"

same_injects() { # two event logs: their run-started records resolve the same injects
  python3 - "$1" "$2" <<'PY'
import json, sys
injects = [json.loads(open(p, encoding="utf-8").readline())["scenario"]["injects"]
           for p in sys.argv[1:3]]
sys.exit(0 if injects[0] == injects[1] else 1)
PY
}

shopt -s nullglob
scenarios=("$src"/scenarios/*.yaml)
check "the library has scenarios" test "${#scenarios[@]}" -gt 0
for f in "${scenarios[@]}"; do
  name=$(basename "$f" .yaml)
  copy=$work/library/$name.yaml
  csv=$work/$name.csv
  check "$name: export" status_is 0 "$tocsin" msel export "$f" --out "$csv"
  check "$name: import into the copy" status_is 0 "$tocsin" msel import "$csv" --into "$copy"
  check "$name: the copy validates" status_is 0 "$tocsin" validate "$copy"
  check "$name: the copy exports to the same CSV" \
    bash -c "'$tocsin' msel export '$copy' | cmp -s - '$csv'"
  check "$name: run the original" status_is 0 "$tocsin" run "$f" --seed 11 --report none \
    --quiet --out "$work/run-$name-a"
  check "$name: run the copy" status_is 0 "$tocsin" run "$copy" --seed 11 --report none \
    --quiet --out "$work/run-$name-b"
  check "$name: the same events after run-started" \
    cmp -s <(tail -n +2 "$work/run-$name-a/events.jsonl") <(tail -n +2 "$work/run-$name-b/events.jsonl")
  check "$name: the same resolved injects" \
    same_injects "$work/run-$name-a/events.jsonl" "$work/run-$name-b/events.jsonl"
done

# A scenario of our own, to break.
cat >"$work/s.yaml" <<'YAML'
# Our scenario.
exercise: {name: msel, start: 2024-03-01T09:00:00Z, duration: 2d}
actors:
  - {id: victim, level: technical, handling: {default: 10m}}
  - {id: cert, level: technical, handling: {default: 10m}}
incidents: [{id: attack, required: [victim, cert]}]
injects:
  - {id: first, at: T+1h, to: cert, kind: alert}
YAML
cp "$work/s.yaml" "$work/saved.yaml"
cat >"$work/bad.csv" <<'CSV'
id,time,to,kind,description
a1,D+1 H+02 M+30,cret,alert,"two
lines"
a2,T+2h,victim,alrt,
CSV
check "a bad CSV is invalid" status_is 1 "$tocsin" msel import "$work/bad.csv" --into "$work/s.yaml"
check "its unknown actor at row:column" \
  grep -qx "$work/bad.csv:2:3: error: unknown actor 'cret' (did you mean 'cert'?)" "$work/err"
check "its unknown kind at row:column (a two-line record is one row)" \
  grep -qx "$work/bad.csv:3:4: error: unknown message kind 'alrt' (did you mean 'alert'?)" "$work/err"
check "the scenario is untouched" cmp -s "$work/s.yaml" "$work/saved.yaml"
check "no file is left behind" test -z "$(ls "$work" | grep -F '.tmp-')"
check "--check of a bad CSV is invalid" status_is 1 "$tocsin" msel import "$work/bad.csv" --into "$work/s.yaml" --check
printf 'id,tmie\n' >"$work/header.csv"
check "an unknown column is invalid" status_is 1 "$tocsin" msel import "$work/header.csv" --into "$work/s.yaml"
check "it is named with a hint" grep -q "header.csv:1:2: error: unknown column 'tmie' (did you mean 'time'?)" "$work/err"
check "a missing CSV is invalid" status_is 1 "$tocsin" msel import "$work/nothing.csv" --into "$work/s.yaml"
check "the scenario is still untouched" cmp -s "$work/s.yaml" "$work/saved.yaml"

sed -e 's/cret/cert/' -e 's/alrt/alert/' "$work/bad.csv" >"$work/good.csv"
check "--check of a good CSV" status_is 0 "$tocsin" msel import "$work/good.csv" --into "$work/s.yaml" --check
check "--check says so" grep -q "good.csv: valid: 2 injects" "$work/out"
check "--check writes nothing" cmp -s "$work/s.yaml" "$work/saved.yaml"
check "--out" status_is 0 "$tocsin" msel import "$work/good.csv" --into "$work/s.yaml" --out "$work/other.yaml"
check "--out leaves the scenario alone" cmp -s "$work/s.yaml" "$work/saved.yaml"
check "--out writes a valid scenario" status_is 0 "$tocsin" validate "$work/other.yaml"
check "with both injects" grep -q "2 injects" "$work/out"
check "and the comment at the top" bash -c "head -n 1 '$work/other.yaml' | grep -qx '# Our scenario.'"
check "the time as written" grep -qF 'at: "D+1 H+02 M+30"' "$work/other.yaml"

# In place, through a symbolic link, keeping the permissions.
chmod 640 "$work/s.yaml"
ln -s s.yaml "$work/link.yaml"
check "import in place" status_is 0 "$tocsin" msel import "$work/good.csv" --into "$work/link.yaml"
check "the link is still a link" test -L "$work/link.yaml"
check "the file is changed" cmp -s "$work/s.yaml" "$work/other.yaml"
check "its permissions are kept" test "$(stat -c %a "$work/s.yaml")" = 640
check "export of the result" status_is 0 "$tocsin" msel export "$work/s.yaml"
check "has both rows" test "$(grep -c '^a[12],' "$work/out")" -eq 2
check "the two-line description quoted" grep -q '^a1,T+1d02:30:00,attack,,cert,,alert,high,AMBER,,"two$' "$work/out"

# Export errors and usage errors.
printf 'exercise: {name: x}\n' >"$work/invalid.yaml"
check "export of an invalid scenario" status_is 1 "$tocsin" msel export "$work/invalid.yaml"
check "export writes no file then" test ! -e "$work/invalid.csv"
check "msel alone is a usage error" status_is 2 "$tocsin" msel
check "an unknown subcommand" status_is 2 "$tocsin" msel frobnicate
check "export without a scenario" status_is 2 "$tocsin" msel export
check "import without --into" status_is 2 "$tocsin" msel import "$work/good.csv"
check "--into without a file" status_is 2 "$tocsin" msel import "$work/good.csv" --into
check "an unknown option" status_is 2 "$tocsin" msel export "$work/s.yaml" --format csv
check "--into is import's" status_is 2 "$tocsin" msel export "$work/s.yaml" --into x.yaml
check "two CSV files" status_is 2 "$tocsin" msel import a.csv b.csv --into "$work/s.yaml"
check "--check with --out" status_is 2 "$tocsin" msel import "$work/good.csv" --into "$work/s.yaml" --check --out x.yaml
check "msel --help" status_is 0 "$tocsin" msel --help
check "the help names both" grep -q "tocsin msel import MSEL.csv --into SCENARIO" "$work/out"
check "msel import --help" status_is 0 "$tocsin" msel import --help
check "the command list names msel" bash -c "'$tocsin' help | grep -q 'msel export SCENARIO'"

finish
