#!/usr/bin/env bash
# tocsin compare end to end (docs/compare.md): a difference that exists is
# found, in the right direction, by each kind of variant; identical variants
# give exact zeros and nothing significant; equivalent but not identical
# variants are found different about 5 % of the time at 95 %; each side is a
# sweep directory whose replication I is `tocsin run --replication I`; the
# outputs are byte-identical from one run to the next; usage errors exit 2.
# Usage: compare.sh TOCSIN SOURCE_DIR
set -u
tocsin=$1 src=$2
. "$src/tests/e2e/common.bash"
data=$src/tests/data/compare
relay=$data/doctrines/relay.yaml direct=$data/doctrines/direct.yaml
cop=incident/attack/time_to_cop_ms

have_python=0
command -v python3 >/dev/null && have_python=1

# Query compare.json: json DIR PYTHON-EXPRESSION (d is the document, f the
# figures by name); prints the value.
json() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1]+'/compare.json')); \
f={x['name']: x for x in d['figures']}; print($2)" "$1"
}
is_true() { [ "$(json "$1" "$2")" = True ]; }

# --- (1) a difference that exists ---------------------------------------------
# Every handling time halved (two scenario files): time to the common
# operational picture falls, significantly.
check "compare two scenario files" status_is 0 "$tocsin" compare "$data/relay.yaml" \
  "$data/fast.yaml" -n 200 --seed 3 --out "$work/fast"
check "the table names both sides" grep -q "A: $data/relay.yaml" "$work/out"
check "the table has the headline figure, as people read it" grep -q "^  attack: common picture .*\\*\$" "$work/out"
check "both sides are sweep directories" test -s "$work/fast/a/replications.csv" -a \
  -s "$work/fast/b/summary.json" -a -s "$work/fast/b/sweep.json"
check "the outputs are there" test -s "$work/fast/compare.json" -a -s "$work/fast/compare.html"
if [ $have_python = 1 ]; then
  check "halved handling: B - A < 0 and significant" is_true "$work/fast" \
    "f['$cop']['difference']['ci'][1] < 0 and f['$cop']['difference']['significant']"
  check "the objective is met more often" is_true "$work/fast" \
    "f['objective/all-aware-4h/met']['difference']['mean'] > 0"
  check "the variants are scenarios" is_true "$work/fast" "d['variants'] == 'scenario'"
  check "compare.json agrees with the rows" python3 "$src/tests/e2e/check_compare.py" "$work/fast"
fi
# The agency told directly instead of through CERT (two doctrines).
check "compare two doctrines" status_is 0 "$tocsin" compare "$data/relay.yaml" \
  --doctrine "$relay" --doctrine "$direct" -n 200 --seed 3 --out "$work/direct" --quiet
check "--quiet writes nothing" bash -c "[ ! -s '$work/out' ] && [ ! -s '$work/err' ]"
if [ $have_python = 1 ]; then
  check "direct: the operational level is reached sooner" is_true "$work/direct" \
    "f['incident/attack/level/operational/all_ms']['difference']['ci'][1] < 0"
  check "direct: CERT's awareness does not change at all" is_true "$work/direct" \
    "f['incident/attack/aware/cert_ms']['identical']"
  check "direct: the doctrines are recorded" is_true "$work/direct" \
    "d['a']['doctrine'].endswith('relay.yaml') and d['b']['doctrine'].endswith('direct.yaml')"
  check "compare.json agrees with the rows (doctrines)" python3 \
    "$src/tests/e2e/check_compare.py" "$work/direct"
fi

# CERT's handling halved by an override of side B (side A as it is).
check "compare two sets of overrides" status_is 0 "$tocsin" compare "$data/relay.yaml" \
  --b-set 'actors.cert.handling.default={dist: lognormal, median: 30m, p90: 2h}' \
  --set actors.agency.staff=2 -n 200 --seed 3 --out "$work/sets" --quiet
if [ $have_python = 1 ]; then
  check "sets: CERT is aware sooner" is_true "$work/sets" \
    "f['incident/attack/aware/cert_ms']['difference']['ci'][1] < 0"
  check "sets: the victim is not touched" is_true "$work/sets" \
    "f['incident/attack/aware/victim_ms']['identical']"
  check "sets: both sides have the common --set, B its own after it" is_true "$work/sets" \
    "d['variants'] == 'set' and d['a']['sets'] == ['actors.agency.staff=2'] and \
     d['b']['sets'][0] == 'actors.agency.staff=2' and len(d['b']['sets']) == 2 and \
     d['a']['label'] == 'the scenario as it is' and d['b']['label'].startswith('actors.cert.handling')"
fi

# --- each side is a sweep, replication I is `tocsin run --replication I` -----------
check "run side B's replication 5" status_is 0 "$tocsin" run "$data/relay.yaml" \
  --doctrine "$direct" --seed 3 --replication 5 --report json --quiet --out "$work/run5"
if [ $have_python = 1 ]; then
  check "its time to the common picture is side B's row 5" bash -c "
    want=\$(python3 -c \"import csv; print([r for r in csv.DictReader(open('$work/direct/b/replications.csv'))][5]['$cop'])\")
    got=\$(python3 -c \"import json; print(json.load(open('$work/run5/report.json'))['incidents'][0]['time_to_cop'])\")
    [ \"\$want\" = \"\$got\" ] || { echo \"  row \$want, run \$got\"; exit 1; }"
fi

# --- (2) identical doctrines --------------------------------------------------
check "compare a doctrine with itself" status_is 0 "$tocsin" compare "$data/relay.yaml" \
  --doctrine "$relay" --doctrine "$relay" -n 50 --seed 5 --out "$work/same"
check "the table says so" grep -q "identical on every replication" "$work/out"
if [ $have_python = 1 ]; then
  check "identical: true" is_true "$work/same" "d['identical'] and d['significant'] == 0"
  check "every figure identical, nothing significant" is_true "$work/same" \
    "all(x['identical'] and not x.get('difference', {}).get('significant', False) for x in d['figures'])"
  check "every difference exactly 0, interval [0, 0]" is_true "$work/same" \
    "all(x['difference'] == {'pairs': x['difference']['pairs'], 'mean': 0, 'sd': 0, 'ci': [0, 0], 'significant': False} for x in d['figures'] if 'difference' in x and x['difference']['pairs'])"
fi

# --- --independent: B on seed S + 1 -----------------------------------------------
check "compare with independent draws" status_is 0 "$tocsin" compare "$data/relay.yaml" \
  --doctrine "$relay" --doctrine "$direct" -n 200 --seed 3 --independent \
  --out "$work/independent" --quiet
if [ $have_python = 1 ]; then
  check "side B ran on seed 4" is_true "$work/independent" \
    "d['independent'] and d['a']['seed'] == 3 and d['b']['seed'] == 4"
  check "its sweep.json says so" grep -q '"seed":4' "$work/independent/b/sweep.json"
  check "common random numbers give the narrower interval" bash -c "
    w() { python3 -c \"import json; c=[x for x in json.load(open('\$1/compare.json'))['figures'] if x['name']=='$cop'][0]['difference']['ci']; print(c[1]-c[0])\"; }
    python3 -c \"import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)\" \"\$(w '$work/direct')\" \"\$(w '$work/independent')\""
fi

# --- (3) equivalent variants: about 5 % significant at 95 % ----------------------
# renamed.yaml is relay.yaml with CERT under another id: its draws differ,
# its distribution does not. 100 comparisons of 20 replications on seeds 1
# to 100 (deterministic, so never flaky): the count found significant on
# the time to the common picture must lie in 1..12, which a correct 5 % test
# does with probability 0.9926 (binomial(100, 0.05)); 0 or 13+ would say the
# intervals are too wide or too narrow.
if [ $have_python = 1 ]; then
  fpr_ok=1
  for seed in $(seq 1 100); do
    "$tocsin" compare "$data/relay.yaml" "$data/renamed.yaml" -n 20 --seed "$seed" --jobs 1 \
      --out "$work/fpr/$seed" --quiet || { fpr_ok=0; break; }
  done
  check "100 comparisons of equivalent variants" test $fpr_ok = 1
  significant=$(python3 -c "
import json, sys
print(sum(json.load(open(f'$work/fpr/{s}/compare.json'))['figures'][
    [x['name'] for x in json.load(open(f'$work/fpr/{s}/compare.json'))['figures']].index('$cop')
]['difference']['significant'] for s in range(1, 101)))")
  echo "  equivalent variants: $significant of 100 significant at 95 %"
  check "false positives within 1..12 of 100" test "$significant" -ge 1 -a "$significant" -le 12
  check "renamed CERT's figures are of one side only" is_true "$work/fpr/1" \
    "'incident/attack/aware/cert_ms' in d['only_a'] and 'incident/attack/aware/cert-renamed_ms' in d['only_b']"
fi

# --- (4) the same command twice gives the same bytes ------------------------------
check "again" status_is 0 "$tocsin" compare "$data/relay.yaml" --doctrine "$relay" \
  --doctrine "$direct" -n 200 --seed 3 --out "$work/again" --quiet --jobs 2
for f in compare.json compare.html a/replications.csv b/summary.json; do
  check "$f byte-identical" cmp "$work/direct/$f" "$work/again/$f"
done
check "compare.html has no script" bash -c "! grep -qi '<script' '$work/direct/compare.html'"
check "compare.html forbids anything external" grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" "$work/direct/compare.html"
check "compare.html has the box plots" grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="chart bp"' "$work/direct/compare.html"
if [ $have_python = 1 ]; then
  check "compare.html is well-formed XML" python3 -c \
    "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$work/direct/compare.html"
fi
# A comparison left by an earlier run goes before the new one is made.
check "a failing comparison" status_is 1 "$tocsin" compare "$data/relay.yaml" \
  --doctrine "$relay" --doctrine "$work/missing.yaml" -n 5 --out "$work/again"
check "leaves no stale comparison" test ! -e "$work/again/compare.json" -a ! -e "$work/again/compare.html"

# --- (5) usage errors ------------------------------------------------------------
usage() { # message, then arguments: exit 2 with the message
  local message=$1; shift
  status_is 2 "$tocsin" compare "$@" && grep -q -- "$message" "$work/err"
}
check "one doctrine only" usage "one --doctrine: give it twice" "$data/relay.yaml" \
  --doctrine "$relay"
check "two scenarios and two doctrines" usage "one kind of variant at a time" \
  "$data/relay.yaml" "$data/fast.yaml" --doctrine "$relay" --doctrine "$direct"
check "doctrines and overrides" usage "one kind of variant at a time" "$data/relay.yaml" \
  --doctrine "$relay" --doctrine "$direct" --b-set actors.cert.staff=2
check "nothing to compare" usage "nothing to compare" "$data/relay.yaml"
check "three doctrines" usage "three times" "$data/relay.yaml" --doctrine a --doctrine b \
  --doctrine c
check "three scenarios" usage "three scenario files" a.yaml b.yaml c.yaml
check "-n 1" usage "-n needs a whole number from 2" "$data/relay.yaml" "$data/fast.yaml" -n 1
check "a bad override" usage "--a-set needs PATH=VALUE" "$data/relay.yaml" --a-set staff
check "no scenario" usage "no scenario file given" --doctrine a --doctrine b
check "an unknown option" usage "unknown option '--grid'" "$data/relay.yaml" "$data/fast.yaml" \
  --grid x=1,2
check "--help" status_is 0 "$tocsin" compare --help
check "--help names the three forms" grep -q -- "--a-set PATH=VALUE" "$work/out"

finish
