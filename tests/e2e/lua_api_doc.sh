#!/usr/bin/env bash
# Every ```lua example of docs/lua-api.md runs, as the page says it does,
# against docs/examples/lua-api.yaml:
#   - a block runs as a script: tocsin run SCENARIO --script BLOCK.lua;
#   - a block whose first line starts with "-- doctrine" is a doctrine's Lua
#     handlers: it runs as `script:` of docs/examples/lua-api-doctrine.yaml;
#   - "-- run with OPTIONS" as the first line (or the second, after the
#     doctrine line) adds options to tocsin run;
#   - "--> TEXT" comments are the lines the block logs (tocsin.log, print),
#     all of them, in order; runs of blanks (and the tabs between logged
#     values) compare as one space;
#   - a "--! TEXT" comment says the run fails (exit 1) with TEXT in its
#     message.
# A block without those comments must simply run without error. The page
# must also show every function of the tocsin module (engine/sim/script_api.c)
# in at least one example.
set -u
tocsin=${1:?usage: lua_api_doc.sh TOCSIN SOURCE_DIR}
src=${2:?usage: lua_api_doc.sh TOCSIN SOURCE_DIR}
doc=$src/docs/lua-api.md
scenario=$src/docs/examples/lua-api.yaml
rules=$src/docs/examples/lua-api-doctrine.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passed=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Split the page into block-N.lua files; block-N.line holds the line of
# its opening fence.
awk -v dir="$work" '
  /^```lua[ \t]*$/ && !inside { inside = 1; n++; file = dir "/block-" n ".lua";
                                 print NR > (dir "/block-" n ".line"); printf "" > file; next }
  /^```[ \t]*$/ && inside      { inside = 0; close(file); next }
  inside                       { print > file }
  END { if (inside) { print "unclosed lua block" > "/dev/stderr"; exit 1 } }
' "$doc" || { echo "FAIL: cannot split $doc"; exit 1; }

blocks=$(ls "$work"/block-*.lua 2>/dev/null | wc -l)
[ "$blocks" -ge 40 ] || fail "only $blocks lua blocks found in $doc (expected the whole reference)"

squeeze() { tr '\t' ' ' | sed -e 's/  */ /g' -e 's/^ //' -e 's/ $//'; }

# The text of each script-log record of a log, one per line.
logged() {
  grep '"event":"script-log"' "$1" |
    sed -e 's/.*"event":"script-log","text":"\(.*\)"}$/\1/' \
        -e 's/\\t/\t/g' -e 's/\\"/"/g' -e 's/\\\\/\\/g'
}

for ((n = 1; n <= blocks; n++)); do
  block=$work/block-$n.lua
  where="block $n (docs/lua-api.md:$(cat "$work/block-$n.line"))"
  [ -s "$block" ] || { fail "$where is empty"; continue; }
  args=("$tocsin" run "$scenario" --out "$work/run-$n" --quiet)
  if head -n 1 "$block" | grep -q '^-- doctrine'; then
    cp "$block" "$work/handlers-$n.lua"
    { cat "$rules"; echo "script: handlers-$n.lua"; } >"$work/doctrine-$n.yaml"
    args+=(--doctrine "$work/doctrine-$n.yaml")
  else
    args+=(--script "$block")
  fi
  options=$(head -n 2 "$block" | sed -n 's/^-- run with //p' | head -n 1)
  # shellcheck disable=SC2206  # options are words on purpose
  [ -n "$options" ] && args+=($options)
  "${args[@]}" >"$work/out" 2>"$work/err"
  status=$?
  expected_error=$(sed -n 's/.*--! //p' "$block" | head -n 1)
  if [ -n "$expected_error" ]; then
    if [ "$status" -ne 1 ]; then
      fail "$where: expected the run to fail with '$expected_error', exit status $status"
    elif ! grep -qF -- "$expected_error" "$work/err"; then
      fail "$where: expected '$expected_error' in the error, got:"; cat "$work/err"
    else
      passed=$((passed + 1))
    fi
    continue
  fi
  if [ "$status" -ne 0 ]; then
    fail "$where: exit status $status"; cat "$work/err"; continue
  fi
  if grep -q -- '--> ' "$block"; then
    sed -n 's/.*--> //p' "$block" | squeeze >"$work/want"
    logged "$work/run-$n/events.jsonl" | squeeze >"$work/got"
    if ! cmp -s "$work/want" "$work/got"; then
      fail "$where: logged lines differ (want, got):"; diff "$work/want" "$work/got"; continue
    fi
  fi
  passed=$((passed + 1))
done

# Every function of the module has an example.
# The table lists several functions a line: take every {"name", l_...} pair.
functions=$(grep -o '{"[a-z_]*", l_[a-z_]*}' "$src/engine/sim/script_api.c" |
              sed 's/{"\([a-z_]*\)".*/\1/' | sort -u)
[ "$(echo "$functions" | wc -l)" -ge 25 ] || fail "cannot read the module's functions"
for f in $functions random; do
  if cat "$work"/block-*.lua | grep -q "tocsin\.$f\b"; then
    passed=$((passed + 1))
  else
    fail "tocsin.$f has no example in docs/lua-api.md"
  fi
done

echo "$passed passed, $failures failed ($blocks lua blocks)"
[ "$failures" -eq 0 ]
