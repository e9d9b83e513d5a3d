#!/usr/bin/env bash
# Measures wago-exporter against the issue-5 budgets and prints one PASS/FAIL line per budget.
#
#   bench/run.sh           full run (~9 min): also writes BENCHMARKS.md with the machine it ran on
#   bench/run.sh --smoke   short run (<2 min) for CI: same code paths, fewer polls, 2 gateways instead of 20;
#                          fails only if a measurement cannot be taken (budgets are reported, not enforced,
#                          because CI machines are shared and noisy)
#
# Needs: target/wago-exporter.jar (built if missing), a JDK 21+ with jlink (JAVA_HOME_21_PLUS, else a Temurin
# under /usr/lib/jvm), and from Debian's packages: wrk, curl. The exporter runs from the runtime that
# deploy/docker/build-runtime.sh builds for the image, so it gets exactly the image's JVM flags.
# bench/proxy.sh (section 6) also needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
case "${1:-}" in
  --smoke) mode=smoke ;;
  "") ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac

# Budgets from issue 5.
BUDGET_POLL_RATIO=1.2
BUDGET_RSS_MIB=48
BUDGET_ANON_MIB=28 # issue 21: the anonymous memory, what the JVM itself holds (VmRSS adds file-backed CDS pages)
BUDGET_FIRST_POLL_S=1.5
BUDGET_RPS=5000
BUDGET_P99_MS=5
BUDGET_SCALE_CPU_PCT=10
BUDGET_SCALE_RSS_MIB=96

# The simulated line: the WAGO factory setting (9600 8E1) and a typical meter turnaround.
BAUD=9600
PARITY=even
TURNAROUND_MS=20
# The blocks one poll of the built-in profile reads (docs/design.md, "Read plan": 0x5000 x56 and 0x6000 x72); the run checks
# that the exporter really sends that many requests per poll.
BLOCKS="56 72"

if [ "$mode" = smoke ]; then
  POLL_SAMPLES=5; RSS_POLLS=20; FIRST_POLL_RUNS=1; WRK_SECONDS=2
  SCALE_GATEWAYS=2; SCALE_METERS_PER_GATEWAY=10; SCALE_WARMUP_S=12; SCALE_WINDOW_S=20
else
  POLL_SAMPLES=30; RSS_POLLS=200; FIRST_POLL_RUNS=5; WRK_SECONDS=15
  SCALE_GATEWAYS=20; SCALE_METERS_PER_GATEWAY=10; SCALE_WARMUP_S=25; SCALE_WINDOW_S=120
fi
SCALE_INTERVAL_S=10

for tool in java curl wrk awk; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found; install it (Debian: apt-get install wrk curl)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/wago-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }

jar=target/wago-exporter.jar
if [ ! -f "$jar" ]; then
  log "building $jar"
  mvn -B -q package -DskipTests
fi

jdk=${JAVA_HOME_21_PLUS:-}
if [ -z "$jdk" ]; then
  for candidate in /usr/lib/jvm/temurin-*-jdk-*; do
    [ -x "$candidate/bin/jlink" ] && jdk=$candidate && break
  done
fi
if [ -z "$jdk" ]; then
  echo "bench: no JDK 21+ with jlink found; set JAVA_HOME_21_PLUS (the image's runtime needs it)" >&2
  exit 2
fi
log "building the image's runtime with $jdk"
JAVA_HOME=$jdk sh deploy/docker/build-runtime.sh "$jar" "$work/runtime" >&2
exporter="$work/runtime/bin/wago-exporter"
# The simulator is not measured: it runs on the default JDK, kept small so 20 of them fit beside the exporter.
sim_java=(java -XX:+UseSerialGC -Xmx32m -XX:TieredStopAtLevel=1 -Xss256k -jar "$jar" simulate)

free_port() { # below Linux's ephemeral range (32768+), where outgoing connections would take ports away
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

wait_for_port() { # port, seconds
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { log "nothing listens on port $1 after $2 s"; return 1; }
    sleep 0.1
  done
}

start_simulator() { # port, unit ids (comma-separated), extra flags...
  local port=$1 units=$2; shift 2
  "${sim_java[@]}" --listen "127.0.0.1:$port" --unit-id "$units" "$@" >"$work/sim-$port.log" 2>&1 &
  pids+=($!)
}

start_exporter() { # http port, run flags...; sets exporter_pid
  local port=$1; shift
  "$exporter" run --listen "127.0.0.1:$port" "$@" >"$work/exporter-$port.log" 2>&1 &
  exporter_pid=$!
  pids+=("$exporter_pid")
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# metric PORT NAME [LABEL-MATCH]: the value of the first sample of NAME (whose labels contain LABEL-MATCH)
metric() { # port, name, label text; the whole page is read first, so awk's early exit cannot break curl's pipe
  local page
  page=$(curl -sf "http://127.0.0.1:$1/metrics") || return 1
  awk -v n="$2" -v l="${3:-}" 'index($1, n"{") == 1 && index($1, l) > 0 { print $2; exit }' <<<"$page"
}

wait_until_up() { # port, seconds
  local deadline=$((SECONDS + $2))
  until [ "$(metric "$1" wago_up 2>/dev/null)" = "1.0" ]; do
    [ $SECONDS -lt $deadline ] || { log "meter not up on :$1 after $2 s"; return 1; }
    sleep 0.05
  done
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
anon_kib() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# verdict VALUE OP BUDGET: PASS or FAIL (OP is <= or >=)
verdict() { awk -v v="$1" -v op="$2" -v b="$3" 'BEGIN { ok = (op == "<=") ? v <= b : v >= b; print ok ? "PASS" : "FAIL" }'; }
require_number() { # name, value: a measurement that could not be taken ends the run
  [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "bench: no measurement for $1 (got '$2'); logs in $work" >&2; trap - EXIT; exit 1; }
}

results=()
record() { # name, value with unit, budget text, verdict
  results+=("$1|$2|$3|$4")
  printf '%-44s %-22s budget %-14s %s\n' "$1" "$2" "$3" "$4"
}

# --- 1. poll duration on the simulated 9600 8E1 line vs. the wire-time bound -----------------------------
log "1/6 poll duration on a simulated ${BAUD} baud ${PARITY}-parity line, ${TURNAROUND_MS} ms turnaround"
bits=$([ "$PARITY" = none ] && echo 10 || echo 11)
# Request 8 bytes, reply 5 + 2n bytes (RTU), each byte $bits bits, plus the meter's turnaround: LineTiming's rule.
bound_s=$(awk -v blocks="$BLOCKS" -v bits="$bits" -v baud="$BAUD" -v ta="$TURNAROUND_MS" 'BEGIN {
  n = split(blocks, b, " "); t = 0
  for (i = 1; i <= n; i++) t += (8 + 5 + 2 * b[i]) * bits / baud + ta / 1000
  printf "%.4f", t }')
sim_port=$(free_port); http_port=$(free_port)
start_simulator "$sim_port" 1 --baud "$BAUD" --parity "$PARITY" --turnaround "${TURNAROUND_MS}ms"
wait_for_port "$sim_port" 30
start_exporter "$http_port" --gateway "127.0.0.1:$sim_port" --poll-interval 1s --timeout 900ms
wait_until_up "$http_port" 60
: >"$work/polls"
last_ts=""; first_req=""; polls=0
while [ "$polls" -lt "$POLL_SAMPLES" ]; do
  page=$(curl -sf "http://127.0.0.1:$http_port/metrics")
  ts=$(awk '$1 ~ /^wago_last_success_timestamp_seconds\{/ { print $2 }' <<<"$page")
  if [ "$ts" != "$last_ts" ]; then
    req=$(awk '$1 ~ /^wago_modbus_requests_total\{/ { print $2 }' <<<"$page")
    if [ -n "$last_ts" ]; then
      awk '$1 ~ /^wago_poll_duration_seconds\{/ { print $2 }' <<<"$page" >>"$work/polls"
      polls=$((polls + 1))
    else
      first_req=$req
    fi
    last_ts=$ts; last_req=$req
  fi
  sleep 0.2
done
stop "$exporter_pid"
poll_median=$(median <"$work/polls")
poll_max=$(sort -g "$work/polls" | tail -1)
requests_per_poll=$(awk -v a="$first_req" -v b="$last_req" -v n="$polls" 'BEGIN { printf "%.2f", (b - a) / n }')
ratio=$(awk -v p="$poll_median" -v b="$bound_s" 'BEGIN { printf "%.3f", p / b }')
require_number "poll ratio" "$ratio"
record "wire-time bound (blocks: $BLOCKS)" "${bound_s} s" "-" "-"
record "poll duration, median of $polls (max)" "$(printf '%.4f s (%.4f)' "$poll_median" "$poll_max")" "-" "-"
record "poll / wire-time bound" "$ratio x" "<= $BUDGET_POLL_RATIO x" "$(verdict "$ratio" "<=" "$BUDGET_POLL_RATIO")"
record "requests per poll" "$requests_per_poll" "= $(wc -w <<<"$BLOCKS")" \
  "$(awk -v r="$requests_per_poll" -v n="$(wc -w <<<"$BLOCKS")" 'BEGIN { print (r == n) ? "PASS" : "FAIL" }')"

# --- 2. time from process start to the first successful poll (same line) ---------------------------------
log "2/6 time to first successful poll, $FIRST_POLL_RUNS run(s)"
: >"$work/first"
for _ in $(seq "$FIRST_POLL_RUNS"); do
  http_port=$(free_port)
  started=$(date +%s%N)
  start_exporter "$http_port" --gateway "127.0.0.1:$sim_port" --poll-interval 30s --timeout 2s
  until [ "$(metric "$http_port" wago_up 2>/dev/null)" = "1.0" ]; do
    [ $(( ($(date +%s%N) - started) / 1000000000 )) -lt 60 ] || { log "no successful poll after 60 s"; exit 1; }
    sleep 0.01
  done
  echo "$(( $(date +%s%N) - started ))" | awk '{ printf "%.3f\n", $1 / 1e9 }' >>"$work/first"
  stop "$exporter_pid"
done
first_median=$(median <"$work/first")
require_number "first poll" "$first_median"
record "start to first poll, median of $FIRST_POLL_RUNS (all)" "$first_median s ($(paste -sd' ' "$work/first"))" \
  "<= $BUDGET_FIRST_POLL_S s" "$(verdict "$first_median" "<=" "$BUDGET_FIRST_POLL_S")"

# --- 3. RSS after N polls (no line delay, so the polls come quickly; scraped as Prometheus would) --------
log "3/6 resident memory after $RSS_POLLS polls"
fast_port=$(free_port); http_port=$(free_port)
start_simulator "$fast_port" 1
wait_for_port "$fast_port" 30
start_exporter "$http_port" --gateway "127.0.0.1:$fast_port" --poll-interval 100ms --timeout 90ms
wait_until_up "$http_port" 60
# identity once, then one request per block and poll
target_requests=$((1 + RSS_POLLS * $(wc -w <<<"$BLOCKS")))
while :; do
  req=$(metric "$http_port" wago_modbus_requests_total)
  awk -v r="${req:-0}" -v t="$target_requests" 'BEGIN { exit !(r >= t) }' && break
  sleep 1
done
rss=$(rss_kib "$exporter_pid"); hwm=$(hwm_kib "$exporter_pid"); anon=$(anon_kib "$exporter_pid")
stop "$exporter_pid"
require_number "RSS" "$rss"
record "RSS after $RSS_POLLS polls (peak)" "$(mib "$rss") MiB ($(mib "$hwm"))" "<= $BUDGET_RSS_MIB MiB" \
  "$(verdict "$(mib "$rss")" "<=" "$BUDGET_RSS_MIB")"
require_number "RssAnon" "$anon"
record "RssAnon after $RSS_POLLS polls" "$(mib "$anon") MiB" "<= $BUDGET_ANON_MIB MiB" \
  "$(verdict "$(mib "$anon")" "<=" "$BUDGET_ANON_MIB")"

# --- 4. /metrics throughput and latency with wrk while polling -------------------------------------------
log "4/6 /metrics with wrk: 2 threads, 16 connections, ${WRK_SECONDS} s (after a warm-up)"
http_port=$(free_port)
start_exporter "$http_port" --gateway "127.0.0.1:$fast_port" --poll-interval 1s --timeout 500ms
wait_until_up "$http_port" 60
url="http://127.0.0.1:$http_port/metrics"
wrk -t2 -c16 -d"$([ "$mode" = smoke ] && echo 1 || echo 5)"s "$url" >/dev/null
wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency "$url" >"$work/wrk"
response_bytes=$(curl -sf "$url" | wc -c)
stop "$exporter_pid"
# wrk prints latencies as 812.00us, 1.20ms or 1.01s
to_ms() { awk '{ v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/ && $1 !~ /ms$/) v *= 1000; printf "%.2f", v }'; }
rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk")
p50=$(awk '$1 == "50%" { print $2 }' "$work/wrk" | to_ms)
p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk" | to_ms)
errors=$(awk '/Non-2xx|Socket errors/' "$work/wrk")
require_number "requests/s" "$rps"; require_number "p99" "$p99"
[ -z "$errors" ] || log "wrk reported errors: $errors"
record "/metrics requests/s" "$rps" ">= $BUDGET_RPS" "$(verdict "$rps" ">=" "$BUDGET_RPS")"
record "/metrics latency p50 / p99" "$p50 ms / $p99 ms" "p99 <= $BUDGET_P99_MS ms" "$(verdict "$p99" "<=" "$BUDGET_P99_MS")"
record "/metrics response size" "$response_bytes bytes" "-" "-"

# --- 5. scale: meters on simulated gateways, 10 s interval, one process -----------------------------------
meters=$((SCALE_GATEWAYS * SCALE_METERS_PER_GATEWAY))
log "5/6 scale: $meters meters on $SCALE_GATEWAYS simulated ${BAUD} baud lines, ${SCALE_INTERVAL_S} s interval"
units=$(seq -s, 1 "$SCALE_METERS_PER_GATEWAY")
config="$work/scale.yml"
echo "meters:" >"$config"
for g in $(seq -w 1 "$SCALE_GATEWAYS"); do
  port=$(free_port)
  start_simulator "$port" "$units" --baud "$BAUD" --parity "$PARITY" --turnaround "${TURNAROUND_MS}ms"
  for u in $(seq "$SCALE_METERS_PER_GATEWAY"); do
    printf '  - {name: g%s_m%02d, gateway: {host: 127.0.0.1, port: %s}, unit_id: %s, poll_interval: %ss, timeout: 2s}\n' \
      "$g" "$u" "$port" "$u" "$SCALE_INTERVAL_S" >>"$config"
  done
  echo "$port" >>"$work/scale-ports"
done
while read -r port; do wait_for_port "$port" 120; done <"$work/scale-ports"
http_port=$(free_port)
start_exporter "$http_port" --config "$config"
sleep "$SCALE_WARMUP_S"
snapshot_requests() { curl -sf "http://127.0.0.1:$http_port/metrics" | awk '$1 ~ /^wago_modbus_requests_total\{/'; }
snapshot_requests >"$work/req-before"
ticks_before=$(cpu_ticks "$exporter_pid"); window_start=$(date +%s%N)
# Prometheus scrapes every 30 s; scrape a little more often than that.
end=$((SECONDS + SCALE_WINDOW_S))
while [ $SECONDS -lt $end ]; do
  curl -sf -o /dev/null "http://127.0.0.1:$http_port/metrics"
  sleep 10
done
ticks_after=$(cpu_ticks "$exporter_pid"); window_ns=$(( $(date +%s%N) - window_start ))
curl -sf "http://127.0.0.1:$http_port/metrics" >"$work/scale-metrics"
scale_rss=$(rss_kib "$exporter_pid"); scale_hwm=$(hwm_kib "$exporter_pid")
stop "$exporter_pid"
hz=$(getconf CLK_TCK)
cpu_pct=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$hz" -v ns="$window_ns" 'BEGIN { printf "%.2f", 100 * t / hz / (ns / 1e9) }')
awk '$1 ~ /^wago_modbus_requests_total\{/' "$work/scale-metrics" >"$work/req-after"
# Each meter must have been polled once per interval in the window: no poll waited past its slot.
expected_polls=$((SCALE_WINDOW_S / SCALE_INTERVAL_S))
late=$(awk -v need="$expected_polls" -v per="$(wc -w <<<"$BLOCKS")" '
  NR == FNR { before[$1] = $2; next }
  { if (($2 - before[$1]) / per < need) late++ } END { print late + 0 }' "$work/req-before" "$work/req-after")
up=$(awk '$1 ~ /^wago_up\{/ && $2 == "1.0"' "$work/scale-metrics" | wc -l)
failed=$(awk '$1 ~ /^wago_modbus_errors_total\{/ { s += $2 } END { print s + 0 }' "$work/scale-metrics")
# Busiest line: the sum of its meters' last poll durations must fit in one interval.
busiest=$(awk '$1 ~ /^wago_poll_duration_seconds\{/ { match($1, /meter="g[0-9]+/); g = substr($1, RSTART, RLENGTH); s[g] += $2 }
  END { m = 0; for (g in s) if (s[g] > m) m = s[g]; printf "%.2f", m }' "$work/scale-metrics")
require_number "scale CPU" "$cpu_pct"
record "scale: meters up / polled on time" "$up / $((meters - late)) of $meters" "all" \
  "$([ "$up" -eq "$meters" ] && [ "$late" -eq 0 ] && echo PASS || echo FAIL)"
record "scale: errors counted" "$failed" "-" "-"
record "scale: busiest line's poll time per interval" "$busiest s" "< ${SCALE_INTERVAL_S} s" \
  "$(awk -v b="$busiest" -v i="$SCALE_INTERVAL_S" 'BEGIN { print (b < i) ? "PASS" : "FAIL" }')"
record "scale: CPU, share of one core" "$cpu_pct %" "< $BUDGET_SCALE_CPU_PCT %" \
  "$(awk -v c="$cpu_pct" -v b="$BUDGET_SCALE_CPU_PCT" 'BEGIN { print (c < b) ? "PASS" : "FAIL" }')"
record "scale: RSS (peak)" "$(mib "$scale_rss") MiB ($(mib "$scale_hwm"))" "<= $BUDGET_SCALE_RSS_MIB MiB" \
  "$(verdict "$(mib "$scale_rss")" "<=" "$BUDGET_SCALE_RSS_MIB")"

# --- 6. the Modbus TCP proxy (bench/proxy.sh, its own simulator and exporter) --------------------------------
log "6/6 Modbus TCP proxy: bench/proxy.sh"
EXPORTER=$exporter sh bench/proxy.sh $([ "$mode" = smoke ] && echo --smoke) "$jar" >"$work/proxy"
[ "$(wc -l <"$work/proxy")" -ge 9 ] || { echo "bench: bench/proxy.sh gave $(wc -l <"$work/proxy") rows, not 9" >&2; exit 1; }
while IFS='|' read -r name value; do record "$name" "$value" "-" "-"; done <"$work/proxy"

if [ "$mode" = smoke ]; then
  log "smoke run done: every measurement was taken"
  exit 0
fi

# --- BENCHMARKS.md -------------------------------------------------------------------------------------------
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\` (do not edit by hand; the notes below come from \`bench/notes.md\`)."
  echo
  echo "## Machine"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores ($(uname -m))"
  echo "- memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); kernel $(uname -r)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other builds)"
  echo "- exporter runtime: jlink'd from $("$jdk/bin/java" -version 2>&1 | head -1) by deploy/docker/build-runtime.sh"
  echo "- JVM flags (the image's launcher): \`$(sed -n 's/^exec "$home\/runtime\/bin\/java" \(.*\) ${JAVA_OPTS.*/\1/p' "$exporter")\`"
  echo "- simulated line: $BAUD baud, $PARITY parity ($bits bits a byte), ${TURNAROUND_MS} ms turnaround"
  echo
  echo "## Results"
  echo
  echo "| measurement | value | budget | verdict |"
  echo "|---|---|---|---|"
  for r in "${results[@]}"; do
    IFS='|' read -r name value budget verdict <<<"$r"
    echo "| $name | $value | $budget | $verdict |"
  done
  echo
  echo "Reproduce: \`bench/run.sh\` (needs \`wrk\`, \`curl\` and \`python3\` from Debian, a JDK 21+ with jlink)."
  echo
  cat bench/notes.md
} >BENCHMARKS.md
log "wrote BENCHMARKS.md"
