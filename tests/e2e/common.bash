# Shared by the end-to-end scripts (tests/e2e/*.sh source it; CTest does not
# run it): a scratch directory removed on exit, pass/fail counting, and the
# final verdict.

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passed=0

check() { # name, then a command that must succeed
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $name"; failures=$((failures + 1)); fi
}

status_is() { # expected status, command...: stdout in $work/out, stderr in $work/err
  local want=$1; shift
  "$@" >"$work/out" 2>"$work/err"; local got=$?
  [ "$got" -eq "$want" ] || { echo "  exit status $got, expected $want: $*"; cat "$work/err"; return 1; }
}

finish() { # the last line of a script: the counts and the exit status
  echo "$passed passed, $failures failed"
  [ "$failures" -eq 0 ]
}
