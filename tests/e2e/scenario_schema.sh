#!/usr/bin/env bash
# docs/scenario.schema.json and docs/doctrine.schema.json (the JSON Schemas
# editors use) against the files of the repository and against the loader:
#   - each schema is a valid draft-07 schema;
#   - every scenarios/*.yaml and docs/examples/*.yaml scenario, and every
#     doctrine file (scenarios/doctrines/*.yaml, docs/examples/*doctrine*.yaml),
#     validates;
#   - snippets that tocsin validate rejects (an unknown key, a bad level, a
#     missing required key...) are rejected by the schema too, and valid
#     variants (durations in every syntax, distributions, standing meetings)
#     are accepted by both, so that the schema cannot drift from the loader
#     unnoticed.
# YAML is read as tocsin reads it, by the YAML 1.2 core schema (yes/no/on are
# strings, dates are strings), as editors' YAML language servers do.
# Skipped (77) without python3's jsonschema and yaml modules.
set -u
shopt -s lastpipe # `... | agree` counts in this shell
tocsin=${1:?usage: scenario_schema.sh TOCSIN SOURCE_DIR}
src=${2:?usage: scenario_schema.sh TOCSIN SOURCE_DIR}
. "$(dirname "$0")/common.bash"

if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "SKIP: python3 with the jsonschema and yaml modules is needed" \
       "(Debian: python3-jsonschema python3-yaml; scripts/deps --test)"
  exit 77
fi

cat >"$work/schema.py" <<'PY'
"""schema.py SRC scenario|doctrine|catalogue FILE...: validates each file, prints its
errors and then "FILE: valid" or "FILE: invalid"; exit 0 when all are valid,
1 otherwise (3: unreadable). schema.py SRC check: checks
both schemas against the draft-07 meta-schema."""
import json, pathlib, re, sys, warnings
import jsonschema, yaml

warnings.simplefilter("ignore", DeprecationWarning)  # RefResolver in newer jsonschema


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema's scalars."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", list("-+0123456789")),
        ("tag:yaml.org,2002:float",
         r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", list("-+.0123456789"))]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(regexp), first)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int",
                             lambda loader, node: int(loader.construct_scalar(node), 10))
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool",
                             lambda loader, node: loader.construct_scalar(node).lower() == "true")

src = pathlib.Path(sys.argv[1]).resolve()
docs = src / "docs"
schemas = {name: json.loads((docs / (name + ".schema.json")).read_text())
           for name in ("scenario", "doctrine", "catalogue")}
store = {(docs / (name + ".schema.json")).as_uri(): s for name, s in schemas.items()}

if sys.argv[2] == "check":
    for s in schemas.values():
        jsonschema.Draft7Validator.check_schema(s)
    sys.exit(0)

schema = schemas[sys.argv[2]]
resolver = jsonschema.RefResolver((docs / (sys.argv[2] + ".schema.json")).as_uri(), schema,
                                  store=store)
validator = jsonschema.Draft7Validator(schema, resolver=resolver)
bad = 0
for path in sys.argv[3:]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=Yaml12Loader)
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: cannot read: {e}")  # not a verdict on the schema
        sys.exit(3)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: {where}: {e.message}"[:400])
    print(f"{path}: {'invalid' if errors else 'valid'}")
    bad += bool(errors)
sys.exit(1 if bad else 0)
PY

schema() { python3 "$work/schema.py" "$src" "$@"; }

check "the schemas are valid draft-07 schemas" schema check

shopt -s nullglob
for f in "$src"/scenarios/*.yaml "$src"/docs/examples/*.yaml; do
  case $f in *doctrine*) kind=doctrine ;; *) kind=scenario ;; esac
  check "$kind ${f#"$src"/} validates" schema "$kind" "$f"
done
for f in "$src"/scenarios/doctrines/*.yaml; do
  check "doctrine ${f#"$src"/} validates" schema doctrine "$f"
done
for f in "$src"/scenarios/catalogue/*.yaml; do
  check "catalogue ${f#"$src"/} validates" schema catalogue "$f"
done

# A minimal scenario; each case replaces or adds to its parts.
base() { # extra keys of actor a, extra top-level text, handling of actor a
  local handling=${3:-'{default: 10m}'}
  cat <<YAML
exercise: {name: schema, start: 2022-08-22T08:00:00Z, duration: 2d}
actors:
  - {id: a, level: technical, handling: $handling${1:-}}
  - {id: b, level: strategic, handling: {default: 10m}}
channels:
  - {id: phone, latency: 2m}
incidents:
  - {id: i, start: -2h, required: [a, b]}
${2:-}
YAML
}

# The loader and the schema agree that the scenario on stdin is valid or
# invalid. The loader is asked at once; the schema is asked about all cases
# in one go at the end (a python3 start per case would be slow).
n=0 cases=() names=() wants=()
agree() { # expected verdict (valid|invalid), name; the scenario on stdin
  local want=$1 name=$2 file
  n=$((n + 1))
  file=$work/case-$n.yaml
  cat >"$file"
  local code=0
  [ "$want" = invalid ] && code=1
  check "tocsin validate: $name is $want" status_is "$code" "$tocsin" validate "$file"
  cases+=("$file") names+=("$name") wants+=("$want")
}

# Valid variants.
base >"$work/plain.yaml"
agree valid "the base scenario" <"$work/plain.yaml"
for dur in 90s 1h30m '"2h 30m"' 1.5h 500ms 1w2d 0 '"+2h"' T+02:30 T+02:30:15.250 T+1d02:30 \
           T+72:00 T+2h30m '"D+1 H+3"' '"D+1 H+3 M+45"' J+1 H+36; do
  base "" "meetings: [{id: m, chair: a, participants: [a, b], duration: $dur}]" |
    agree valid "meeting duration $dur"
done
for at in T+0 T-02:00 -2h '"D-1 H-2"' 1mo 2022-08-22T09:30:00+02:00 '"2022-08-22 10:00"' \
          2022-08-22T08:00Z 2022-08-22T10:00:00.250+0200; do
  base "" "injects: [{id: x, at: $at, to: a, kind: alert}]" | agree valid "inject at $at"
done
base ", on_call: {staff: 1, callout_delay: 30m, min_severity: 4, stand_down: 2h}" |
  agree valid "on-call staff with a numeric severity"
base ", schedule: {mon-fri: \"08:00-12:00, 14:00-18:00\", 'sat,sun': off, Friday: \"22:00-06:00\"}, holidays: [2022-08-15]" |
  agree valid "a weekly schedule with holidays"
for dist in '{dist: lognormal, median: 20m, p90: 1h}' '{dist: uniform, min: 0, max: 5m}' \
            '{dist: exponential, mean: 15m}' '{dist: normal, mean: 1h, sd: 10m}' \
            '{dist: triangular, min: 1m, mode: 5m, max: 1h}' '{dist: fixed, value: T+00:05}' \
            '{dist: empirical, values: [1m, 5m, 1h], weights: [1, 2, 0.5]}'; do
  base "" "" "{default: $dist, alert: 5m}" | agree valid "handling $dist"
done
base "" "meetings:
  - {id: weekly, chair: a, participants: [b], duration: 1h, quorum: 2, quorum_timeout: 2h,
     standing: {first: 2022-08-23T10:00:00, every: 1w},
     outcome: [{kind: sitrep, to: [b, level:strategic], tlp: 'TLP:amber', retry: {after: 1h, max: 2}}]}" |
  agree valid "a standing meeting"
base "" "kinds: {plan-blanc: {informative: true}, ack: ~}
injects:
  - {id: x, at: T+1h, from: a, to: [b], kind: plan-blanc, severity: critical, tlp: RED,
     channel: phone, repeat: {every: {dist: exponential, mean: 30m}, count: 3, until: T+1d}}
  - {id: y, at: T+2h, action: channel-down, channel: phone}
  - {id: z, at: T+3h, action: set-staff, actor: a, staff: 0}
  - {id: e, at: D+1, action: end}
objectives:
  - {id: o1, subject: all-required, event: aware, within: 1mo2d}
  - {id: o2, subject: level:strategic, event: {sends: alert, to: a}, within: 4h, after: {objective: o1}}
doctrine:
  name: inline
  rules:
    - {actor: a, on: [alert, plan-blanc], from_level: strategic, min_severity: high, once: true,
       send: {kind: alert, to: [members:a, sender]}}
    - {actor: b, on: any, ack: true}" |
  agree valid "kinds, injects of every action, objectives and an inline doctrine"
base "" "injects:
  - {id: x, at: D+1 H+02 M+30, to: a, kind: alert, subject: Ransom note, objective: o1}
  - {id: y, at: T+2h, action: end, subject: End of exercise, objective: o1}
objectives:
  - {id: o1, subject: a, event: aware, within: 1h}" |
  agree valid "an inject's subject and objective"

# Invalid snippets: each rejected by both.
base "" | sed 's/duration: 2d/duration: 2d, durration: 3d/' | agree invalid "an unknown key in exercise"
base ", staf: 2" | agree invalid "an unknown key in an actor"
base | sed 's/level: technical/level: tehcnical/' | agree invalid "a bad level"
base | sed 's/, required: \[a, b\]//' | agree invalid "an incident without required actors"
base | sed 's/level: strategic, //' | agree invalid "an actor without a level"
base | sed '/^exercise/s/start: [^,]*, //' | agree invalid "an exercise without a start"
base "" "injects: [{id: x, at: T+1h, to: a, kind: alert, severity: urgent}]" | agree invalid "a bad severity"
base "" "injects: [{id: x, at: T+1h, to: a, kind: alert, tlp: ORANGE}]" | agree invalid "a bad TLP marking"
base "" "injects: [{id: x, at: T+1h, action: channel-down, channel: phone, kind: alert}]" |
  agree invalid "a key another action takes"
base "" "injects: [{id: x, at: T+1h, action: set-staff, actor: a}]" | agree invalid "set-staff without staff"
base "" "injects: [{id: x, at: T+1h, action: explode}]" | agree invalid "an unknown action"
base "" "injects: [{id: x, at: T+1h, to: a, kind: alert, subject: [a, b]}]" |
  agree invalid "an inject subject that is not text"
base "" "injects: [{id: x, at: T+1h, action: end, objective: 'not an id'}]
objectives: [{id: o1, subject: a, event: aware, within: 1h}]" |
  agree invalid "an inject objective that is not an id"
for dur in 90 2H 1h1h 30m1h 90sec '"1 h 30"' T+2:5 T+1d25:00 '"D+1 H-3"' '"-D+1"' 1.5mo; do
  base "" "meetings: [{id: m, chair: a, participants: [a, b], duration: $dur}]" |
    agree invalid "meeting duration $dur"
done
base "" "meetings: [{id: m, chair: a, participants: [a, b], duration: 1mo}]" |
  agree invalid "calendar months outside a deadline"
base "" "" "{default: {dist: lognormal, median: 20m}}" |
  agree invalid "a lognormal without p90"
base "" "" "{default: {dist: uniform, min: 1m, max: 2m, mean: 1m}}" |
  agree invalid "a key of another distribution"
base "" "" "{default: {dist: poisson, mean: 1m}}" |
  agree invalid "an unknown distribution"
base "" "" "{default: -5m}" |
  agree invalid "a negative handling time"
base ", schedule: {mon-fri: \"8h-18h\"}" | agree invalid "hours that are not HH:MM-HH:MM"
base ", on_call: {staff: 1}" | agree invalid "on-call staff without a callout delay"
base "" "doctrine: {rules: [{actor: a, on: alert, once: true}]}" | agree invalid "a rule that does nothing"
base "" "doctrine: {rules: [{actor: a, on: alert, ack: true, reply: true}]}" | agree invalid "an unknown rule key"
base "" "doctrine: {rules: [{actor: a, on: alert, send: {kind: info, to: [b, b]}}]}" |
  agree invalid "a recipient named twice"
base "" "doctrine: {description: [not, text], rules: [{actor: a, on: alert, ack: true}]}" |
  agree invalid "a doctrine description that is not text"
base "" "meetings: [{id: m, chair: a, participants: [a, b], duration: 1h, standing: {every: 1d}}]" |
  agree invalid "a standing meeting without first"
base "" "objectives: [{id: o, subject: a, event: aware}]" | agree invalid "an objective without within"
base "" "scenario_name: x" | agree invalid "an unknown top-level key"

# Catalogues: entries extended from $work/cat.yaml.
cat >"$work/cat.yaml" <<'YAML'
catalogue: {name: C}
actors:
  - {id: c, level: operational, handling: {default: 5m}, on_call: {staff: 1, callout_delay: 1h}}
channels:
  - {id: fax, latency: 10m}
YAML
extend() { # section (actors|channels), the entry to add to it
  base "" "include: cat.yaml" | sed "/^$1:/a\\  - $2"
}
extend actors "{extends: c}" | agree valid "an actor extending a catalogue's"
extend actors "{extends: c, id: c2, staff: 4, on_call: null, handling: {alert: 1h}}" |
  agree valid "an extension's overrides"
extend channels "{extends: fax, loss: 0.1, up: false}" | agree valid "a channel extension"
extend actors "{extends: c, staf: 4}" | agree invalid "an unknown key in an extension"
extend actors "{extends: c, level: nobody}" | agree invalid "a bad level in an extension"
extend actors "{extends: [c]}" | agree invalid "extends that is not an id"
extend channels "{extends: fax, loss: 2}" | agree invalid "a bad loss in a channel extension"
base "" "include: {file: cat.yaml}" | agree invalid "include as a mapping"
base "" "include: [cat.yaml, cat.yaml]" | agree invalid "a catalogue included twice"

schema scenario "${cases[@]}" >"$work/verdicts" 2>&1
[ $? -le 1 ] || { cat "$work/verdicts"; echo "FAIL: the schema check did not run"; exit 1; }
for ((i = 0; i < ${#cases[@]}; i++)); do
  verdict=$(grep -F "${cases[i]}: " "$work/verdicts" | tail -n 1)
  if [ "$verdict" = "${cases[i]}: ${wants[i]}" ]; then
    passed=$((passed + 1))
  else
    echo "FAIL: schema: ${names[i]} is ${wants[i]}"
    grep -F "${cases[i]}: " "$work/verdicts"
    failures=$((failures + 1))
  fi
done

finish
