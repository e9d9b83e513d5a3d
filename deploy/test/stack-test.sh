#!/usr/bin/env bash
# The stack test: the user's own Docker (Debian's docker.io 20.10 and docker-compose 1.29) builds and runs
# the whole stack, and it is checked from outside. No registry is used: base images are made here from
# Debian packages and passed through the Dockerfile's build arguments (never tagged with official names).
#
#   deploy/test/stack-test.sh [--arch amd64|arm64|all]     (default: all; needs root, or a running dockerd)
#
# Starts dockerd (with deploy/test/daemon.json) when none is running. Steps:
#   1. base images from debootstrap'd Debian 13 root filesystems (cached in target/stack-test/ for reruns;
#      CI starts clean), stand-ins for the images that Debian has no package for, each named as one;
#   2. the exporter image built THROUGH docker-compose 1.29, once with BuildKit, then with the classic
#      builder (DOCKER_BUILDKIT=0, as on a Pi), which the stack then runs;
#   3. docker-compose --profile demo up -d; every container healthy by Docker's own healthchecks; the
#      exporter as uid 10001 on a read-only root; wago_up 1 and every rule healthy in Prometheus;
#      `docker-compose run --rm modbus_exporter check ...`; no WAGO_GATEWAY without the demo is a clear error;
#      a series written before `down` is there after `up -d`; scripts/backup.sh and scripts/restore.sh
#      round-trip through an emptied volume;
#   4. linux/arm64 (QEMU user emulation): the image built for arm64 and run: wago_up 1 from the simulator.
# Times and sizes go to target/stack-test/results.txt (BENCHMARKS.md quotes them).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/deploy/test"
cd "$root"
# Debian's docker client (20.10) first: another one on PATH may lack the built-in BuildKit (no buildx)
export PATH="/usr/bin:/usr/sbin:/bin:/sbin:$PATH"
work="${STACK_TEST_DIR:-$root/target/stack-test}"
mkdir -p "$work"
results="$work/results.txt"
arches=all
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arches="${2:?--arch needs amd64, arm64 or all}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep -v '^set -euo' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stack-test: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$arches" in amd64|arm64|all) ;; *) echo "stack-test: --arch amd64, arm64 or all" >&2; exit 2 ;; esac

# the exporter image under a local name: this test builds it through compose, never pulls a published one
export WAGO_IMAGE=wago-exporter:1.0.0

# one stack test at a time on a machine (they share the engine, the images and the project name)
exec 9>/tmp/wago-stack-test.lock
flock 9
started=$SECONDS
log() { printf '[stack-test %4ds] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
record() { printf '%s\n' "$*" | tee -a "$results" >&2; }
: > "$results"
record "stack test $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m), $(nproc) cores"

# waits until a command succeeds: wait_for SECONDS DESCRIPTION COMMAND...
wait_for() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within ${limit}s"
    sleep 1
  done
}

for tool in dockerd docker docker-compose debootstrap curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install docker.io docker-compose debootstrap curl)"
done

# --- the engine ------------------------------------------------------------------------------------------
start_dockerd() {
  if docker info >/dev/null 2>&1; then
    log "using the running dockerd ($(docker version --format '{{.Server.Version}}'))"
    return
  fi
  [ "$(id -u)" = 0 ] || fail "no dockerd is running and only root can start one"
  log "starting dockerd (daemon.json: $here/daemon.json)"
  # setsid: dockerd outlives this script (CI is thrown away; a rerun finds it running)
  # 9>&-: dockerd must not inherit the lock, or the next run on this machine waits for it forever
  setsid dockerd --config-file "$here/daemon.json" >"$work/dockerd.log" 2>&1 < /dev/null 9>&- &
  wait_for 60 "dockerd start (see $work/dockerd.log)" docker info
}
start_dockerd
docker_version=$(docker version --format '{{.Server.Version}}')
record "engine: Docker $docker_version; $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"

# --- base images from Debian packages ---------------------------------------------------------------------
# Debian 13 (trixie): its OpenJDK 21 is what jlink --compress=zip-6 needs (Debian 12 has only 17), and the
# jlink'd runtime then needs trixie's glibc, so the runtime base is trixie too.
suite=trixie
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

rootfs_image() { # ARCH -> builds wago-stack-test/debian:trixie-ARCH from a debootstrap'd root filesystem
  local arch=$1 tar="$work/rootfs-$suite-$1.tar" image="wago-stack-test/debian:$suite-$1" context="$work/context-rootfs-$1"
  if ! [ -f "$tar" ]; then
    log "debootstrap $suite $arch (minbase)"
    local t0=$SECONDS dir="$work/rootfs-$suite-$arch"
    rm -rf --one-file-system "$dir"
    debootstrap --arch="$arch" --variant=minbase "$suite" "$dir" "$mirror" >"$work/debootstrap-$arch.log" 2>&1 \
      || fail "debootstrap $arch failed: see $work/debootstrap-$arch.log"
    # debootstrap may leave /proc mounted in the root filesystem: never archive or delete through it
    for mounted in proc sys dev/pts; do
      if mountpoint -q "$dir/$mounted"; then umount -l "$dir/$mounted"; fi
    done
    rm -rf "$dir"/var/cache/apt/archives/*.deb
    tar --one-file-system -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf --one-file-system "$dir"
    record "debootstrap $suite $arch: $((SECONDS - t0)) s"
  fi
  rm -rf "$context" && mkdir -p "$context"
  ln "$tar" "$context/rootfs.tar" 2>/dev/null || cp "$tar" "$context/rootfs.tar"
  DOCKER_BUILDKIT=1 docker build -q --platform "linux/$arch" -f "$here/standins/rootfs.Dockerfile" \
    -t "$image" "$context" >/dev/null
  rm -rf "$context"
}

standin() { # ARCH NAME TAG [BUILD ARG...] -> wago-stack-test/NAME:TAG from deploy/test/standins/NAME.Dockerfile
  local arch=$1 name=$2 tag=$3 t0=$SECONDS context="$work/context-$2-$1"
  shift 3
  rm -rf "$context" && mkdir -p "$context/ca"
  # the local CA that re-signs outbound TLS here, if any: only into these test images
  cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true
  touch "$context/ca/.keep"
  DOCKER_BUILDKIT=1 docker build -q --platform "linux/$arch" --build-arg "BASE=wago-stack-test/debian:$suite-$arch" \
    "$@" -f "$here/standins/$name.Dockerfile" -t "wago-stack-test/$name:$tag" "$context" >/dev/null \
    || fail "building the $name stand-in failed"
  rm -rf "$context"
  log "image wago-stack-test/$name:$tag ($((SECONDS - t0)) s)"
}

# arm64 under QEMU is slow (Debian's JDK installs for minutes): its base images are made in the background
# while the amd64 part builds and waits for healthchecks
make_arm64_bases() {
  local t0=$SECONDS
  if ! [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
    update-binfmts --enable qemu-aarch64 2>/dev/null || true
  fi
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || fail "no binfmt handler for arm64 (apt-get install qemu-user-static binfmt-support)"
  rootfs_image arm64
  standin arm64 jdk 21-arm64 --build-arg MAVEN=no
  record "arm64 base images (debootstrap and Debian's JDK under QEMU): $((SECONDS - t0)) s"
}
arm64_bases=""
if [ "$arches" = all ]; then
  make_arm64_bases >"$work/arm64-bases.log" 2>&1 &
  arm64_bases=$!
fi

project=wagostacktest
export COMPOSE_PROJECT_NAME=$project
# compose.stack-test.yaml: the exporter's build arguments and fast healthchecks; compose.standins.yaml
# (written below): a stand-in image for each service of compose.yaml whose image cannot be had here
standins_file="$work/compose.standins.yaml"
export COMPOSE_FILE="compose.yaml:deploy/test/compose.stack-test.yaml:$standins_file"
echo "services: {}" > "$standins_file"
services=""
export COMPOSE_PROFILES=demo
export GRAFANA_ADMIN_PASSWORD=stack-test-only
export WAGO_GATEWAY=""          # the demo: the exporter finds the simulator by itself
export STACK_TEST_JAR_BUILDER_IMAGE=wago-stack-test/jdk:21-maven-amd64
export STACK_TEST_JDK_IMAGE=wago-stack-test/jdk:21-maven-amd64
export STACK_TEST_BASE_IMAGE=wago-stack-test/debian:$suite-amd64
# free host ports, so that the test runs beside anything else on the machine
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
EXPORTER_PORT=$(free_port); PROMETHEUS_PORT=$(free_port); GRAFANA_PORT=$(free_port); ALERTMANAGER_PORT=$(free_port)
export EXPORTER_PORT PROMETHEUS_PORT GRAFANA_PORT ALERTMANAGER_PORT GRAFANA_BIND=127.0.0.1
prom="http://127.0.0.1:$PROMETHEUS_PORT"

cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    log "logs of the failed run:"
    docker-compose ps >&2 || true
    docker-compose logs --tail 40 >&2 || true
  fi
  if [ -n "$arm64_bases" ]; then kill "$arm64_bases" 2>/dev/null || true; fi
  docker-compose down -v --remove-orphans >/dev/null 2>&1 || true
  docker rm -f wago-arm64-simulator wago-arm64-exporter >/dev/null 2>&1 || true
  docker network rm wago-arm64-test >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT

# query VALUE of an instant PromQL query (first result), empty if none
query() { curl -fsS "$prom/api/v1/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'; }
wago_up_is_1() { [ "$(query 'wago_up')" = 1 ]; }

# Stand-ins, SERVICE=IMAGE NAME:TAG from deploy/test/standins/NAME.Dockerfile, for whichever of these
# services compose.yaml has (alertmanager comes with the alerting work)
standins=(prometheus=prometheus:debian alertmanager=alertmanager:debian grafana=grafana-health:stand-in)
write_standins() { # ARCH: builds the stand-ins compose.yaml needs and writes the override naming them
  local service image
  services=$(docker-compose -f compose.yaml config --services)
  echo "# written by deploy/test/stack-test.sh: the stand-ins (see deploy/test/standins/)" > "$standins_file"
  echo "services:" >> "$standins_file"
  for entry in "${standins[@]}"; do
    service=${entry%%=*}; image=${entry#*=}
    grep -qx "$service" <<<"$services" || continue
    standin "$1" "${image%%:*}" "${image#*:}"
    printf '  %s:\n    image: wago-stack-test/%s\n    healthcheck:\n      interval: 2s\n      start_period: 5s\n' \
      "$service" "$image" >> "$standins_file"
  done
}

container() { docker-compose ps -q "$1"; }
all_healthy() {
  local id status
  for service in $services; do
    id=$(container "$service"); [ -n "$id" ] || return 1
    status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
    [ "$status" = healthy ] || return 1
  done
}
up_and_measure() { # LABEL: docker-compose up -d, then the time to wago_up 1 in Prometheus and to all healthy
  local t0=$SECONDS
  docker-compose up -d >/dev/null 2>"$work/up.log" || { cat "$work/up.log" >&2; fail "docker-compose up -d"; }
  wait_for 180 "Prometheus ready after up -d" curl -fsS "$prom/-/ready"
  wait_for 180 "wago_up 1 in Prometheus" wago_up_is_1
  local first=$((SECONDS - t0))
  wait_for 180 "every container healthy" all_healthy
  record "$1: up -d to the first wago_up 1 in Prometheus $first s, to every container healthy $((SECONDS - t0)) s"
}

if [ "$arches" != arm64 ]; then
  # --- amd64: bases, then the image built through docker-compose --------------------------------------
  t0=$SECONDS
  rootfs_image amd64
  standin amd64 jdk 21-maven-amd64 --build-arg MAVEN=yes
  write_standins amd64
  record "amd64 base and stand-in images: $((SECONDS - t0)) s"

  docker-compose down -v --remove-orphans >/dev/null 2>&1 || true
  docker image rm -f wago-exporter:1.0.0 >/dev/null 2>&1 || true
  log "docker-compose build with BuildKit (DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1)"
  t0=$SECONDS
  DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 docker-compose build modbus_exporter >"$work/build-buildkit.log" 2>&1 \
    || { tail -30 "$work/build-buildkit.log" >&2; fail "docker-compose build with BuildKit"; }
  record "amd64 build through docker-compose 1.29 with BuildKit: $((SECONDS - t0)) s"
  docker image rm -f wago-exporter:1.0.0 >/dev/null
  log "docker-compose build with the classic builder (DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0), as on a Pi"
  t0=$SECONDS
  DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0 docker-compose build modbus_exporter >"$work/build-classic.log" 2>&1 \
    || { tail -30 "$work/build-classic.log" >&2; fail "docker-compose build with the classic builder"; }
  record "amd64 build through docker-compose 1.29 with the classic builder: $((SECONDS - t0)) s"
  record "image wago-exporter:1.0.0 (amd64): $(docker image inspect --format '{{.Size}}' wago-exporter:1.0.0 | awk '{printf "%.1f MB", $1/1e6}') on the stand-in base of $(docker image inspect --format '{{.Size}}' "$STACK_TEST_BASE_IMAGE" | awk '{printf "%.1f MB", $1/1e6}') (debootstrap minbase; debian:12.11-slim is ~75 MB)"
  record "the exporter's layer /opt/wago-exporter (runtime, jar, class-data archives): $(docker run --rm --entrypoint du wago-exporter:1.0.0 -sm /opt/wago-exporter | cut -f1) MB"

  # --- the demo stack ----------------------------------------------------------------------------------
  up_and_measure "amd64 demo stack, first start"
  exporter=$(container modbus_exporter)
  [ "$(docker inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$exporter")" = true ] || fail "exporter root fs is writable"
  [ "$(docker exec "$exporter" id -u)" = 10001 ] || fail "exporter does not run as uid 10001"
  if docker exec "$exporter" sh -c 'echo x > /opt/wago-exporter/x' 2>/dev/null; then fail "exporter could write to its root fs"; fi
  log "exporter: uid 10001, read-only root filesystem"

  # every rule in deploy/prometheus/rules loaded, and each evaluated without error
  expected_rules=$(grep -hcE '^\s*- (record|alert):' deploy/prometheus/rules/*.yml | awk '{n += $1} END {print n}')
  rules_ok() {
    curl -fsS "$prom/api/v1/rules" | python3 -c '
import json, sys
rules = [r for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]]
bad = [r["name"] + ": " + r.get("health", "?") + " " + r.get("lastError", "") for r in rules if r.get("health") != "ok"]
print(len(rules), "rules;", "; ".join(bad) or "all ok")
sys.exit(0 if len(rules) == int(sys.argv[1]) and not bad else 1)' "$expected_rules"
  }
  wait_for 180 "all $expected_rules rules loaded with health ok" rules_ok
  log "Prometheus: $(rules_ok)"

  mem=$(docker stats --no-stream --format '{{.MemUsage}}' "$exporter" | cut -d/ -f1 | tr -d ' ')
  record "exporter memory (docker stats, one meter, after start): $mem"

  log "docker-compose run --rm modbus_exporter check --gateway meter_simulator:5020 --unit-id 2"
  check=$(docker-compose run --rm modbus_exporter check --gateway meter_simulator:5020 --unit-id 2 2>&1) \
    || { echo "$check" >&2; fail "check failed"; }
  echo "$check" | grep -q "unit 2: meter found over tcp framing" || { echo "$check" >&2; fail "check did not show the meter"; }
  echo "$check" | grep -q "serial " || { echo "$check" >&2; fail "check did not show the meter's identity"; }

  log "without WAGO_GATEWAY and without the demo's simulator: a clear error"
  nogw=$(COMPOSE_PROJECT_NAME=${project}nogw COMPOSE_PROFILES= docker-compose run --rm --no-deps modbus_exporter 2>&1) \
    && fail "the exporter started without WAGO_GATEWAY and without the demo"
  echo "$nogw" | grep -q "WAGO_GATEWAY is not set, so there is no meter to poll" || { echo "$nogw" >&2; fail "no clear error"; }
  COMPOSE_PROJECT_NAME=${project}nogw docker-compose down -v >/dev/null 2>&1 || true

  # --- data kept across down / up -------------------------------------------------------------------------
  marker_time=$(date +%s)
  sample_at_marker() { [ "$(query 'count(wago_up)' "$marker_time")" = 1 ]; }
  wait_for 60 "a wago_up sample at the marker time" sample_at_marker
  docker-compose down >/dev/null 2>&1
  up_and_measure "amd64 demo stack, up -d after down (data kept)"
  sample_at_marker || fail "the series written before down is gone after up -d"
  log "the series written before down is still there after up -d"

  # --- backup, then restore into an emptied volume ------------------------------------------------------
  # something of Grafana's in its volume that only the backup can bring back
  docker exec "$(container grafana)" sh -c "echo $marker_time > /var/lib/grafana/stack-test-marker"
  log "scripts/backup.sh"
  export WAGO_COMPOSE=docker-compose
  backup=$(scripts/backup.sh --out "$work/backups") || fail "scripts/backup.sh"
  tar -xOf "$backup" --wildcards '*/MANIFEST' | grep -q 'prometheus.tar.gz' || fail "the backup holds no Prometheus data"
  wait_for 60 "Prometheus back after the backup" curl -fsS "$prom/-/ready"
  docker-compose down -v >/dev/null 2>&1   # the volumes are gone: only the backup holds the data now
  log "scripts/restore.sh into fresh volumes"
  t0=$SECONDS
  scripts/restore.sh "$backup" >"$work/restore.log" 2>&1 || { cat "$work/restore.log" >&2; fail "scripts/restore.sh"; }
  wait_for 180 "Prometheus ready after restore" curl -fsS "$prom/-/ready"
  wait_for 60 "the series written before the backup, restored" sample_at_marker
  wait_for 180 "every container healthy after restore" all_healthy
  [ "$(docker exec "$(container grafana)" cat /var/lib/grafana/stack-test-marker)" = "$marker_time" ] \
    || fail "Grafana's volume was not restored"
  record "backup and restore round trip (restore to healthy: $((SECONDS - t0)) s)"
  docker-compose down -v >/dev/null 2>&1
fi

if [ "$arches" != amd64 ]; then
  # --- linux/arm64 under QEMU user emulation -----------------------------------------------------------
  if [ -n "$arm64_bases" ]; then
    log "waiting for the arm64 base images (made in the background since the start)"
    wait "$arm64_bases" || { cat "$work/arm64-bases.log" >&2; fail "arm64 base images"; }
  else
    make_arm64_bases
  fi
  if [ "$arches" = arm64 ]; then rootfs_image amd64; standin amd64 jdk 21-maven-amd64 --build-arg MAVEN=yes; fi
  log "docker build --platform linux/arm64 (BuildKit; the jar natively, jlink and the AppCDS run under QEMU)"
  t0=$SECONDS
  DOCKER_BUILDKIT=1 docker build --platform linux/arm64 \
    --build-arg JAR_BUILDER_IMAGE=wago-stack-test/jdk:21-maven-amd64 \
    --build-arg JDK_IMAGE=wago-stack-test/jdk:21-arm64 \
    --build-arg BASE_IMAGE=wago-stack-test/debian:$suite-arm64 \
    -t wago-stack-test/exporter:arm64 . >"$work/build-arm64.log" 2>&1 \
    || { tail -30 "$work/build-arm64.log" >&2; fail "arm64 build"; }
  record "arm64 image build (BuildKit, QEMU): $((SECONDS - t0)) s"
  [ "$(docker image inspect --format '{{.Architecture}}' wago-stack-test/exporter:arm64)" = arm64 ] || fail "not an arm64 image"
  [ "$(docker run --rm --entrypoint uname wago-stack-test/exporter:arm64 -m)" = aarch64 ] || fail "the arm64 image does not run as aarch64"
  record "image (arm64): $(docker image inspect --format '{{.Size}}' wago-stack-test/exporter:arm64 | awk '{printf "%.1f MB", $1/1e6}')"

  docker network create --internal wago-arm64-test >/dev/null
  t0=$SECONDS
  docker run -d --name wago-arm64-simulator --network wago-arm64-test --network-alias meter_simulator \
    --read-only --tmpfs /tmp -e WAGO_SIM_UNIT_ID=2 wago-stack-test/exporter:arm64 simulate >/dev/null
  # an internal network: the test reads /metrics inside the container (the image has bash, not curl)
  docker run -d --name wago-arm64-exporter --network wago-arm64-test --read-only --tmpfs /tmp \
    wago-stack-test/exporter:arm64 run --gateway meter_simulator:5020 --unit-id 2 --poll-interval 30s >/dev/null
  arm64_up() { docker exec wago-arm64-exporter /opt/wago-exporter/bin/healthcheck \
    && docker exec wago-arm64-exporter bash -c 'exec 3<>/dev/tcp/127.0.0.1/9100; printf "GET /metrics HTTP/1.0\r\n\r\n" >&3; cat <&3' \
      | grep -qE '^wago_up(\{[^}]*\})? 1(\.0)?\r?$'; }
  wait_for 300 "wago_up 1 from the arm64 exporter" arm64_up
  record "arm64 under QEMU: docker run to wago_up 1 on /metrics: $((SECONDS - t0)) s"
  arm64_mem=$(docker stats --no-stream --format '{{.MemUsage}}' wago-arm64-exporter | cut -d/ -f1 | tr -d ' ')
  record "arm64 exporter memory under QEMU (docker stats; QEMU's own memory included): $arm64_mem"
fi

record "stack test passed in $((SECONDS - started)) s"
