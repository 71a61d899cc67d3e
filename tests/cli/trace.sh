#!/bin/sh
# End-to-end tests of trace loads (`io: {trace: FILE, format, map, ...}`).
# usage: trace.sh TEST LUNSIM SOURCE_DIR
#   fio        a trace recorded by the real fio (--write_iolog, version 3: Debian's fio 3.33) of
#              a random read/write job on a scratch file, replayed onto a drive: replays.csv and
#              io.csv count every read and write fio logged, with fio's bytes; skipped (exit 77)
#              when fio is not installed (apt-get install fio)
#   bad_line   a trace with a malformed line: validate and run exit 2 with the trace's
#              file:line:column and the field, and run creates no output
#   shipped    scenarios/trace-replay.yaml replays all of scenarios/traces/fio-oltp.log
set -u
TEST=$1
LUNSIM=$2
SRC=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-trace.XXXXXX")
cap=$work/.cap
mkdir "$cap" || exit 1
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

# scenario FILE TRACE FORMAT: a one-drive scenario replaying TRACE (every device onto the drive).
scenario() {
  cat > "$work/$1" <<EOF
name: replay
horizon: 1h
drive_models:
  d: {capacity: 1GB, bandwidth: 200MB/s, latency: 1ms}
subsystems:
  - name: a
    enclosures:
      - {name: e, drives: {model: d, count: 1}}
workload:
  - io: {name: fio, trace: $2, format: $3, map: {"*": e/0}}
EOF
}

case $TEST in
  fio)
    command -v fio >/dev/null 2>&1 || { echo "SKIP: fio is not installed (apt-get install fio)"; exit 77; }
    # write_iolog appends to an existing log: start from none.
    rm -f "$work/fio.log"
    (cd "$work" && fio --name=oltp --filename="$work/data" --size=8M --rw=randrw --rwmixread=70 --bs=4k \
       --ioengine=psync --number_ios=500 --randseed=7 --write_iolog="$work/fio.log" --output=/dev/null) ||
      fail "fio failed"
    head -n 1 "$work/fio.log" | grep -qx 'fio version [23] iolog' || fail "fio wrote no iolog: $(head -n 2 "$work/fio.log")"
    # What fio logged: requests and bytes per direction (v3: time file action offset length).
    set -- $(awk 'NR > 1 && ($3 == "read" || $3 == "write") { n[$3]++; b[$3] += $5 }
                  END { printf "%d %d %d %d", n["read"], b["read"], n["write"], b["write"] }' "$work/fio.log")
    reads=$1 read_bytes=$2 writes=$3 write_bytes=$4
    [ $((reads + writes)) -ge 500 ] || fail "fio logged $reads reads and $writes writes, expected 500 requests"
    scenario s.yaml fio.log fio
    lun run s.yaml -o out -q
    expect_rc 0 "run of the fio trace"
    replays=$work/out/replays.csv
    [ -f "$replays" ] || fail "no replays.csv"
    line=$(sed -n 2p "$replays")
    expected="fio,fio.log,fio,recorded,$((reads + writes)),$((reads + writes)),0,0,$((read_bytes + write_bytes))"
    [ "$line" = "$expected" ] || fail "replays.csv: $line, expected $expected"
    io=$work/out/io.csv
    got=$(awk -F, '$1 == "fio" { print $3 ":" $4 ":" $6 }' "$io" | sort | tr '\n' ' ')
    want=""
    [ "$reads" -gt 0 ] && want="read:$reads:$read_bytes "
    [ "$writes" -gt 0 ] && want="${want}write:$writes:$write_bytes "
    [ "$got" = "$want" ] || fail "io.csv (kind:count:bytes): '$got', expected '$want'"
    ;;
  bad_line)
    printf 'fio version 3 iolog\n10 /dev/sdb read 0 4096\n20 /dev/sdb read 4096 four\n' > "$work/bad.log"
    scenario s.yaml bad.log fio
    for cmd in validate run; do
      if [ $cmd = run ]; then lun run s.yaml -o out; else lun validate s.yaml; fi
      expect_rc 2 "$cmd of a scenario with a malformed trace"
      grep -q "^bad.log:3:23: error: trace fio: field 'length': expected a byte count (a whole number), found \"four\"" "$cap/stderr" ||
        { show_last; fail "$cmd: no positioned error for the trace's line 3"; }
    done
    [ ! -e "$work/out" ] || fail "run created output for a bad trace"
    ;;
  shipped)
    lun run "$SRC/scenarios/trace-replay.yaml" -o out -q
    expect_rc 0 "run of scenarios/trace-replay.yaml"
    records=$(awk 'NR > 1 && ($3 == "read" || $3 == "write")' "$SRC/scenarios/traces/fio-oltp.log" | wc -l)
    line=$(sed -n 2p "$work/out/replays.csv")
    echo "$line" | grep -q "^oltp,traces/fio-oltp.log,fio,recorded,$records,$records,0,0," ||
      fail "replays.csv: $line (the trace has $records requests, all to be replayed)"
    ;;
  *)
    fail "unknown test $TEST"
    ;;
esac
exit 0
