#!/usr/bin/env bash
# Loopback benchmarks of the emulator against a bare net/http server
# (bench/baseline) writing the same bytes, driven by wrk, in one run:
#
#   Get Group      wrk -t1 -c16, journal on, ten inactive fault rules,
#                  100,000 groups (getgroup.lua)
#   heartbeats     wrk -t1 -c16, generally available heartbeats to the 50
#                  sessions of one group (heartbeat.lua)
#
# Both servers run side by side; wrk is run on each alternately, ROUNDS
# times per workload, and the script prints every run, then the medians:
# requests per second, the ratio emulator/baseline, p50/p99 latencies, and
# the CPU time the server process used per request (from /proc, so Linux
# only), whose ratio baseline/emulator stays meaningful when other work on
# the machine takes cores away from the servers. Only ratios mean anything
# on a shared machine.
#
#   bench/wrk/run.sh                       # ROUNDS=5 DURATION=10s
#   ROUNDS=3 DURATION=5s bench/wrk/run.sh
#
# Needs wrk (Debian's package): the script installs it with apt-get when
# it runs as root and wrk is missing, else it says how.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
GROUPS_N=${GROUPS_N:-100000}
SESSIONS=${SESSIONS:-50}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk (apt-get install wrk)" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: install it with 'sudo apt-get install wrk' (Debian/Ubuntu) and run again" >&2
    exit 1
  fi
fi

calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the emulator, the baseline and a fixture of $GROUPS_N groups" >&2
(cd "$root" && go build -o "$work/emulator" ./cmd/emulator && go build -o "$work/baseline" ./bench/baseline &&
  go run ./bench/fixturegen --groups "$GROUPS_N" --sessions "$SESSIONS" >"$work/fixture.json")

# start NAME CMD... runs CMD in the background and sets URL from its first
# line ("listening on URL") and PID.
start() {
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  PID=$!
  pids+=($PID)
  for _ in $(seq 600); do
    if grep -q '^listening on ' "$work/$name.out" 2>/dev/null; then
      URL=$(sed -n 's/^listening on //p' "$work/$name.out" | head -1)
      return
    fi
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.err" >&2; exit 1
}

t0=$(date +%s.%N)
start emulator "$work/emulator" --addr 127.0.0.1:0 --log-level error --fixtures "$work/fixture.json"
EMU=$URL EMU_PID=$PID
until curl -fsS "$EMU/_emulator/health" >/dev/null 2>&1; do sleep 0.01; done
t1=$(date +%s.%N)
echo "emulator ready at $EMU in $(calc "($t1 - $t0) * 1000") ms (fixture of $GROUPS_N groups)" >&2

for i in $(seq 0 9); do
  curl -fsS -o /dev/null -X POST "$EMU/_emulator/faults" -H 'Content-Type: application/json' \
    -d "{\"Match\":{\"Operation\":\"GetGroupConfiguration\",\"Path\":\"/api/v1-preview/tenants/other-$i/*/*/*/*/*\"},\"Action\":{\"Status\":503}}"
done

# What the emulator answers, for the baseline to write the same bytes.
preview=/api/v1-preview/tenants/bench/namespaces/ns/clientfailover
ga=/api/v1/tenants/bench/namespaces/ns/clientfailover
curl -fsS -o "$work/get.json" "$EMU$preview/groups/g50000"
curl -fsS -o "$work/post.json" -X POST "$EMU$ga/groups/hb/clientsessions/s0/heartbeat" \
  -H 'Content-Type: application/json' -d '{"FailoverScore": 0, "LastDataProcessedTime": "2026-01-01T00:00:00Z"}'
ctype=$(curl -fsS -D - -o /dev/null "$EMU$preview/groups/g50000" | sed -n 's/^[Cc]ontent-[Tt]ype: *//p' | tr -d '\r')
start baseline "$work/baseline" --get "$work/get.json" --post "$work/post.json" --header "Content-Type: $ctype"
BASE=$URL BASE_PID=$PID
tck=$(getconf CLK_TCK)

# cpu PID: the CPU time (user + system) the process has used, in ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run SERVER URL PID SCRIPT: one wrk run; prints "rps p50us p99us cpu_us_per_request".
run() {
  local out c0 c1
  c0=$(cpu "$3")
  out=$(BENCH_GROUPS=$GROUPS_N wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/$4" "$2")
  c1=$(cpu "$3")
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "$1: wrong answers:" >&2; echo "$out" >&2; exit 1
  fi
  awk -v ticks=$((c1 - c0)) -v tck="$tck" '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
    /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) } /^Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    END { printf "%.0f %.0f %.0f %.1f\n", rps, p50, p99, n ? ticks / tck * 1e6 / n : 0 }' <<<"$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

summary=()
for workload in getgroup:"Get Group (100,000 groups, journal on, 10 inactive fault rules)" heartbeat:"Heartbeat (GA, 50 sessions of one group)"; do
  script=${workload%%:*}.lua title=${workload#*:}
  echo "== $title: wrk -t1 -c$CONNECTIONS -d$DURATION --latency -s $script" >&2
  # a warm-up run of each, not counted
  run emulator "$EMU" "$EMU_PID" "$script" >/dev/null; run baseline "$BASE" "$BASE_PID" "$script" >/dev/null
  : >"$work/emu.txt"; : >"$work/base.txt"; : >"$work/ratios.txt"
  for r in $(seq "$ROUNDS"); do
    e=$(run emulator "$EMU" "$EMU_PID" "$script"); b=$(run baseline "$BASE" "$BASE_PID" "$script")
    echo "$e" >>"$work/emu.txt"; echo "$b" >>"$work/base.txt"
    read -r er ep50 ep99 ecpu <<<"$e"; read -r br bp50 bp99 bcpu <<<"$b"
    echo "$(calc "$er / $br") $(calc "$bcpu / $ecpu")" >>"$work/ratios.txt"
    printf '  round %d: emulator %6d req/s (p50 %5d us, p99 %6d us, %5.1f us CPU/req)   baseline %6d req/s (p50 %5d us, p99 %6d us, %5.1f us CPU/req)   ratio %.2f (CPU %.2f)\n' \
      "$r" "$er" "$ep50" "$ep99" "$ecpu" "$br" "$bp50" "$bp99" "$bcpu" "$(calc "$er / $br")" "$(calc "$bcpu / $ecpu")" >&2
  done
  col() { cut -d' ' -f"$1" "$2" | median; }
  er=$(col 1 "$work/emu.txt"); br=$(col 1 "$work/base.txt")
  ep50=$(col 2 "$work/emu.txt"); bp50=$(col 2 "$work/base.txt")
  ep99=$(col 3 "$work/emu.txt"); bp99=$(col 3 "$work/base.txt")
  ecpu=$(col 4 "$work/emu.txt"); bcpu=$(col 4 "$work/base.txt")
  ratio=$(col 1 "$work/ratios.txt"); cpuratio=$(col 2 "$work/ratios.txt")
  summary+=("$(printf '%-66s emulator %7.0f req/s  baseline %7.0f req/s  ratio %.2f   p50 %5.0f / %5.0f us   p99 %6.0f / %6.0f us   CPU/req %5.1f / %5.1f us (ratio %.2f)' \
    "$title" "$er" "$br" "$ratio" "$ep50" "$bp50" "$ep99" "$bp99" "$ecpu" "$bcpu" "$cpuratio")")
done
echo
echo "medians of $ROUNDS rounds; each ratio is the median of the rounds' own ratios (p50, p99, CPU per request: emulator / baseline):"
printf '%s\n' "${summary[@]}"
