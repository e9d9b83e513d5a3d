#!/usr/bin/env bash
# The stack test: the user's own Docker (Debian's docker.io 20.10 and docker-compose 1.29) builds and runs
# the whole stack, and it is checked from outside. No registry is used: base images are made here from
# Debian packages and passed through the Dockerfile's build arguments (never tagged with official names).
#
#   deploy/test/stack-test.sh [--arch amd64|arm64|all]     (default: all; needs root, or a running dockerd)
#   deploy/test/stack-test.sh --only migration              (amd64, the migration case alone: for working on it;
#                                                            reuses an image wago-exporter:1.0.0 if there is one)
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
#   4. the migration case (amd64 only): the old stack's state as the user has it (named external volumes
#      holding a Prometheus TSDB with legacy series and a Grafana database, the external network
#      shelly_bt_temp_default with a stand-in iot-api, a stand-in lg_r290_service on heatpump_dashboard_default),
#      then docs/stack.md's steps as written (its .env block, the siblings override, targets.d drop-in):
#      a wrong volume name stops Compose before anything starts; the old samples are queryable at their
#      old timestamps, the wago, iot-api and lg_r290 jobs are up, Grafana mounts the old database;
#   5. linux/arm64 (QEMU user emulation): the image built for arm64 and run: wago_up 1 from the simulator.
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
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arches="${2:?--arch needs amd64, arm64 or all}"; shift 2 ;;
    --only) only="${2:?--only needs migration}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep -v '^set -euo' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stack-test: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$arches" in amd64|arm64|all) ;; *) echo "stack-test: --arch amd64, arm64 or all" >&2; exit 2 ;; esac
case "$only" in "") ;; migration) arches=amd64 ;; *) echo "stack-test: --only migration" >&2; exit 2 ;; esac

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

for tool in dockerd docker docker-compose debootstrap curl promtool sqlite3; do
  command -v "$tool" >/dev/null \
    || fail "$tool is missing (apt-get install docker.io docker-compose debootstrap curl prometheus sqlite3)"
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
    if [ -f "${site:-}/.env" ]; then site_compose ps >&2 || true; site_compose logs --tail 40 >&2 || true; fi
  fi
  if [ -n "$arm64_bases" ]; then kill "$arm64_bases" 2>/dev/null || true; fi
  docker-compose down -v --remove-orphans >/dev/null 2>&1 || true
  if declare -F remove_old_site >/dev/null; then remove_old_site; fi
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
all_healthy() { all_healthy_in docker-compose; }
all_healthy_in() { # COMPOSE COMMAND...: every service's container healthy in that project
  local id status
  for service in $services; do
    id=$("$@" ps -q "$service"); [ -n "$id" ] || return 1
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

# --- the migration case: the old stack's state as the user has it, then docs/stack.md as written -----------
# Names as on the user's site (docs/stack.md, "Migration"): this test's own dockerd holds nothing else.
old_prometheus_volume=heatpump_dashboard_prometheus_data
old_grafana_volume=heatpump_dashboard_grafana_data
old_network=heatpump_dashboard_default
sibling_network=shelly_bt_temp_default
# "clone this repository somewhere else": a copy of the work tree; its directory names the Compose project
site="$work/migration-site"
site_compose() { (cd "$site" && env -u COMPOSE_FILE -u COMPOSE_PROJECT_NAME docker-compose "$@"); }
remove_old_site() {
  if [ -f "$site/.env" ]; then site_compose down -v --remove-orphans >/dev/null 2>&1 || true; fi
  docker rm -f stand-in-iot-api stand-in-lg_r290_service >/dev/null 2>&1 || true
  docker volume rm "$old_prometheus_volume" "$old_grafana_volume" >/dev/null 2>&1 || true
  docker network rm "$old_network" "$sibling_network" >/dev/null 2>&1 || true
}

# into_volume VOLUME OWNER DIR: a volume made as the old stack made it, holding DIR's files owned by OWNER
into_volume() {
  docker volume create "$1" >/dev/null
  docker run --rm --user 0 --network none -v "$1:/volume" -v "$3:/from:ro" --entrypoint sh \
    "wago-stack-test/debian:$suite-amd64" -c "cp -a /from/. /volume/ && chown -R $2 /volume" \
    || fail "filling the volume $1"
}

make_old_site() { # the old stack's volumes, its network with lg_r290_service on it, the Shelly stack's iot-api
  local old="$work/migration-old" now
  rm -rf "$old" && mkdir -p "$old/prometheus" "$old/grafana" "$old/blocks"
  # Prometheus' history: the old exporter's kWh gauges (job wago, target modbus_exporter:9100, as the old
  # prometheus.yml had them) and an outdoor temperature, every 5 min from 3 days to 1 day ago
  now=$(date +%s)
  old_first=$(( (now - 3 * 86400) / 300 * 300 )); old_last=$(( (now - 86400) / 300 * 300 ))
  python3 - "$old_first" "$old_last" > "$old/history.om" <<'PY'
import sys
first, last = int(sys.argv[1]), int(sys.argv[2])
series = {  # name{labels}: value at t, a known function of time the test checks against
    'wago_energy_total_kwh{instance="modbus_exporter:9100",job="wago"}': lambda h: 10000 + 1.5 * h,
    'wago_energy_L1_kwh{instance="modbus_exporter:9100",job="wago"}': lambda h: 4000 + 0.5 * h,
    'sensor_temperature_celsius{instance="iot-api:8000",job="iot-api",sensor_name="temp_outdoor"}': lambda h: -2 + (h % 24) / 4,
}
for name in series:
    print("# TYPE " + name.split("{")[0] + " gauge")
    for t in range(first, last + 1, 300):
        print("%s %.3f %d" % (name, series[name]((t - first) / 3600), t))
print("# EOF")
PY
  promtool tsdb create-blocks-from openmetrics "$old/history.om" "$old/prometheus" >"$work/migration-promtool.log" 2>&1 \
    || { cat "$work/migration-promtool.log" >&2; fail "promtool tsdb create-blocks-from openmetrics"; }
  # Grafana's database: no Grafana binary here, so a grafana.db with a subset of Grafana's schema (org and
  # dashboard tables) holding the old "Desktop" dashboard with a marker; the test proves the mount by this file
  old_marker="old stack $now"
  sqlite3 "$old/grafana/grafana.db" <<SQL || fail "making the old grafana.db"
CREATE TABLE org (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
  created DATETIME NOT NULL, updated DATETIME NOT NULL);
CREATE TABLE dashboard (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, version INTEGER NOT NULL, slug TEXT NOT NULL,
  title TEXT NOT NULL, data TEXT NOT NULL, org_id INTEGER NOT NULL, created DATETIME NOT NULL,
  updated DATETIME NOT NULL, uid TEXT);
INSERT INTO org VALUES (1, 0, 'Heat pump site', datetime('now'), datetime('now'));
INSERT INTO dashboard (version, slug, title, data, org_id, created, updated, uid)
  VALUES (1, 'heat-pump-desktop', 'Heat pump - Desktop ($old_marker)', '{"title": "Heat pump - Desktop"}', 1,
          datetime('now'), datetime('now'), 'heatpump-desktop');
SQL
  into_volume "$old_prometheus_volume" 65534:65534 "$old/prometheus"   # prom/prometheus runs as nobody
  into_volume "$old_grafana_volume" 472:0 "$old/grafana"               # grafana/grafana as 472

  # the old stack is down (docs step 2); its network stays, lg_r290_service still on it
  docker network create "$old_network" >/dev/null
  docker network create "$sibling_network" >/dev/null
  cat > "$old/iot-api.metrics" <<'METRICS'
# HELP sensor_temperature_celsius Temperature of a Shelly BLU H&T (stand-in for iot-api)
# TYPE sensor_temperature_celsius gauge
sensor_temperature_celsius{device_id="stand-in",gateway_id="stand-in",sensor_id="1",sensor_name="temp_outdoor"} 3.5
sensor_temperature_celsius{device_id="stand-in",gateway_id="stand-in",sensor_id="2",sensor_name="temp_indoor"} 21.25
sensor_temperature_celsius{device_id="stand-in",gateway_id="stand-in",sensor_id="3",sensor_name="temp_buffer"} 44
# TYPE sensor_humidity_percent gauge
sensor_humidity_percent{device_id="stand-in",gateway_id="stand-in",sensor_id="1",sensor_name="temp_outdoor"} 81
# TYPE thermostat_switch_state gauge
thermostat_switch_state 1
METRICS
  cat > "$old/lg_r290_service.metrics" <<'METRICS'
# HELP heatpump_flow_temperature_celsius Flow temperature (stand-in for lg_r290_service)
# TYPE heatpump_flow_temperature_celsius gauge
heatpump_flow_temperature_celsius 35.5
# TYPE heatpump_return_temperature_celsius gauge
heatpump_return_temperature_celsius 30.25
# TYPE heatpump_outdoor_temperature_celsius gauge
heatpump_outdoor_temperature_celsius 3
# TYPE heatpump_compressor_running gauge
heatpump_compressor_running 1
# TYPE heatpump_flow_rate_lpm gauge
heatpump_flow_rate_lpm 14.2
METRICS
  chmod 644 "$old"/*.metrics
  docker run -d --name stand-in-iot-api --network "$sibling_network" --network-alias iot-api --read-only \
    -v "$old/iot-api.metrics:/srv/metrics:ro" wago-stack-test/sibling-metrics:stand-in >/dev/null
  docker run -d --name stand-in-lg_r290_service --network "$old_network" --network-alias lg_r290_service --read-only \
    -v "$old/lg_r290_service.metrics:/srv/metrics:ro" wago-stack-test/sibling-metrics:stand-in >/dev/null
}

# docs_snippet KIND: what docs/stack.md tells the user to write, taken from the doc itself
#   env: the .env block of "Migration" step 3; compose_file: the COMPOSE_FILE line of "More scrape
#   targets" step 2 (with the override); targets: the targets.d/siblings.yml block of its step 1
docs_snippet() {
  python3 - "$1" docs/stack.md <<'PY'
import re, sys
kind, doc = sys.argv[1], open(sys.argv[2]).read()
def section(title):
    start = doc.index("\n## " + title)
    end = doc.find("\n## ", start + 1)
    return doc[start:end if end > 0 else len(doc)]
def block(text, lang):
    m = re.search(r"^( *)```" + lang + r"\n(.*?)^\1```", text, re.S | re.M)
    return "\n".join(line[len(m.group(1)):] for line in m.group(2).splitlines())
if kind == "env":
    print(block(section("Migration from the old stack"), "sh"))
elif kind == "compose_file":
    print(re.search(r"`(COMPOSE_FILE=[^`]*compose\.override\.yaml)`", section("More scrape targets")).group(1))
elif kind == "targets":
    siblings = section("More scrape targets")
    assert "deploy/prometheus/targets.d/siblings.yml" in siblings
    print(block(siblings, "yaml"))
PY
}

migration_case() {
  local t0=$SECONDS t1 out
  log "migration case: the old stack's state (volumes, networks, sibling stand-ins)"
  remove_old_site
  standin amd64 sibling-metrics stand-in
  make_old_site
  record "amd64 migration case, the old stack's state made: $((SECONDS - t0)) s"

  # docs/stack.md, "Migration" step 3 and "More scrape targets" steps 1 and 2, in a copy of the work tree
  rm -rf "$site" && mkdir -p "$site"
  git ls-files -z --cached --others --exclude-standard | grep -zv '^target/' \
    | xargs -0 cp --parents -t "$site" 2>/dev/null || true
  [ -f "$site/compose.migrate.yaml" ] || fail "copying the work tree to $site"
  cp "$site/.env.example" "$site/.env"
  # The test's only changes to the documented settings: no WAGO_GATEWAY (a 192.168 address is never run
  # here; the demo's simulator instead) and its own overrides after the documented COMPOSE_FILE
  { echo "# docs/stack.md, Migration, step 3"
    docs_snippet env | sed -e 's/^WAGO_GATEWAY=.*/WAGO_GATEWAY=/' -e '/^COMPOSE_FILE=/d'
    echo "# docs/stack.md, More scrape targets, step 2; then the stack test's overrides"
    echo "$(docs_snippet compose_file):deploy/test/compose.stack-test.yaml:$standins_file"
  } >> "$site/.env"
  grep -q '^WAGO_PROMETHEUS_VOLUME=heatpump_dashboard_prometheus_data' "$site/.env" \
    || fail "docs/stack.md's .env block no longer names the old Prometheus volume"
  cp "$site/deploy/examples/compose.siblings.override.yaml" "$site/compose.override.yaml"
  docs_snippet targets > "$site/deploy/prometheus/targets.d/siblings.yml"

  # a wrong volume name (the stale pre-rename one, gone here): Compose stops before anything starts
  out=$(WAGO_PROMETHEUS_VOLUME=modbus_prometheus_data site_compose up -d 2>&1) \
    && fail "docker-compose up -d started with a volume that does not exist"
  grep -q "modbus_prometheus_data.*declared as external, but could not be found" <<<"$out" \
    || { echo "$out" >&2; fail "no clear message for the missing volume"; }
  [ -z "$(site_compose ps -q)" ] || fail "containers were created although a volume was missing"
  log "a missing volume: $(grep -m1 'declared as external' <<<"$out")"

  log "migration case: docker-compose up -d on the old volumes and network (docs/stack.md step 4)"
  t1=$SECONDS
  site_compose up -d >/dev/null 2>"$work/migration-up.log" || { cat "$work/migration-up.log" >&2; fail "docker-compose up -d (migration)"; }
  wait_for 180 "Prometheus ready on the old volume" curl -fsS "$prom/-/ready"
  job_up() { [ "$(query "up{job=\"$1\",instance=\"$2\"}")" = 1 ]; }
  wait_for 180 "the wago job up" job_up wago modbus_exporter:9100
  wait_for 180 "the iot-api sibling up (job iot-api)" job_up iot-api iot-api:8000
  wait_for 180 "the lg_r290_service sibling up (job lg_r290)" job_up lg_r290 lg_r290_service:8000
  record "amd64 migration case: up -d on the old volumes to the wago, iot-api and lg_r290 jobs up: $((SECONDS - t1)) s"
  [ "$(query 'sensor_temperature_celsius{job="iot-api",sensor_name="temp_outdoor"}')" = 3.5 ] \
    || fail "iot-api's outdoor temperature is not in Prometheus under job iot-api"
  [ "$(query 'heatpump_flow_temperature_celsius{job="lg_r290"}')" = 35.5 ] \
    || fail "lg_r290_service's flow temperature is not in Prometheus under job lg_r290"

  # the old history, at its old timestamps
  local t want got
  for t in "$old_first" $(( (old_first + old_last) / 2 / 300 * 300 )) "$old_last"; do
    want=$(python3 -c "print(round(10000 + 1.5 * ($t - $old_first) / 3600, 3))")
    got=$(query 'wago_energy_total_kwh{job="wago",instance="modbus_exporter:9100"}' "$t")
    python3 -c "import sys; sys.exit(0 if abs(float('${got:-nan}') - $want) < 1e-6 else 1)" \
      || fail "wago_energy_total_kwh at $(date -u -d "@$t" +%FT%TZ): '$got', the old volume had $want"
  done
  [ -n "$(query 'sensor_temperature_celsius{job="iot-api",sensor_name="temp_outdoor"}' "$old_last")" ] \
    || fail "the old outdoor temperature is gone"
  log "the old samples are there (wago_energy_total_kwh from $(date -u -d "@$old_first" +%FT%TZ))"

  # the old volumes are the ones mounted, no new empty ones were made, and the old Grafana database is there
  mounted() { docker inspect --format "{{range .Mounts}}{{if eq .Destination \"$2\"}}{{.Name}}{{end}}{{end}}" \
    "$(site_compose ps -q "$1")"; }
  [ "$(mounted prometheus /prometheus)" = "$old_prometheus_volume" ] || fail "Prometheus mounts $(mounted prometheus /prometheus)"
  [ "$(mounted grafana /var/lib/grafana)" = "$old_grafana_volume" ] || fail "Grafana mounts $(mounted grafana /var/lib/grafana)"
  local new
  new=$(docker volume ls --format '{{.Name}}' | grep -E '_(prometheus|grafana)_data$' \
    | grep -vxE "$old_prometheus_volume|$old_grafana_volume" || true)
  [ -z "$new" ] || fail "new volumes were made: $new"
  rm -f "$work/migration-grafana.db"
  docker cp "$(site_compose ps -q grafana):/var/lib/grafana/grafana.db" "$work/migration-grafana.db" \
    || fail "no grafana.db in Grafana's /var/lib/grafana"
  [ "$(sqlite3 "$work/migration-grafana.db" "select title from dashboard where uid = 'heatpump-desktop'")" \
    = "Heat pump - Desktop ($old_marker)" ] || fail "Grafana's /var/lib/grafana is not the old database"
  wait_for 180 "every container healthy (migration)" all_healthy_in site_compose
  log "Grafana mounts the old database (its old dashboard is in /var/lib/grafana/grafana.db)"

  # down -v leaves the external volumes alone (docs/stack.md)
  site_compose down -v >/dev/null 2>&1
  docker volume inspect "$old_prometheus_volume" "$old_grafana_volume" >/dev/null 2>&1 \
    || fail "docker-compose down -v removed the old volumes"
  record "amd64 migration case passed: $((SECONDS - t0)) s"
  remove_old_site
}

amd64_bases() {
  local t0=$SECONDS
  rootfs_image amd64
  standin amd64 jdk 21-maven-amd64 --build-arg MAVEN=yes
  write_standins amd64
  record "amd64 base and stand-in images: $((SECONDS - t0)) s"
}

if [ "$only" = migration ]; then
  amd64_bases
  if ! docker image inspect wago-exporter:1.0.0 >/dev/null 2>&1; then
    log "docker-compose build (the image for the migration case)"
    DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 docker-compose build modbus_exporter >"$work/build-buildkit.log" 2>&1 \
      || { tail -30 "$work/build-buildkit.log" >&2; fail "docker-compose build with BuildKit"; }
  fi
  migration_case
elif [ "$arches" != arm64 ]; then
  # --- amd64: bases, then the image built through docker-compose --------------------------------------
  amd64_bases

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

  migration_case
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
