#!/usr/bin/env bash
# The milestones of the scenario library (docs/scenarios/README.md): every
# median over 200 runs inside its band, by tests/e2e/milestones.py. First
# the checker itself, so that a pass means something:
#   - its parser, formatter and median on hand-computed values;
#   - a small library of its own whose runs are exactly known (fixed
#     handling and latency): each measure gives the value worked out by hand,
#     a band one millisecond off fails, and a scenario without milestones,
#     milestones without a scenario and faulty tables are page errors with
#     their line;
#   - the flagship with a band it cannot meet fails (exit 1, FAIL), or
#     prints it and exits 0 with --report.
# Skipped (77) without python3.
set -u
tocsin=${1:?usage: milestones.sh TOCSIN SOURCE_DIR}
src=${2:?usage: milestones.sh TOCSIN SOURCE_DIR}
. "$(dirname "$0")/common.bash"

if ! command -v python3 >/dev/null; then
  echo "SKIP: python3 is needed (Debian: python3; scripts/deps --test)"
  exit 77
fi
checker=$src/tests/e2e/milestones.py
milestones() { python3 "$checker" --tocsin "$tocsin" "$@"; }
has() { grep -qF -- "$1" "$work/out" || { echo "  no '$1' in:"; cat "$work/out"; return 1; }; }
says() { grep -qF -- "$1" "$work/err" || { echo "  no '$1' in:"; cat "$work/err"; return 1; }; }

# The pieces, on values worked out by hand.
check "durations, the median and percentiles" python3 -B - "$src/tests/e2e" <<'PY'
import math, sys
sys.path.insert(0, sys.argv[1])
import milestones as m
inf = math.inf
assert m.parse_duration("1d12h30m") == 131400000
assert m.parse_duration("90s") == 90000 and m.parse_duration("500ms") == 500
assert m.parse_duration("1h09m59s999ms") == 4199999 and m.parse_duration("0") == 0
for bad in ("30m1h", "1h1h", "90", "1.5h", "", "2H", "1 h"):
    try:
        m.parse_duration(bad)
        raise SystemExit(f"{bad!r} parsed")
    except ValueError:
        pass
assert m.format_duration(7500000) == "2h05m"
assert m.format_duration(5843553) == "1h37m23s"  # cut to the second
assert m.format_duration(86400000) == "1d" and m.format_duration(88200000) == "1d00h30m"
assert m.format_duration(1500) == "1s500ms" and m.format_duration(0) == "0s"
assert m.format_duration(inf) == "inf"
assert m.median([1, 2, 3, inf]) == 2      # the lower median, not (2 + 3) / 2
assert m.median([1, inf, inf]) == inf and m.median([5, inf]) == 5
assert m.rank(list(range(1, 201)), 0.1) == 20 and m.rank(list(range(1, 201)), 0.9) == 180
assert m.parse_band("1h – 6h", True) == (3600000, 21600000)
assert m.parse_band("1h-6h", True) == m.parse_band("1h .. 6h", True)
assert m.parse_band("≤ 2d", True) == (-inf, 172800000)
assert m.parse_band(">= 3", False) == (3, inf)
for band, time in (("6h – 1h", True), ("1 – 2", True), ("1h – 2h", False), ("about 1h", True)):
    try:
        m.parse_band(band, time)
        raise SystemExit(f"band {band!r} parsed")
    except ValueError:
        pass
PY

# A small library whose runs are known exactly. The incident starts at
# T+30m; the inject reaches a at T+1h, a handles it for 10 min (aware at
# T+1h10m, 40m after the start) and sends an alert to b over a 5 min wire,
# b handles it for 10 min (aware at T+1h25m, 55m after the start); a resends
# every hour twice, as b never acks (attempts 2 and 3). c never hears of it.
lib=$work/lib
mkdir -p "$lib/scenarios" "$lib/docs/scenarios"
cat >"$lib/scenarios/mini.yaml" <<'YAML'
exercise: {name: mini, start: 2022-08-22T08:00:00Z, duration: 1d}
actors:
  - {id: a, level: technical, handling: {default: 10m}}
  - {id: b, level: strategic, handling: {default: 10m}}
  - {id: c, level: political, handling: {default: 10m}}
channels:
  - {id: wire, latency: 5m}
incidents:
  - {id: i, start: 30m, required: [a, b]}
injects:
  - {id: x, at: T+1h, to: a, kind: alert, incident: i}
objectives:
  - {id: b-knows, subject: b, event: aware, within: 1h}
  - {id: c-knows, subject: c, event: aware, within: 1h}
doctrine:
  rules:
    - {actor: a, on: alert, send: {kind: alert, to: b, retry: {after: 1h, max: 2}}}
YAML
page() { # the page's file; the table's rows on stdin
  { printf '# Mini\n\nSome text.\n\n## Milestones\n\nWhat we expect.\n\n'
    printf '| id | milestone | measure | band | source |\n|---|---|---|---|---|\n'
    cat
    printf '\n## Other\n\n| not | a milestone |\n|---|---|\n| x | y |\n'; } >"$1"
}
page "$lib/docs/scenarios/mini.md" <<'MD'
| M1 | a knows | `aware a` | 40m – 40m | by hand |
| M2 | b knows | `aware b i` | 55m-55m | by hand |
| M3 | c never | `aware c` | ≥ 100d | never: +inf |
| M4 | picture | `picture` | 55m..55m | by hand |
| M5 | technical first | `level technical first` | 40m – 40m | by hand |
| M6 | political all | `level political all i` | >= 100d | never |
| M7 | b in time | `objective b-knows` | 55m – 55m | from the start |
| M8 | c never | `objective c-knows` | >= 100d | never |
| M9 | met | `met b-knows` | 1 – 1 | by hand |
| M10 | not met | `met c-knows` | 0 – 0 | by hand |
| M11 | incidents | `incidents` | 1 – 1 | one |
| M12 | not yet | `incidents by 29m` | 0 – 0 | it starts at 30m |
| M13 | first sends | `messages alert` | 2 – 2 | the inject and a's first, not the retries |
| M14 | by 1h10m | `messages any from a to b by 1h10m` | 1 – 1 | created at 1h10m |
| M15 | just before | `messages alert to b by 1h09m59s999ms` | 0 – 0 | created at 1h10m |
| M16 | first to b | `first alert to b` | 1h10m – 1h10m | from T+0 |
| M17 | from a to b | `first alert from a to b` | `1h10m – 1h10m` | the earliest attempt |
| M18 | nothing from c | `first any from c` | >= 100d | never |
| M19 | started | `incidents by 30m` | 1 – 1 | it starts at 30m |
MD
check "the small library: every value as worked out" status_is 0 milestones --root "$lib" --replications 3
check "19 milestones pass" has "19 milestones: 19 inside their band, 0 outside"
check "each on its own line" bash -c "[ \$(grep -c 'PASS\$' '$work/out') -eq 19 ]"
check "medians in human form" grep -Eq '^  M2 +aware b i +55m +55m-55m +55m +55m +PASS$' "$work/out"
check "never reached prints inf" grep -Eq '^  M3 +aware c +inf ' "$work/out"
check "times from T+0" grep -Eq '^  M16 +first alert to b +1h10m ' "$work/out"
check "counts" grep -Eq '^  M13 +messages alert +2 +2 – 2 ' "$work/out"

# One millisecond off fails, and --report still exits 0.
sed -i 's/| `aware a` | 40m – 40m |/| `aware a` | 40m1ms – 1h |/;
        s/| `messages alert` | 2 – 2 |/| `messages alert` | 3 – 4 |/' "$lib/docs/scenarios/mini.md"
check "a band the median misses fails" status_is 1 milestones --root "$lib" --replications 3
check "the failures are named" grep -Eq '^  M1 +aware a +40m +40m1ms – 1h .*FAIL$' "$work/out"
check "retries are not counted" grep -Eq '^  M13 +messages alert +2 .*FAIL$' "$work/out"
check "two failed" has "19 milestones: 17 inside their band, 2 outside"
check "--report exits 0" status_is 0 milestones --root "$lib" --replications 3 --report
check "--report prints the failures" grep -Eq '^  M1 +aware a .*FAIL$' "$work/out"

# The library's coverage, without PAGE arguments.
cp "$lib/scenarios/mini.yaml" "$lib/scenarios/extra.yaml"
check "a scenario without a page" status_is 2 milestones --root "$lib" --replications 1
check "is named" says "scenarios/extra.yaml: no page docs/scenarios/extra.md"
printf '# Extra\n\nNo milestones yet.\n' >"$lib/docs/scenarios/extra.md"
check "a page without milestones" status_is 2 milestones --root "$lib" --replications 1
check "is named" says "docs/scenarios/extra.md:1: no '## Milestones' section"
rm "$lib/scenarios/extra.yaml"
page "$lib/docs/scenarios/extra.md" <<<'| M1 | x | `incidents` | 1 – 1 | s |'
check "milestones without a scenario" status_is 2 milestones --root "$lib" --replications 1
check "are named" says "docs/scenarios/extra.md:5: the page has milestones but scenarios/extra.yaml does not exist"
rm "$lib/docs/scenarios/extra.md"

# Faults of a page: exit 2 and the line, before or after running.
bad() { # name, expected "LINE: message", the row after M1 (line 11)
  mkdir -p "$work/bad"
  page "$work/bad/mini.md" <<<"| M1 | fine | \`incidents\` | 1 – 1 | s |
$3"
  check "$1" status_is 2 milestones --root "$lib" --replications 2 "$work/bad/mini.md"
  check "$1: where and what" says "$work/bad/mini.md:$2"
}
bad "an unknown measure" "12: M2: unknown measure 'awre'" '| M2 | x | `awre a` | 1h – 2h | s |'
bad "an unknown actor" "12: M2: 'aware z': unknown actor 'z'" '| M2 | x | `aware z` | 1h – 2h | s |'
bad "an unknown incident" "12: M2: 'aware a j': unknown incident 'j'" '| M2 | x | `aware a j` | 1h – 2h | s |'
bad "an unknown objective" "12: M2: 'met nope': unknown objective 'nope'" '| M2 | x | `met nope` | 0 – 1 | s |'
bad "an unknown kind" "12: M2: 'messages alrt': unknown message kind 'alrt'" '| M2 | x | `messages alrt` | 0 – 1 | s |'
bad "an unknown sender" "12: M2: 'first alert from z': unknown actor 'z'" '| M2 | x | `first alert from z` | 0 – 1h | s |'
bad "an unknown level" "12: M2: unknown level 'tactical'" '| M2 | x | `level tactical first` | 0 – 1h | s |'
bad "too many words" "12: M2: 'objective b-knows c-knows': expected \`objective ID\`" \
  '| M2 | x | `objective b-knows c-knows` | 0 – 1h | s |'
bad "a clause twice" "12: M2: 'messages any to a to b': expected" '| M2 | x | `messages any to a to b` | 0 – 1 | s |'
bad "a duration out of order" "12: M2: '30m1h' is not a duration" '| M2 | x | `aware a` | 30m1h – 2h | s |'
bad "durations for a count" "12: M2: '1h' is not a number" '| M2 | x | `met b-knows` | 1h – 2h | s |'
bad "numbers for a time" "12: M2: '1' is not a duration" '| M2 | x | `aware a` | 1 – 2 | s |'
bad "a band upside down" "12: M2: band '2h – 1h': LOW is above HIGH" '| M2 | x | `aware a` | 2h – 1h | s |'
bad "a measure without backticks" "12: M2: the measure must be in backticks" '| M2 | x | aware a | 1h – 2h | s |'
bad "a duplicate id" "12: M1: the id is already used on line 11" '| M1 | x | `aware a` | 1h – 2h | s |'
bad "a bad id" "12: id 'X2': expected M1, M2" '| X2 | x | `aware a` | 1h – 2h | s |'
bad "a missing cell" "12: 4 cells, expected 5" '| M2 | `aware a` | 1h – 2h | s |'
bad "no source" "12: M2: the milestone and its source must be given" '| M2 | x | `aware a` | 1h – 2h |  |'
bad "a second table" "13: the Milestones section has more than one table" '
| M2 | x | `aware a` | 1h – 2h | s |'
printf '# Mini\n\n## Milestones\n\n| id | what | measure | band |\n|---|---|---|---|\n' >"$work/bad/mini.md"
check "wrong columns" status_is 2 milestones --root "$lib" "$work/bad/mini.md"
check "wrong columns: where and what" says "mini.md:5: the table's columns must be: | id | milestone | measure | band | source |"
printf '# Mini\n\n## Milestones\n\nSoon.\n\n## Sources\n\n| id | milestone | measure | band | source |\n' >"$work/bad/mini.md"
check "a section without a table" status_is 2 milestones --root "$lib" "$work/bad/mini.md"
check "a section without a table: where" says "mini.md:3: the Milestones section has no table"
check "a usage error" status_is 2 milestones --replications 0
check "no such page" status_is 2 milestones "$work/none.md"

# The flagship against a band it cannot meet, and with an unknown word.
mkdir -p "$work/flagship"
flagpage=$work/flagship/hospital-ransomware.md
page "$flagpage" <<'MD'
| M1 | ANSSI at once | `aware anssi` | 0s – 1s | impossible |
| M2 | one incident | `incidents` | 1 – 1 | the scenario has one |
MD
check "the flagship misses an impossible band" status_is 1 milestones --replications 20 "$flagpage"
check "it says FAIL" grep -Eq '^  M1 +aware anssi .*FAIL$' "$work/out"
check "and PASS for the rest" grep -Eq '^  M2 +incidents +1 .*PASS$' "$work/out"
page "$flagpage" <<'MD'
| M1 | one incident | `incidents` | 1 – 1 | the scenario has one |
| M2 | ANSSI aware | `awre anssi` | 1h – 6h | a typo |
MD
check "the flagship page with an unknown word" status_is 2 milestones --replications 20 "$flagpage"
check "the line is given" says "$flagpage:12: M2: unknown measure 'awre'"

# The library itself.
start=$SECONDS
check "every library milestone inside its band (200 runs each)" status_is 0 milestones
cat "$work/out"
echo "($((SECONDS - start)) s)"

finish
