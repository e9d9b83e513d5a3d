#!/usr/bin/env bash
# Back up the stack's data: Prometheus' TSDB and Grafana's database, and the site's settings that git
# does not hold (.env, local Compose overrides such as compose.override.yaml, the drop-in scrape targets in
# deploy/prometheus/targets.d/), into one tar file with a MANIFEST (contents, sizes, sha256, versions,
# time). The backup holds .env's passwords and tokens, so it is readable by its owner only (mode 600).
# Restore with scripts/restore.sh (the settings only with --with-config).
#
#   scripts/backup.sh [--out DIR]                      the Docker Compose stack (default)
#   scripts/backup.sh --prometheus-url URL --prometheus-data DIR [--grafana-db FILE] [--out DIR]
#                                                      a Prometheus/Grafana not in Compose
#   --compose-dir DIR    where compose.yaml, .env and the overrides are (default: this repository)
#
# Compose: Prometheus and Grafana are stopped for the few seconds the copy takes, so the copy is
# consistent (WAL included) and the TSDB admin API stays off: that API can also delete series, and
# Prometheus has no way to serve it on an internal listener only, so with the usual published
# port 9090 it would be open to the LAN. The exporter keeps running; the scrapes missed meanwhile
# lose no energy (the counters are registers) and the restart replays the WAL.
#
# Without Compose: a snapshot through the admin API (POST /api/v1/admin/tsdb/snapshot), which needs
# --web.enable-admin-api; point --prometheus-url at a loopback address only. Grafana's SQLite file
# is copied with sqlite3's online .backup, which is consistent while Grafana writes.
set -euo pipefail
umask 077   # .env's secrets end up in the backup

usage() {
  sed -n '2,/^set -euo/p' "$0" | grep -v '^set -euo' | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}
die() { echo "backup: $*" >&2; exit 1; }
# docker-compose 1.29 (Debian's, Raspberry Pi OS') or Compose v2 (docker compose): whichever exists;
# WAGO_COMPOSE overrides, e.g. WAGO_COMPOSE=docker-compose
compose() {
  if [ -z "${compose_cmd:-}" ]; then
    if [ -n "${WAGO_COMPOSE:-}" ]; then compose_cmd="$WAGO_COMPOSE"
    elif docker compose version >/dev/null 2>&1; then compose_cmd="docker compose"
    elif command -v docker-compose >/dev/null; then compose_cmd=docker-compose
    else die "neither 'docker compose' nor 'docker-compose' found (Debian: apt install docker-compose)"
    fi
  fi
  # shellcheck disable=SC2086 # a command of one or two words
  $compose_cmd "$@"
}

out=./backups
prometheus_url=""
prometheus_data=""
grafana_db=""
compose_dir="$(cd "$(dirname "$0")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --prometheus-url) prometheus_url="${2:?--prometheus-url needs a URL}"; shift 2 ;;
    --prometheus-data) prometheus_data="${2:?--prometheus-data needs a directory}"; shift 2 ;;
    --grafana-db) grafana_db="${2:?--grafana-db needs a file}"; shift 2 ;;
    --compose-dir) compose_dir="${2:?--compose-dir needs a directory}"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "backup: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
done

if [ -n "$prometheus_url" ] || [ -n "$prometheus_data" ]; then
  mode=direct
  [ -n "$prometheus_url" ] || { echo "backup: --prometheus-data needs --prometheus-url (for the snapshot)" >&2; exit 2; }
  [ -d "$prometheus_data" ] || { echo "backup: --prometheus-data '$prometheus_data' is not a directory" >&2; exit 2; }
  [ -z "$grafana_db" ] || [ -f "$grafana_db" ] || { echo "backup: --grafana-db '$grafana_db' is not a file" >&2; exit 2; }
else
  mode=compose
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="wago-backup-$stamp"
mkdir -p "$out"
out="$(cd "$out" && pwd)"   # the Compose path changes directory
[ -d "$compose_dir" ] || { echo "backup: --compose-dir '$compose_dir' is not a directory" >&2; exit 2; }
compose_dir="$(cd "$compose_dir" && pwd)"
work="$(mktemp -d "$out/.${name}.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/$name"
dest="$work/$name"
versions=()

backup_direct() {
  case "$prometheus_url" in
    http://127.0.0.1*|http://localhost*|http://\[::1\]*) ;;
    *) echo "backup: warning: $prometheus_url is not a loopback address; the admin API it needs can delete data, keep it off the LAN" >&2 ;;
  esac
  local base="${prometheus_url%/}" answer snapshot
  answer="$(curl -fsS -X POST "$base/api/v1/admin/tsdb/snapshot")" \
    || die "no snapshot from $base (is Prometheus running with --web.enable-admin-api?)"
  snapshot="$(printf '%s' "$answer" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')"
  if [ -z "$snapshot" ] || [ ! -d "$prometheus_data/snapshots/$snapshot" ]; then
    die "snapshot '$snapshot' not found under $prometheus_data/snapshots; is --prometheus-data the data directory of the Prometheus at $base?"
  fi
  tar -C "$prometheus_data/snapshots/$snapshot" -czf "$dest/prometheus.tar.gz" .
  # a snapshot is hard links to the blocks; left behind it would keep blocks alive that retention deletes
  rm -rf "${prometheus_data:?}/snapshots/$snapshot"
  versions+=("prometheus: $(curl -fsS "$base/api/v1/status/buildinfo" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')")
  versions+=("prometheus method: snapshot $snapshot through the admin API at $base")
  if [ -n "$grafana_db" ]; then
    command -v sqlite3 >/dev/null || die "sqlite3 is needed to copy $grafana_db consistently (apt-get install sqlite3)"
    sqlite3 "$grafana_db" ".backup '$dest/grafana.db'"
    versions+=("grafana method: sqlite3 $(sqlite3 --version | cut -d' ' -f1) online .backup of $grafana_db")
  fi
}

backup_compose() {
  command -v docker >/dev/null || die "docker not found; for a stack outside Compose use --prometheus-url and --prometheus-data"
  cd "$compose_dir"
  local prom graf
  prom="$(compose ps -aq prometheus)"; graf="$(compose ps -aq grafana)"
  [ -n "$prom" ] || die "no prometheus container in $compose_dir (run it once with docker-compose up -d)"
  # the copy runs in Prometheus' own image (its busybox has tar): nothing to pull, also on an offline Pi
  helper_image="$(docker inspect --format '{{.Config.Image}}' "$prom")"
  versions+=("prometheus: $helper_image")
  [ -z "$graf" ] || versions+=("grafana: $(docker inspect --format '{{.Config.Image}}' "$graf")")
  versions+=("method: prometheus and grafana stopped during the copy")
  # whatever happens from here, the stack comes back up
  trap 'compose start prometheus grafana >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  compose stop prometheus grafana
  docker run --rm --user 0 --entrypoint tar --volumes-from "$prom" -v "$dest:/backup" "$helper_image" \
    -C /prometheus -czf /backup/prometheus.tar.gz .
  if [ -n "$graf" ]; then
    docker run --rm --user 0 --entrypoint tar --volumes-from "$graf" -v "$dest:/backup" "$helper_image" \
      -C /var/lib/grafana -czf /backup/grafana.tar.gz .
  fi
  compose start prometheus grafana
}

# the site's own files in the Compose directory (relative paths), which git does not back up
config_files() {
  (
    cd "$compose_dir" || exit 0
    shopt -s nullglob
    for f in .env *.override.yaml *.override.yml deploy/prometheus/targets.d/*.yml \
      deploy/prometheus/targets.d/*.yaml deploy/prometheus/targets.d/*.json; do
      [ -f "$f" ] && printf '%s\n' "$f"
    done
  ) | sort -u
}

backup_config() {
  local files=() staging="$work/config"
  mapfile -t files < <(config_files)
  [ "${#files[@]}" -gt 0 ] || return 0
  mkdir "$staging"
  (cd "$compose_dir" && cp --parents -p "${files[@]}" "$staging/")
  # .env holds passwords and tokens: mode 600 in the backup, whatever it has on disk
  [ ! -f "$staging/.env" ] || chmod 600 "$staging/.env"
  tar -C "$staging" -czf "$dest/config.tar.gz" "${files[@]}"
  rm -rf "$staging"
  versions+=("settings: ${files[*]}")
}

if [ "$mode" = direct ]; then backup_direct; else backup_compose; fi
backup_config

{
  echo "# wago-exporter backup; restore with scripts/restore.sh $name.tar"
  echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(hostname)"
  for v in "${versions[@]}"; do echo "$v"; done
  if [ -f "$dest/prometheus.tar.gz" ]; then
    echo "prometheus blocks: $(tar -tzf "$dest/prometheus.tar.gz" | grep -cE '^\./[0-9A-Z]{26}/meta\.json$' || true)"
  fi
  echo "files (sha256, bytes, name):"
  (cd "$dest" && for f in *; do
    echo "$(sha256sum "$f" | cut -d' ' -f1)  $(stat -c %s "$f")  $f"
  done)
} > "$work/MANIFEST"
mv "$work/MANIFEST" "$dest/MANIFEST"

tar -C "$work" -cf "$work/$name.tar" "$name"
mv "$work/$name.tar" "$out/$name.tar"
echo "$out/$name.tar"
