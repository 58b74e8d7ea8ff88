#!/usr/bin/env bash
# tocsin sweep under MPI (docs/clusters.md): 2 and 3 ranks on this machine
# write byte for byte what one process writes; a failing replication or a
# failure on rank 0 stops every rank with the error, writes nothing, and
# never leaves ranks waiting.
# Usage: sweep_mpi.sh TOCSIN SOURCE_DIR MPIEXEC NUMPROC_FLAG [MPIEXEC_FLAGS...]
set -u
tocsin=$1 src=$2 mpiexec=$3 np_flag=$4
shift 4
flags=("$@")
. "$src/tests/e2e/common.bash"
flagship=$src/scenarios/hospital-ransomware.yaml

mpi() { # ranks, then tocsin's arguments; a hung run fails after 5 minutes
  local ranks=$1; shift
  timeout 300 "$mpiexec" "$np_flag" "$ranks" "${flags[@]}" "$tocsin" "$@"
}
same_dirs() {
  local f
  for f in replications.csv summary.json sweep.json; do
    cmp -s "$1/$f" "$2/$f" || { echo "  $1/$f differs from $2/$f"; return 1; }
  done
}

check "serial sweep" status_is 0 "$tocsin" sweep "$flagship" -n 40 --jobs 1 --out "$work/serial" --quiet
check "2 ranks" status_is 0 mpi 2 sweep "$flagship" -n 40 --out "$work/np2" --quiet
check "2 ranks write the serial files" same_dirs "$work/serial" "$work/np2"
check "3 ranks" status_is 0 mpi 3 sweep "$flagship" -n 40 --out "$work/np3" --quiet
check "3 ranks write the serial files" same_dirs "$work/serial" "$work/np3"
check "3 ranks of 2 jobs" status_is 0 mpi 3 sweep "$flagship" -n 40 --jobs 2 --out "$work/np3j2" --quiet
check "3 ranks of 2 jobs write the serial files" same_dirs "$work/serial" "$work/np3j2"
check "a shard on 2 ranks" status_is 0 mpi 2 sweep "$flagship" -n 40 --replications 0:15 --out "$work/s1" --quiet
check "the other shard alone" status_is 0 "$tocsin" sweep "$flagship" -n 40 --replications 15:40 --out "$work/s2" --quiet
check "merge" status_is 0 "$tocsin" merge "$work/s1" "$work/s2" --out "$work/merged" --quiet
check "an MPI shard merges into the serial sweep" same_dirs "$work/serial" "$work/merged"
check "a grid on 3 ranks" status_is 0 mpi 3 sweep "$flagship" -n 6 --grid actors.anssi.staff=1,4 --out "$work/gridmpi" --quiet
check "the grid serially" status_is 0 "$tocsin" sweep "$flagship" -n 6 --grid actors.anssi.staff=1,4 --jobs 1 --out "$work/grid" --quiet
check "the grid on 3 ranks is the serial grid" same_dirs "$work/grid" "$work/gridmpi"

check "a failing replication under MPI" status_is 1 mpi 3 sweep "$flagship" -n 20 --max-events 50 --out "$work/fail" --quiet
check "names the first failing replication" grep -q "replication 0: " "$work/err"
check "writes nothing" test ! -e "$work/fail/replications.csv"
mkdir -p "$work/ro" && touch "$work/ro/file"
check "rank 0 cannot write its directory" status_is 1 mpi 2 sweep "$flagship" -n 4 --out "$work/ro/file/sub" --quiet
check "the error is said" grep -q "cannot create directory" "$work/err"

finish
