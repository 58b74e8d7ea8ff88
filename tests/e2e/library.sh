#!/usr/bin/env bash
# Every scenario of the library (scenarios/*.yaml, docs/scenarios/README.md):
#   - `tocsin validate` passes;
#   - a run with its own seed succeeds and writes its log and report;
#   - a second run with the same seed and replication gives byte-identical
#     events.jsonl and report.json, and replication 1 another events.jsonl
#     (past the first record, which names the replication);
#   - docs/scenarios/README.md lists it and links its page;
#   - every entry of the catalogues (scenarios/catalogue/*.yaml) is valid
#     when a scenario extends it;
#   - each doctrine variant its page lists (backticked scenarios/doctrines/
#     paths in a `## Doctrine variants` section) exists, validates and runs
#     with --doctrine.
# The milestones are checked by milestones.sh.
set -u
tocsin=${1:?usage: library.sh TOCSIN SOURCE_DIR}
src=${2:?usage: library.sh TOCSIN SOURCE_DIR}
. "$(dirname "$0")/common.bash"

variants() { # PAGE: the doctrine files of its "## Doctrine variants" section, one a line
  awk '/^[ \t]*(```|~~~)/ { fence = !fence; next }
       fence { next }
       /^##?[ \t]/ { on = ($0 ~ /^##[ \t]+Doctrine variants[ \t]*#*[ \t]*$/); next }
       on' "$1" |
    grep -oE '`scenarios/doctrines/[^`[:space:]]+\.(yaml|lua)`' | tr -d '`' | awk '!seen[$0]++'
}

# The extraction itself, on a page made for it.
cat >"$work/page.md" <<'MD'
# A page

Runs with `scenarios/doctrines/not-a-variant.yaml` by default.

## Doctrine variants

- `scenarios/doctrines/slow.yaml`: the sector waits for office hours.
- `scenarios/doctrines/handlers.lua` and again `scenarios/doctrines/slow.yaml`.

```
## Not a heading: `scenarios/doctrines/fenced.yaml`
```

### A subsection still counts

`scenarios/doctrines/deep.yaml`, but not `docs/examples/x.yaml` nor `scenarios/other.yaml`.

## Milestones

`scenarios/doctrines/after.yaml`
MD
check "the variants of a page are found" \
  test "$(variants "$work/page.md" | tr '\n' ' ')" = \
       "scenarios/doctrines/slow.yaml scenarios/doctrines/handlers.lua scenarios/doctrines/deep.yaml "

shopt -s nullglob

# Catalogue entries are read only when a scenario extends them: extend every
# entry of every catalogue in one scenario, so that each is checked whole
# (ids are taken from the `  - id: X` lines the catalogues are written with).
catalogues=("$(cd "$src" && pwd)"/scenarios/catalogue/*.yaml)
{
  echo "exercise: {name: every catalogue entry, start: 2026-01-05T09:00:00Z, duration: 1d}"
  printf 'include: [%s]\n' "$(printf '%s, ' "${catalogues[@]}" | sed 's/, $//')"
  for section in actors channels meetings; do
    echo "$section:"
    awk -v want="$section" '/^[a-z_]+:/ { on = ($0 ~ "^" want ":") } on && /^  - id: / { print "  - extends: " $3 }' \
      "${catalogues[@]}"
  done
  echo "incidents: [{id: check, required: anssi}]"
} >"$work/catalogues.yaml"
check "the catalogues define actors" grep -q "^  - extends: anssi$" "$work/catalogues.yaml"
check "every catalogue entry is valid when extended" status_is 0 "$tocsin" validate "$work/catalogues.yaml"

scenarios=("$src"/scenarios/*.yaml)
check "the library has scenarios" test "${#scenarios[@]}" -gt 0
for scenario in "${scenarios[@]}"; do
  name=$(basename "$scenario" .yaml)
  rel=scenarios/$name.yaml
  out=$work/$name
  check "$rel validates" status_is 0 "$tocsin" validate "$scenario"
  check "$rel runs with its seed" status_is 0 "$tocsin" run "$scenario" --quiet --out "$out/a"
  check "$rel: the run wrote its log and report" test -s "$out/a/events.jsonl" -a -s "$out/a/report.json"
  check "$rel runs again" status_is 0 "$tocsin" run "$scenario" --quiet --out "$out/b"
  check "$rel: the same log again" cmp "$out/a/events.jsonl" "$out/b/events.jsonl"
  check "$rel: the same report.json again" cmp "$out/a/report.json" "$out/b/report.json"
  check "$rel runs replication 1" status_is 0 "$tocsin" run "$scenario" --replication 1 --quiet \
    --report json --out "$out/c"
  check "$rel: replication 1 runs differently" \
    bash -c "! cmp -s <(tail -n +2 '$out/a/events.jsonl') <(tail -n +2 '$out/c/events.jsonl')"
  check "$rel: docs/scenarios/README.md lists it" grep -qF "\`$rel\`" "$src/docs/scenarios/README.md"
  check "$rel: docs/scenarios/README.md links its page" grep -qF "]($name.md)" "$src/docs/scenarios/README.md"

  page=$src/docs/scenarios/$name.md
  [ -f "$page" ] || continue # milestones.sh requires the page
  n=0
  while read -r variant; do
    n=$((n + 1))
    if [ ! -f "$src/$variant" ]; then
      check "$rel: variant $variant exists" false
      continue
    fi
    check "$rel validates with $variant" status_is 0 "$tocsin" validate --doctrine "$src/$variant" "$scenario"
    check "$rel runs with $variant" status_is 0 "$tocsin" run "$scenario" --doctrine "$src/$variant" \
      --quiet --report json --out "$out/v$n"
  done < <(variants "$page")
done

finish
