#!/usr/bin/env bash
# Order-intake benchmark: a Release node on a throwaway PostgreSQL server, driven over HTTP by tests/InventorySync.LoadGen.
# Runs the GET baseline, a hot SKU and orders spread over 10,000 SKUs (closed loop, 64 connections), then each order
# scenario open loop at half its measured rate for latency; writes bench-results/orders-<timestamp>.md.
# Each run starts a fresh node on a new database of its own, so no run carries the state of the one before.
# Warm-up: at least WARMUP seconds of the same load, then on until the node's JIT settles (its compilation time, from
# its /metrics, grows less than JIT_SETTLE_MS over 5 s), at most WARMUP_MAX seconds. A fresh node recompiles ~20,000
# methods in its first ~30 s under load (tiered compilation) at a third of its later throughput; a fixed 15 s warm-up
# measured mostly that.
# Environment: DURATION (s, default 30), WARMUP (s, default 15), JIT_SETTLE_MS (default 50), WARMUP_MAX (s, default 120),
# CONNECTIONS (default 64), SKUS (default 10000), RUNS (default all: get-baseline hot-closed spread-closed hot-open
# spread-open; an open run needs its closed run unless its rate is given), HOT_RATE / SPREAD_RATE (orders/s of the
# open-loop runs, default half the closed-loop figure; a fixed rate compares settings at equal load),
# R2R=1 (the node published ahead-of-time compiled, ReadyToRun),
# DIRTY_BACKGROUND_BYTES (root only: sets the kernel's vm.dirty_background_bytes for the run and restores it after; README,
# "Where the spread tail comes from": with the default, PostgreSQL's new table pages sit dirty for 30 s and are then
# written in one burst that stalls every commit behind it),
# LOADER (wrk when it is installed, else loadgen): what drives the GET baseline and the closed-loop runs. wrk
# (apt-get install wrk; bench/orders.lua) costs the shared 2 cores about a third of the CPU per request the .NET load
# generator does. Open-loop runs always use the load generator: it measures latency from each request's due time.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

duration=${DURATION:-30}
warmup=${WARMUP:-15}
jit_settle_ms=${JIT_SETTLE_MS:-50}
warmup_max=${WARMUP_MAX:-120}
runs=" ${RUNS:-get-baseline hot-closed spread-closed hot-open spread-open} "
r2r=${R2R:-0}
connections=${CONNECTIONS:-64}
loader=${LOADER:-$(command -v wrk >/dev/null 2>&1 && echo wrk || echo loadgen)}
[ "$loader" = wrk ] || [ "$loader" = loadgen ] || { echo "LOADER must be wrk or loadgen, not '$loader'" >&2; exit 1; }
[ "$loader" = loadgen ] || command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk, or LOADER=loadgen" >&2; exit 1; }
skus=${SKUS:-10000}
hot_rate=${HOT_RATE:-}
spread_rate=${SPREAD_RATE:-}
dirty_background_bytes=${DIRTY_BACKGROUND_BYTES:-}
[[ -z "$dirty_background_bytes" || "$dirty_background_bytes" =~ ^[1-9][0-9]*$ ]] || { echo "DIRTY_BACKGROUND_BYTES must be a whole number of bytes, not '$dirty_background_bytes'" >&2; exit 1; }
if [ -n "$dirty_background_bytes" ] && ! [ -w /proc/sys/vm/dirty_background_bytes ]; then
  echo "DIRTY_BACKGROUND_BYTES sets vm.dirty_background_bytes, which needs root" >&2; exit 1
fi
for rate in "$hot_rate" "$spread_rate"; do
  [[ -z "$rate" || "$rate" =~ ^[1-9][0-9]*$ ]] || { echo "HOT_RATE and SPREAD_RATE must be whole orders per second, not '$rate'" >&2; exit 1; }
done
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results_dir="$repo/bench-results"
report="$results_dir/orders-$stamp.md"
work=$(mktemp -d /tmp/inventorysync-bench-XXXXXX)
mkdir -p "$results_dir"

find_pg_bin() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && { echo "$dir"; return; }; done
  echo "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install -y postgresql" >&2
  exit 1
}
free_port() {
  local port
  while true; do
    port=$(shuf -i 20000-60000 -n 1)
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# CPU ticks of a process (fields after the ")" so a name with spaces cannot shift them).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# CPU ticks of the PostgreSQL server: the postmaster, its reaped children, and the live ones.
pg_ticks() {
  local master total
  master=$(head -n 1 "$pg_data/postmaster.pid")
  total=$(sed 's/.*) //' "/proc/$master/stat" | awk '{ print $12 + $13 + $14 + $15 }')
  for child in $(pgrep -P "$master"); do
    total=$((total + $(cpu_ticks "$child" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# The node's own GC figures from /metrics: total pause seconds, collections per generation, bytes allocated.
metric() { curl -fs "$url/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
gc_sample() {
  echo "$(metric system_runtime_dotnet_gc_pause_time) $(metric 'system_runtime_dotnet_gc_collections{gc_heap_generation="gen0"}') \
$(metric 'system_runtime_dotnet_gc_collections{gc_heap_generation="gen1"}') \
$(metric 'system_runtime_dotnet_gc_collections{gc_heap_generation="gen2"}') $(metric system_runtime_dotnet_gc_heap_total_allocated)"
}
# gc_delta BEFORE AFTER: "pause s (gen0/gen1/gen2 collections)" and allocated GB between two samples.
gc_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.2f (%d/%d/%d) | %.1f", y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4] - x[4], (y[5] - x[5]) / 1e9 }'
}
machine_ticks() { awk '/^cpu / { busy = 0; for (i = 2; i <= 9; i++) if (i != 5 && i != 6) busy += $i; print busy }' /proc/stat; }

host_pid=""
pg_data="$work/pg"
# The kernel's writeback settings before this run: "BYTES RATIO" (one of them is 0), restored on exit.
writeback_before=""
# writeback: when the kernel starts writing dirty pages in the background, as the report gives it.
writeback() {
  local bytes ratio
  bytes=$(cat /proc/sys/vm/dirty_background_bytes) ratio=$(cat /proc/sys/vm/dirty_background_ratio)
  if [ "$bytes" != 0 ]; then echo "vm.dirty_background_bytes=$bytes"; else echo "vm.dirty_background_ratio=$ratio% of memory"; fi
}
cleanup() {
  set +e
  if [ -n "$writeback_before" ]; then
    read -r bytes ratio <<<"$writeback_before"
    if [ "$bytes" != 0 ]; then echo "$bytes" >/proc/sys/vm/dirty_background_bytes; else echo "$ratio" >/proc/sys/vm/dirty_background_ratio; fi
  fi
  if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then
    kill -TERM "$host_pid"
    for _ in $(seq 1 300); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$host_pid" 2>/dev/null
  fi
  [ -f "$pg_data/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "building Release"
host_dll=src/InventorySync.Host/bin/Release/net10.0/InventorySync.Host.dll
if [ "$r2r" = 1 ]; then
  dotnet publish src/InventorySync.Host -c Release -nologo -v q -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$work/host" >/dev/null
  host_dll="$work/host/InventorySync.Host.dll"
else
  dotnet build -c Release -nologo -v q src/InventorySync.Host >/dev/null
fi
dotnet build -c Release -nologo -v q tests/InventorySync.LoadGen >/dev/null

if [ -n "$dirty_background_bytes" ]; then
  writeback_before="$(cat /proc/sys/vm/dirty_background_bytes) $(cat /proc/sys/vm/dirty_background_ratio)"
  echo "$dirty_background_bytes" >/proc/sys/vm/dirty_background_bytes
fi

pg_bin=$(find_pg_bin)
pg_port=$(free_port)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work"
as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/postgres.log" -w \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port"

http_port=$(free_port)
url="http://127.0.0.1:$http_port"
host_cmd=()
# start_node DATABASE: a fresh Release node on its own new database (each run starts from an empty node and journal).
start_node() {
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$1"
  local connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"
  host_cmd=(dotnet "$host_dll"
    --urls "$url" --Cluster:Port=0
    --Persistence:Provider=postgres "--Persistence:ConnectionString=$connection")
  "${host_cmd[@]}" >"$work/host-$1.log" 2>&1 &
  host_pid=$!
  for _ in $(seq 1 600); do
    curl -fs "$url/healthz/ready" >/dev/null 2>&1 && break
    kill -0 "$host_pid" 2>/dev/null || { echo "the node exited:"; tail -50 "$work/host-$1.log"; exit 1; }
    sleep 0.1
  done
  curl -fs "$url/healthz/ready" >/dev/null || { echo "the node was not ready within 60 s:"; tail -50 "$work/host-$1.log"; exit 1; }
  echo "node ready at $url (pid $host_pid, database $1)"
}
stop_node() {
  kill -TERM "$host_pid"
  for _ in $(seq 1 300); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$host_pid" 2>/dev/null || true
  wait "$host_pid" 2>/dev/null || true
  host_pid=""
}

rows=()
commands=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
clk=$(getconf CLK_TCK)
cores=$(nproc)
seconds() { awk -v t="$1" -v c="$clk" 'BEGIN { printf "%.1f", t / c }'; }
# run NAME LOADGEN-ARGS...: one measured run; appends a table row.
run() {
  local name=$1; shift
  [[ "$runs" == *" $name "* ]] || return 0
  local out="$work/$name.json"
  start_node "${name//-/_}"
  local args=(--url "$url" --connections "$connections" --duration "$duration" --warmup "$warmup"
    --jit-settle-ms "$jit_settle_ms" --warmup-max "$warmup_max" --out "$out" "$@")
  commands+=("dotnet run -c Release --no-build --project tests/InventorySync.LoadGen -- ${args[*]}")
  local host_before pg_before machine_before gc_before
  gc_before=$(gc_sample)
  host_before=$(cpu_ticks "$host_pid")
  pg_before=$(pg_ticks)
  machine_before=$(machine_ticks)
  local started
  started=$(date +%s.%N)
  dotnet run -c Release --no-build --project tests/InventorySync.LoadGen -- "${args[@]}"
  local wall
  wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  local host_cpu pg_cpu machine_cpu
  host_cpu=$(seconds $(($(cpu_ticks "$host_pid") - host_before)))
  pg_cpu=$(seconds $(($(pg_ticks) - pg_before)))
  machine_cpu=$(seconds $(($(machine_ticks) - machine_before)))
  local gc
  gc=$(gc_delta "$gc_before" "$(gc_sample)")
  rows+=("$(jq -r --arg name "$name" --arg host_cpu "$host_cpu" --arg pg_cpu "$pg_cpu" --arg wall "$wall" \
    --arg machine_cpu "$machine_cpu" --arg gc "$gc" --arg capacity "$(awk -v w="$wall" -v c="$cores" 'BEGIN { printf "%.1f", w * c }')" \
    '"| \($name) | \(.mode)\(if .targetRate then " @ \(.targetRate|floor)/s" else "" end) | \(.skus) | \(.warmupSeconds) (\(.nodeJitSecondsWarmup // "?" | if type == "number" then (.*10|round/10) else . end) / \(.nodeJitSecondsMeasured // "?" | if type == "number" then (.*100|round/100) else . end)) | \(.okPerSecond|floor) | \(.latencyMs.p50) | \(.latencyMs.p90) | \(.latencyMs.p99) | \(.latencyMs.p999) | \(.latencyMs.max) | \((.non200|to_entries|map(.value)|add) // 0) + \(.exceptions) | \(.rejectedOrBackordered) | \($host_cpu) | \($pg_cpu) | \(.loadgenCpuSeconds*10|floor/10) | \($machine_cpu) of \($capacity) | \($gc) |"' "$out")")
  stop_node
}
# wrk_pass SECONDS NAME SCENARIO [SKUS]: one wrk pass of the scenario (orders with ids unique to NAME); its JSON line.
wrk_pass() {
  wrk -t1 -c"$connections" -d"$1s" -s bench/orders.lua "$url" -- "$3" P "${4:-1}" "$2" | tail -n 1
}
# children_cpu FILE: CPU seconds (user + system) of this shell's finished child processes so far, written to FILE
# (\`times\` in a subshell would see only the subshell's children).
children_cpu() {
  times >"$1"
  tail -n 1 "$1" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' >"$1.s"
}
# run_wrk NAME SCENARIO [SKUS]: a closed-loop run driven by wrk: seed (the load generator's --seed-only), warm up in 5 s
# passes until the node's JIT settles, then one measured pass; CPU and GC figures cover the measured pass only.
run_wrk() {
  local name=$1 scenario=$2 sku_count=${3:-1}
  [[ "$runs" == *" $name "* ]] || return 0
  local out="$work/$name.json"
  start_node "${name//-/_}"
  if [ "$scenario" != get ]; then
    dotnet run -c Release --no-build --project tests/InventorySync.LoadGen -- --url "$url" --scenario "$scenario" \
      --skus "$sku_count" --sku-prefix P --seed-only true
  fi
  local jit_start jit_before jit_after warmed=0 pass=0
  jit_start=$(metric system_runtime_dotnet_jit_compilation_time)
  while true; do
    pass=$((pass + 1))
    jit_before=$(metric system_runtime_dotnet_jit_compilation_time)
    wrk_pass 5 "$name-warmup-$pass" "$scenario" "$sku_count" >/dev/null
    warmed=$((warmed + 5))
    jit_after=$(metric system_runtime_dotnet_jit_compilation_time)
    if [ "$warmed" -ge "$warmup" ] && awk -v a="$jit_before" -v b="$jit_after" -v t="$jit_settle_ms" 'BEGIN { exit !((b - a) * 1000 < t) }'; then break; fi
    [ "$warmed" -ge "$warmup_max" ] && break
  done
  echo "$name: warmed up for $warmed s"
  commands+=("wrk -t1 -c$connections -d${duration}s -s bench/orders.lua $url -- $scenario P $sku_count $name   # after $warmed s of 5 s passes")
  local host_before pg_before machine_before gc_before started
  gc_before=$(gc_sample)
  host_before=$(cpu_ticks "$host_pid")
  pg_before=$(pg_ticks)
  machine_before=$(machine_ticks)
  children_cpu "$work/times-before"
  started=$(date +%s.%N)
  wrk_pass "$duration" "$name" "$scenario" "$sku_count" >"$work/$name.wrk"
  children_cpu "$work/times-after"
  local line
  line=$(cat "$work/$name.wrk")
  local wall host_cpu pg_cpu machine_cpu gc wrk_cpu jit_end
  wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  host_cpu=$(seconds $(($(cpu_ticks "$host_pid") - host_before)))
  pg_cpu=$(seconds $(($(pg_ticks) - pg_before)))
  machine_cpu=$(seconds $(($(machine_ticks) - machine_before)))
  wrk_cpu=$(awk -v a="$(cat "$work/times-before.s")" -v b="$(cat "$work/times-after.s")" 'BEGIN { printf "%.3f", b - a }')
  gc=$(gc_delta "$gc_before" "$(gc_sample)")
  jit_end=$(metric system_runtime_dotnet_jit_compilation_time)
  echo "$name: $line"
  echo "$line" | jq --arg scenario "$scenario" --argjson skus "$sku_count" --argjson warmed "$warmed" --argjson wrk_cpu "$wrk_cpu" \
    --argjson jit_warmup "$(awk -v a="$jit_start" -v b="$jit_after" 'BEGIN { printf "%.3f", b - a }')" \
    --argjson jit_measured "$(awk -v a="$jit_after" -v b="$jit_end" 'BEGIN { printf "%.3f", b - a }')" \
    '{ loader: "wrk", scenario: $scenario, mode: "closed", skus: $skus, connections: '"$connections"',
       warmupSeconds: $warmed, nodeJitSecondsWarmup: $jit_warmup, nodeJitSecondsMeasured: $jit_measured,
       seconds: .seconds, requests: .requests, okPerSecond: ((.requests - .non2xx) / .seconds),
       latencyMs: { p50: .p50, p90: .p90, p99: .p99, p999: .p999, max: .max, mean: .mean },
       non200: (if .non2xx > 0 then { "4xx/5xx": .non2xx } else {} end), exceptions: .socketErrors,
       rejectedOrBackordered: .rejectedOrBackordered, loadgenCpuSeconds: $wrk_cpu }' >"$out"
  rows+=("$(jq -r --arg name "$name" --arg host_cpu "$host_cpu" --arg pg_cpu "$pg_cpu" --arg gc "$gc" \
    --arg machine_cpu "$machine_cpu" --arg capacity "$(awk -v w="$wall" -v c="$cores" 'BEGIN { printf "%.1f", w * c }')" \
    '"| \($name) | \(.mode) (wrk) | \(.skus) | \(.warmupSeconds) (\(.nodeJitSecondsWarmup*10|round/10) / \(.nodeJitSecondsMeasured*100|round/100)) | \(.okPerSecond|floor) | \(.latencyMs.p50) | \(.latencyMs.p90) | \(.latencyMs.p99) | \(.latencyMs.p999) | \(.latencyMs.max) | \((.non200|to_entries|map(.value)|add) // 0) + \(.exceptions) | \(.rejectedOrBackordered) | \($host_cpu) | \($pg_cpu) | \(.loadgenCpuSeconds*10|floor/10) | \($machine_cpu) of \($capacity) | \($gc) |"' "$out")")
  stop_node
}
rate_of() { [ -f "$work/$1.json" ] && jq -r '.okPerSecond' "$work/$1.json" || { echo "$1 did not run (RUNS)" >&2; exit 1; }; }
ran() { [ -f "$work/$1.json" ]; }
half() { awk -v r="$1" 'BEGIN { printf "%d", r / 2 }'; }
# gc_settings: the node's System.GC.* runtime settings as NAME=VALUE, then the DOTNET_GC* variables of this environment.
gc_settings() {
  { jq -r '.runtimeOptions.configProperties | to_entries[] | select(.key | startswith("System.GC."))
      | "\(.key | ltrimstr("System.GC."))=\(.value)"' "${host_dll%.dll}.runtimeconfig.json"
    env | grep -iE '^DOTNET_GC' | sort; } | paste -sd ',' - | sed 's/,/, /g'
}

if [ "$loader" = wrk ]; then
  run_wrk get-baseline get
  run_wrk hot-closed hot
  run_wrk spread-closed spread "$skus"
else
  run get-baseline --scenario get
  run hot-closed --scenario hot
  run spread-closed --scenario spread --skus "$skus"
fi
[[ "$runs" == *" hot-open "* ]] && run hot-open --scenario hot --rate "${hot_rate:-$(half "$(rate_of hot-closed)")}"
[[ "$runs" == *" spread-open "* ]] && run spread-open --scenario spread --skus "$skus" --rate "${spread_rate:-$(half "$(rate_of spread-closed)")}"

baseline=$(ran get-baseline && rate_of get-baseline || echo 0)
{
  echo "# Order intake benchmark, $stamp"
  echo
  echo "Commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes under src/)'), $(nproc) cores, $(dotnet --version) SDK;"
  echo "one node (Release$([ "$r2r" = 1 ] && echo ', published ReadyToRun')) on PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (throwaway server, fsync on), load generator on the same machine."
  echo "Kernel writeback on this machine, which PostgreSQL's disk shares: background writing starts at $(writeback), and dirty pages are written at the latest after $(($(cat /proc/sys/vm/dirty_expire_centisecs) / 100)) s$([ -n "$dirty_background_bytes" ] && echo " (set by DIRTY_BACKGROUND_BYTES for this run)")."
  echo "Node GC settings (its runtimeconfig.json, then any DOTNET_GC* environment variable, which wins): $(gc_settings)."
  echo "Each run has a fresh node on a fresh database of its own (nothing carried over from the run before)."
  echo "Every order is one line of one unit on seeded stock (no order can be rejected for lack of stock)."
  echo "Closed loop: $connections connections each send their next request when answered ($([ "$loader" = wrk ] && echo "wrk, one thread, bench/orders.lua; GET baseline too" || echo "the load generator")). Open loop (the load generator): requests due at a"
  echo "fixed rate (half the closed-loop figure unless HOT_RATE or SPREAD_RATE gives it), latency measured from the due time. ${duration} s measured after a warm-up"
  echo "of the same load: at least ${warmup} s, then until the node's JIT compilation time grew less than ${jit_settle_ms} ms over"
  echo "5 s (at most ${warmup_max} s). The warm-up column gives its length, and the node's JIT seconds during it / during the measured window."
  echo
  echo "| run | mode | SKUs | warm-up s (node JIT s: warm-up / measured) | ok/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | non-200 + exceptions | rejected/backordered lines | node CPU s | PostgreSQL CPU s | loadgen CPU s | machine CPU s used of available | node GC pause s (gen0/gen1/gen2 collections) | node allocated GB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Orders per second relative to the GET baseline ($(printf '%.0f' "$baseline")/s on /healthz/live):"
  for name in hot-closed spread-closed; do
    ran "$name" && ran get-baseline || continue
    echo "- $name: $(awk -v a="$(rate_of $name)" -v b="$baseline" 'BEGIN { printf "%.2f", a / b }')"
  done
  echo
  echo "CPU columns: CPU seconds used during each run (wrk runs: the measured pass only; load generator runs: seeding and warm-up included) by the node process, the PostgreSQL"
  echo "server (all its processes), the load generator itself, and the whole machine (of wall seconds x $cores cores available);"
  echo "what the machine used beyond those three is other work on it (the \`dotnet run\` wrapper, builds, other processes)."
  echo "GC columns: the node's own figures from its /metrics over the same span: time its threads were paused for garbage"
  echo "collection, collections per generation, and bytes allocated."
  echo "Load average before the runs: $load_before."
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "bash bench/orders.sh   # DURATION=$duration WARMUP=$warmup JIT_SETTLE_MS=$jit_settle_ms WARMUP_MAX=$warmup_max CONNECTIONS=$connections SKUS=$skus RUNS='${runs# }' R2R=$r2r LOADER=$loader${hot_rate:+ HOT_RATE=$hot_rate}${spread_rate:+ SPREAD_RATE=$spread_rate}${dirty_background_bytes:+ DIRTY_BACKGROUND_BYTES=$dirty_background_bytes}"
  echo "# node (one per run, each on its own new database: Database=<run name>):"
  printf '%q ' "${host_cmd[@]}"; echo
  echo "# load:"
  printf '%s\n' "${commands[@]}"
  echo '```'
  echo
  echo "## Raw results"
  for name in get-baseline hot-closed spread-closed hot-open spread-open; do
    ran "$name" || continue
    echo
    echo "### $name"
    echo
    if jq -e 'has("timeline")' "$work/$name.json" >/dev/null; then
      echo "Per second of the measured window, answers and the slowest answer (ms):"
      echo
      jq -r '[.timeline[] | "\(.second): \(.ok) / \(.maxMs)"] | join(", ")' "$work/$name.json"
      echo
    fi
    if jq -e '(.stalls // []) | length > 0' "$work/$name.json" >/dev/null; then
      echo "Stalls: stretches of due time (UTC, 100 ms steps) whose requests took over 50 ms, to line up with the node's"
      echo "and PostgreSQL's logs:"
      echo
      jq -r '.stalls[] | "- \(.dueFrom[11:23])-\(.dueTo[11:23]): \(.slowAnswers) answers over 50 ms, slowest \(.maxMs) ms"' "$work/$name.json"
      echo
    fi
    echo '```json'
    jq 'del(.timeline, .stalls)' "$work/$name.json"
    echo '```'
  done
} >"$report"
echo "wrote $report"
cat "$report" | sed -n '1,20p'
