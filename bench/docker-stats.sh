#!/usr/bin/env bash
# Memory of the exporter's image beside a STAND-IN for the Python exporter it replaces
# (bench/legacy-exporter/: pymodbus reads ten values one at a time, prometheus_client serves them), in one
# Docker 20.10 engine, both polling the same `wago-exporter simulate` container every 30 s, as issue 21 asks.
#
#   bench/docker-stats.sh      (needs a running dockerd, or root to start one with deploy/test/daemon.json)
#
# No registry: the base image is the stack test's debootstrap'd Debian 13 (deploy/test/stack-test.sh makes
# wago-stack-test/debian:trixie-amd64 and the Maven stand-in wago-stack-test/jdk:21-maven-amd64; run it once
# first). The jlink stage gets a stand-in for eclipse-temurin:25, made from a local Temurin 25
# (TEMURIN_25, default /usr/lib/jvm/temurin-25-jdk-amd64), as the image's Dockerfile ships it.
# After SETTLE_S (default 60) seconds with a scrape of each every 5 s, prints `docker stats --no-stream`
# for both and VmRSS/RssAnon of both from /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:/usr/sbin:/bin:/sbin:$PATH"   # Debian's docker 20.10 client first
SETTLE_S=${SETTLE_S:-60}
temurin=${TEMURIN_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
base=wago-stack-test/debian:trixie-amd64
maven=wago-stack-test/jdk:21-maven-amd64
work=$(mktemp -d /tmp/wago-docker-stats.XXXXXX)
log() { echo "docker-stats: $*" >&2; }
started_dockerd=""
cleanup() {
  docker rm -f wago-bench-sim wago-bench-exporter wago-bench-legacy >/dev/null 2>&1 || true
  docker network rm wago-bench >/dev/null 2>&1 || true
  if [ -n "$started_dockerd" ]; then kill "$started_dockerd" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { log "no dockerd running, and only root can start one"; exit 2; }
  log "starting dockerd with deploy/test/daemon.json"
  setsid dockerd --config-file deploy/test/daemon.json >"$work/dockerd.log" 2>&1 </dev/null &
  started_dockerd=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
for image in "$base" "$maven"; do
  docker image inspect "$image" >/dev/null 2>&1 \
    || { log "image $image missing: run deploy/test/stack-test.sh --arch amd64 once to make it"; exit 2; }
done

# stand-in for eclipse-temurin:25 (the Dockerfile's JDK_IMAGE): the local Temurin 25 on the Maven stand-in,
# which has the objcopy that jlink --strip-debug runs
[ -x "$temurin/bin/jlink" ] || { log "no Temurin 25 at $temurin (set TEMURIN_25)"; exit 2; }
mkdir -p "$work/temurin"
cp -a "$temurin" "$work/temurin/jdk"
printf 'FROM %s\nCOPY jdk /opt/java/openjdk\nENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' \
  "$maven" >"$work/temurin/Dockerfile"
docker build -q -t wago-bench/temurin:25-stand-in "$work/temurin" >/dev/null
rm -rf "$work/temurin"

t0=$SECONDS
log "building the exporter's image (Dockerfile; jar on the Maven stand-in, jlink on Temurin 25)"
DOCKER_BUILDKIT=1 docker build -q --build-arg JAR_BUILDER_IMAGE="$maven" \
  --build-arg JDK_IMAGE=wago-bench/temurin:25-stand-in --build-arg BASE_IMAGE="$base" \
  -t wago-bench/exporter . >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
log "exporter image built in $((SECONDS - t0)) s"
mkdir -p "$work/legacy/ca"
cp bench/legacy-exporter/Dockerfile bench/legacy-exporter/exporter.py "$work/legacy/"
cp /usr/local/share/ca-certificates/*.crt "$work/legacy/ca/" 2>/dev/null || true
touch "$work/legacy/ca/.keep"
docker build -q --build-arg BASE="$base" -t wago-bench/legacy-exporter-stand-in "$work/legacy" >/dev/null

docker network create wago-bench >/dev/null
# as compose.yaml runs them: non-root, read-only root, /tmp a tmpfs
docker run -d --name wago-bench-sim --network wago-bench --network-alias meter_simulator --read-only \
  --tmpfs /tmp wago-bench/exporter simulate --listen :5020 --unit-id 2 >/dev/null
for _ in $(seq 60); do docker logs wago-bench-sim 2>&1 | grep -q serving && break; sleep 1; done
t0=$(date +%s%N)
docker run -d --name wago-bench-exporter --network wago-bench --read-only --tmpfs /tmp -p 127.0.0.1::9100 \
  wago-bench/exporter run --gateway meter_simulator:5020 --unit-id 2 --poll-interval 30s >/dev/null
docker run -d --name wago-bench-legacy --network wago-bench --read-only -p 127.0.0.1::9100 \
  -e MODBUS_HOST=meter_simulator -e MODBUS_PORT=5020 -e MODBUS_UNIT=2 wago-bench/legacy-exporter-stand-in >/dev/null
ours=$(docker port wago-bench-exporter 9100/tcp | head -1)
legacy=$(docker port wago-bench-legacy 9100/tcp | head -1)
up() { curl -sf "http://$ours/metrics" | grep -qE '^wago_up(\{[^}]*\})? 1(\.0)?$'; }
for _ in $(seq 600); do up && break; sleep 0.1; done
up || { docker logs wago-bench-exporter >&2; log "our exporter never reached wago_up 1"; exit 1; }
first_poll=$(awk -v ns="$(( $(date +%s%N) - t0 ))" 'BEGIN { printf "%.1f", ns / 1e9 }')
legacy_up() { curl -sf "http://$legacy/metrics" | grep -qE '^wago_frequency_hz [1-9]'; }
for _ in $(seq 60); do legacy_up && break; sleep 1; done
legacy_up || { docker logs wago-bench-legacy >&2; log "the legacy stand-in never read the frequency"; exit 1; }
log "both exporters read the simulator; settling ${SETTLE_S} s, scraping each every 5 s"
end=$((SECONDS + SETTLE_S))
while [ "$SECONDS" -lt "$end" ]; do
  curl -sf -o /dev/null "http://$ours/metrics"; curl -sf -o /dev/null "http://$legacy/metrics"; sleep 5
done
proc_mib() { awk -v k="$2:" '$1 == k { printf "%.1f MiB", $2 / 1024 }' "/proc/$1/status"; }
ours_pid=$(docker inspect -f '{{.State.Pid}}' wago-bench-exporter)
legacy_pid=$(docker inspect -f '{{.State.Pid}}' wago-bench-legacy)
echo "docker stats --no-stream after ${SETTLE_S} s (Docker $(docker version --format '{{.Server.Version}}'), $(date -u +%Y-%m-%dT%H:%MZ)):"
docker stats --no-stream --format '  {{.Name}}: {{.MemUsage}}' wago-bench-exporter wago-bench-legacy wago-bench-sim
echo "  wago-bench-exporter (java): VmRSS $(proc_mib "$ours_pid" VmRSS), RssAnon $(proc_mib "$ours_pid" RssAnon); docker run to wago_up 1: ${first_poll} s"
echo "  wago-bench-legacy (python3): VmRSS $(proc_mib "$legacy_pid" VmRSS), RssAnon $(proc_mib "$legacy_pid" RssAnon)"
echo "  images: exporter $(docker image inspect -f '{{.Size}}' wago-bench/exporter | awk '{printf "%.0f MB", $1/1e6}')," \
  "legacy stand-in $(docker image inspect -f '{{.Size}}' wago-bench/legacy-exporter-stand-in | awk '{printf "%.0f MB", $1/1e6}')"
