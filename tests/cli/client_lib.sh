#!/bin/sh
# End-to-end tests of compiled VDS clients loaded with --client-lib (sim/com).
# usage: client_lib.sh TEST LUNSIM EXAMPLE_SO TEST_CLIENTS_SO SOURCE_DIR SAMPLE_SO CREATE_LUN_SO
#   (tests/compat: SAMPLE_SO is the "Loading VDS" documentation sample built with
#   -Dmain=sample_loading_vds; CREATE_LUN_SO the "Managing Asynchronous Operations" sample's
#   SynchronousCreateLun behind the entry sample_synchronous_create_lun)
#   check_column  check --client-lib adds the example as a column: exit 0, its 22 rows in
#                 check.csv, the same verdicts as the reference client
#   run_clients   run --client-lib with a main entry and --client-count 3: clients.csv with
#                 three finished clients, byte-identical on a second run
#   leaks         a client that forgets one Release: leaks.csv names the LUN, the client and 1
#   hang          a never-completing create (provider.faults): the client is reported hung in
#                 IVdsAsync::Wait, the run still exits 0 and writes its directory
#   gxx_build     the README's build line (plain g++, only sim/compat on the include path) makes
#                 a library `check` loads; the README's excerpt of the example is verbatim
#   void_main     the "Loading VDS" sample (void __cdecl main(void), unchanged) runs to the end
#                 in every row of check --entry-kind void_main: S_OK, holding the service it
#                 keeps; run writes its clients.csv row; the README's g++ line for it builds a
#                 library that loads (its main found under C++ linkage) and prints its message
#   sample_create_lun  the SynchronousCreateLun sample, as written, gets exactly the reference
#                 client's cells in every row of check: verdict, HRESULT, orphaned LUNs,
#                 leaked references, violations, finished
#   bad_input     a missing library, a missing entry point, --client-lib without --entry,
#                 client options without --client-lib, an unknown --entry-kind, a bad
#                 --fiber-stack or --client-count, a built-in client's name, arguments to a
#                 subsystem or void_main entry and too many stacks each exit 2 with a message
#                 and create no output directory
set -u
TEST=$1
LUNSIM=$2
EXAMPLE=$3
CLIENTS=$4
SRC=$5
SAMPLE=$6
CREATE_LUN=$7
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-clientlib.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL [$TEST]: $*" >&2; exit 1; }
cd "$work" || exit 1

case $TEST in
  check_column)
    "$LUNSIM" check --client-lib "$EXAMPLE" --entry vds_create_lun -o c > out.txt 2> err.txt || fail "check exited $?: $(cat err.txt)"
    head -1 out.txt | grep -q "vds_create_lun" || fail "no column for the client: $(head -1 out.txt)"
    rows=$(grep -c ',vds_create_lun,' c/check.csv)
    [ "$rows" -eq 22 ] || fail "expected 22 rows of vds_create_lun in check.csv, found $rows"
    # Same verdict as the reference client in every row (column 3).
    awk -F, '$2=="reference"{r[$1]=$3} $2=="vds_create_lun"{e[$1]=$3} END{for(b in r) if(r[b]!=e[b]){print b; exit 1}}' \
      c/check.csv > diff.txt || fail "verdicts differ from the reference client's: $(cat diff.txt)"
    ;;
  run_clients)
    for d in a b; do
      "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" -o $d -q --client-lib "$EXAMPLE" --entry vds_create_lun_main \
        --entry-kind main --client-count 3 --fiber-stack 64KiB 2> err.txt || fail "run $d exited $?: $(cat err.txt)"
    done
    [ -f a/clients.csv ] || fail "no clients.csv"
    [ "$(grep -c ',main,finished,0x00000000,S_OK,0,' a/clients.csv)" -eq 3 ] || fail "expected 3 finished clients: $(cat a/clients.csv)"
    grep -q '^vds_create_lun_main#3,' a/clients.csv || fail "holders are not numbered"
    grep -q ',65536,' a/clients.csv || fail "stack size not reported"
    cmp -s a/clients.csv b/clients.csv || fail "clients.csv differs between two runs"
    cmp -s a/luns.csv b/luns.csv || fail "luns.csv differs between two runs"
    ;;
  leaks)
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" -o r -q --client-lib "$CLIENTS" --entry forgetful_create_lun \
      2> err.txt || fail "run exited $?: $(cat err.txt)"
    grep -q ',lun,client,forgetful_create_lun,1$' r/leaks.csv || fail "the forgotten reference is not in leaks.csv: $(cat r/leaks.csv)"
    grep -q '^forgetful_create_lun,.*,1,0,[0-9]*,[0-9]*$' r/clients.csv || fail "clients.csv does not count the leak"
    ;;
  hang)
    cat > never.yaml <<'EOF'
schema_version: 1
name: never
seed: 1
drive_models:
  disk: {capacity: 100GB, bandwidth: 200MB/s, latency: 2ms}
subsystems:
  - name: array
    management_latency: 100ms
    enclosures:
      - {name: shelf, drives: {model: disk, count: 8}}
provider:
  faults:
    - {op: create_lun, behavior: never_completes, nth: 1}
EOF
    "$LUNSIM" run never.yaml -o r --client-lib "$EXAMPLE" --entry vds_create_lun > out.txt 2> err.txt \
      || fail "run exited $?: $(cat err.txt)"
    grep -q '^vds_create_lun,vds_create_lun,subsystem,hang,,,,0.000000000,,IVdsAsync::Wait,0.000000000,' r/clients.csv \
      || fail "the client is not reported hung in Wait: $(cat r/clients.csv)"
    grep -q '0 succeeded, 0 failed, 1 hung' out.txt || fail "summary: $(cat out.txt)"
    grep -q ',async,client,vds_create_lun,1$' r/leaks.csv || fail "the hung client's handle is not in leaks.csv"
    ;;
  gxx_build)
    CXX=${CXX:-g++}
    "$CXX" -std=c++17 -shared -fPIC -I "$SRC/sim/compat" "$SRC/examples/vds_client.cpp" -o libmyclient.so 2> cc.txt \
      || fail "g++ failed: $(cat cc.txt)"
    "$LUNSIM" check --client-lib ./libmyclient.so --entry vds_create_lun --faults none,null_handle,wrong_output_type \
      -o c > out.txt 2> err.txt || fail "check exited $?: $(cat err.txt)"
    grep -q '^none  *ok  *ok  *ok  *ok ' out.txt || fail "unexpected matrix: $(cat out.txt)"
    awk '/<!-- excerpt: examples\/vds_client.cpp CreateRaid5Lun -->/{on=1; next} on && /^```cpp/{next} on && /^```/{exit} on' \
      "$SRC/README.md" > excerpt.txt
    sed -n '/^HRESULT CreateRaid5Lun/,/^}/p' "$SRC/examples/vds_client.cpp" > source.txt
    [ -s excerpt.txt ] || fail "no excerpt in README.md"
    cmp -s excerpt.txt source.txt || fail "README excerpt differs from examples/vds_client.cpp: $(diff excerpt.txt source.txt)"
    ;;
  void_main)
    "$LUNSIM" check --client-lib "$SAMPLE" --entry sample_loading_vds --entry-kind void_main -o c > out.txt 2> err.txt \
      || fail "check exited $?: $(cat err.txt)"
    # Its verdict row: finished with S_OK, no LUN made, the service it keeps held at the end.
    grep -q '^none,sample_loading_vds,ok,0x00000000,S_OK,0,1,,0,0,true,,$' c/check.csv \
      || fail "no finished verdict row: $(grep sample_loading_vds c/check.csv | head -3)"
    rows=$(grep -c '^[a-z_]*,sample_loading_vds,[a-z_]*,0x00000000,S_OK,0,1,,0,0,true,,$' c/check.csv)
    [ "$rows" -eq 22 ] || fail "expected 22 finished rows, found $rows: $(grep sample_loading_vds c/check.csv)"
    grep -q 'VDS Service Loaded' out.txt || fail "the sample's printf is not on stdout"
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" -o r -q --client-lib "$SAMPLE" --entry sample_loading_vds \
      --entry-kind void_main 2> err.txt || fail "run exited $?: $(cat err.txt)"
    grep -q '^sample_loading_vds,sample_loading_vds,void_main,finished,0x00000000,S_OK,,0.000000000,1.000000000,,,0,3,1,' \
      r/clients.csv || fail "clients.csv: $(cat r/clients.csv)"
    grep -q '^service/vds,service,client,sample_loading_vds,1$' r/leaks.csv || fail "leaks.csv: $(cat r/leaks.csv)"
    # The README's build line for a sample, by hand.
    CXX=${CXX:-g++}
    "$CXX" -std=c++17 -shared -fPIC -Wall -Wno-unknown-pragmas -I "$SRC/sim/compat" -Dmain=sample_loading_vds \
      "$SRC/tests/compat/samples/loading_vds.cpp" -o libloadingvds.so 2> cc.txt || fail "g++ failed: $(cat cc.txt)"
    [ ! -s cc.txt ] || fail "g++ warned: $(cat cc.txt)"
    "$LUNSIM" check --client-lib ./libloadingvds.so --entry sample_loading_vds --entry-kind void_main --faults none \
      -o g > out.txt 2> err.txt || fail "check of the g++ build exited $?: $(cat err.txt)"
    grep -q '^none,sample_loading_vds,ok,' g/check.csv || fail "g++ build: $(cat g/check.csv)"
    ;;
  sample_create_lun)
    "$LUNSIM" check --client-lib "$CREATE_LUN" --entry sample_synchronous_create_lun -o c > out.txt 2> err.txt \
      || fail "check exited $?: $(cat err.txt)"
    rows=$(grep -c ',sample_synchronous_create_lun,' c/check.csv)
    [ "$rows" -eq 22 ] || fail "expected 22 rows of the sample in check.csv, found $rows"
    # Columns 3 verdict, 4 HRESULT, 6 orphaned LUNs, 7 leaked references, 9 provider violations, 11 finished.
    awk -F, '{k=$3","$4","$6","$7","$9","$11} $2=="reference"{r[$1]=k} $2=="sample_synchronous_create_lun"{e[$1]=k}
             END{for(b in r) if(r[b]!=e[b]){print b": "r[b]" vs "e[b]; exit 1}}' c/check.csv > diff.txt \
      || fail "the sample differs from the reference client: $(cat diff.txt)"
    # Column 10, the client's own protocol violations: the sample releases the handle a failed
    # CreateLun handed out (sync_error_with_handle), which is not its to release; nothing else.
    awk -F, '$2=="sample_synchronous_create_lun" && $10!=($1=="sync_error_with_handle"?1:0){print; exit 1}
             $2=="reference" && $10!=0{print; exit 1}' c/check.csv > diff.txt \
      || fail "client violations: $(cat diff.txt)"
    grep -q '^sync_error_with_handle,sample_synchronous_create_lun,[0-9.]*,[^,]*:sync-error,over_release,Release$' \
      c/client-violations.csv || fail "client-violations.csv: $(cat c/client-violations.csv)"
    ;;
  bad_input)
    expect2() {  # expect2 WHAT PATTERN ARGS...: exit 2, PATTERN on stderr, no output directory
      what=$1 pattern=$2
      shift 2
      "$LUNSIM" "$@" -o out > /dev/null 2> err.txt
      rc=$?
      [ $rc -eq 2 ] || fail "$what: exit $rc, expected 2"
      grep -q -- "$pattern" err.txt || fail "$what: stderr lacks '$pattern': $(cat err.txt)"
      [ ! -e out ] || fail "$what: created the output directory"
    }
    expect2 "missing library" "nope.so: cannot load client library" check --client-lib ./nope.so --entry x
    expect2 "missing entry" "no symbol 'nope'" run --client-lib "$EXAMPLE" --entry nope
    expect2 "no --entry" "needs --entry NAME" check --client-lib "$EXAMPLE"
    expect2 "no --client-lib" "needs --client-lib" run --entry vds_create_lun
    expect2 "bad kind" "unknown kind 'program' (accepted: subsystem, main, void_main)" check --client-lib "$EXAMPLE" --entry x --entry-kind program
    expect2 "void main of the wrong kind" "nor a C++ int sample_loading_vds(int, char\*\*)" check --client-lib "$SAMPLE" \
      --entry sample_loading_vds --entry-kind main
    expect2 "bad stack" "'1KiB' is not a size from 16KiB to 1GiB" run --client-lib "$EXAMPLE" --entry vds_create_lun --fiber-stack 1KiB
    expect2 "bad count" "client-count" run --client-lib "$EXAMPLE" --entry vds_create_lun --client-count 0
    expect2 "reserved name" "'reference' is the name of a built-in client" check --client-lib "$CLIENTS" --entry reference
    expect2 "stack without library" "--fiber-stack: needs --client-lib" run --fiber-stack 64KiB
    expect2 "count without library" "--client-count: needs --client-lib" run --client-count 4
    expect2 "args to a subsystem entry" "a subsystem entry takes no arguments" run --client-lib "$EXAMPLE" --entry vds_create_lun --client-arg 8
    expect2 "args to a void_main entry" "a void_main entry takes no arguments" run --client-lib "$SAMPLE" --entry sample_loading_vds \
      --entry-kind void_main --client-arg 8
    expect2 "too much stack" "more than 64GiB of stacks" run --client-lib "$EXAMPLE" --entry vds_create_lun --client-count 100000 --fiber-stack 1MiB
    ;;
  *)
    fail "unknown test"
    ;;
esac
