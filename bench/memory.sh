#!/usr/bin/env bash
# Measures each memory flag of the image's launcher on its own: the jlink'd runtime that
# deploy/docker/build-runtime.sh builds, run with the launcher's flags less the ones measured, one meter
# polling `wago-exporter simulate` on loopback every 30 s and scraped a few times, as in issue 21.
#
#   bench/memory.sh [ROUNDS]     (default 2 rounds; the configurations alternate within a round)
#
# Prints one line per run: VmRSS and RssAnon from /proc/PID/status after SETTLE_S seconds, the time from
# launch to the first `wago_up 1` on /metrics, and /metrics requests/s and p99 (wrk -t2 -c16, as bench/run.sh);
# then the classes the exporter loads (-Xlog:class+load) by library. Needs what bench/run.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
SETTLE_S=${SETTLE_S:-15}
WRK_SECONDS=${WRK_SECONDS:-5}

work=$(mktemp -d /tmp/wago-memory.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "memory: $*" >&2; }

jar=target/wago-exporter.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
jdk=${JAVA_HOME_21_PLUS:-}
if [ -z "$jdk" ]; then
  for candidate in /usr/lib/jvm/temurin-*-jdk-*; do
    [ -x "$candidate/bin/jlink" ] && jdk=$candidate && break
  done
fi
[ -n "$jdk" ] || { echo "memory: no JDK 21+ with jlink; set JAVA_HOME_21_PLUS" >&2; exit 2; }
log "building the image's runtime with $jdk"
JAVA_HOME=$jdk sh deploy/docker/build-runtime.sh "$jar" "$work/rt" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
home=$work/rt
# the launcher's flags, with $home filled in and without the flags measured here
launcher_flags=$(sed -n 's/^exec "$home\/runtime\/bin\/java" \(.*\) $cds ${JAVA_OPTS.*/\1/p' "$home/bin/wago-exporter")
[ -n "$launcher_flags" ] || { echo "memory: cannot read the flags from $home/bin/wago-exporter" >&2; exit 1; }
base_flags=$(sed -e "s|\$home|$home|g" -e 's/ -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0//' \
  -e 's/ -XX:TrimNativeHeapInterval=[0-9]*//' -e 's/ -Xmn[0-9a-z]*//' <<<"$launcher_flags")
cds=""
[ -f "$home/lib/app.jsa" ] && cds="-XX:SharedArchiveFile=$home/lib/app.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"

free_port() {
  local p
  while :; do
    p=$((26000 + RANDOM % 1000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
sim_port=$(free_port)
"$home/bin/wago-exporter" simulate --listen "127.0.0.1:$sim_port" >"$work/sim.log" 2>&1 &
pids+=($!)
until grep -q serving "$work/sim.log" 2>/dev/null; do sleep 0.1; done

configs=(
  "baseline|"
  "ArchiveRelocationMode=0|-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  "TrimNativeHeapInterval=5000|-XX:TrimNativeHeapInterval=5000"
  "Xmn1m|-Xmn1m"
  "all three|-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -XX:TrimNativeHeapInterval=5000 -Xmn1m"
)
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
up() { curl -sf "http://127.0.0.1:$1/metrics" 2>/dev/null | grep -q '^wago_up{.*} 1'; }

run_one() { # label, extra flags (word-split on purpose)
  local port started pid rss anon start_s rps p99
  port=$(free_port)
  started=$(date +%s%N)
  # shellcheck disable=SC2086
  "$home/runtime/bin/java" $base_flags $cds $2 -jar "$home/lib/wago-exporter.jar" run \
    --gateway "127.0.0.1:$sim_port" --listen "127.0.0.1:$port" --poll-interval 30s >"$work/exporter.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  until up "$port"; do sleep 0.01; done
  start_s=$(awk -v ns="$(( $(date +%s%N) - started ))" 'BEGIN { printf "%.2f", ns / 1e9 }')
  for _ in 1 2 3; do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; sleep 1; done
  sleep "$SETTLE_S"
  rss=$(status_kib "$pid" VmRSS); anon=$(status_kib "$pid" RssAnon)
  wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency "http://127.0.0.1:$port/metrics" >"$work/wrk"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk")
  p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-28s VmRSS %5.1f MiB  RssAnon %5.1f MiB  first poll %s s  %6s req/s  p99 %s\n' \
    "$1" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(awk -v k="$anon" 'BEGIN { print k / 1024 }')" \
    "$start_s" "$rps" "$p99"
}

log "launcher flags without the measured ones: $base_flags"
for round in $(seq "$rounds"); do
  log "round $round of $rounds"
  for c in "${configs[@]}"; do run_one "${c%%|*}" "${c#*|}"; done
done

# classes loaded with the launcher's own flags, by library
port=$(free_port)
# shellcheck disable=SC2086
"$home/runtime/bin/java" $(sed "s|\$home|$home|g" <<<"$launcher_flags") $cds -Xlog:class+load:file="$work/classes" \
  -jar "$home/lib/wago-exporter.jar" run --gateway "127.0.0.1:$sim_port" --listen "127.0.0.1:$port" \
  --poll-interval 30s >"$work/exporter.log" 2>&1 &
pid=$!
pids+=("$pid")
until up "$port"; do sleep 0.05; done
curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"
kill "$pid"; wait "$pid" 2>/dev/null || true
count() { grep -c "$1" "$work/classes" || true; }
echo "classes loaded (one meter, no --config, after a scrape): $(count ' source: ') in all;" \
  "Jetty $(count ' org\.eclipse\.jetty'), client_java $(count ' io\.prometheus'), SnakeYAML $(count ' org\.snakeyaml')," \
  "picocli $(count ' picocli'), Netty $(count ' io\.netty'), the exporter's own $(count ' dev\.wagoexporter')"
