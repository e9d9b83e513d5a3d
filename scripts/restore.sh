#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh. Every file is checked against the MANIFEST's sha256
# before anything is touched.
#
#   scripts/restore.sh BACKUP.tar                      into the Docker Compose stack (default)
#   scripts/restore.sh --prometheus-data DIR [--grafana-db FILE] [--force] BACKUP.tar
#                                                      into a Prometheus/Grafana not in Compose;
#                                                      stop them first
#
# Data already in place is never deleted: without --force a non-empty target is refused, with it
# the old data is moved aside to <target>.before-restore-<time>.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | grep -v '^set -euo' | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}
die() { echo "restore: $*" >&2; exit 1; }
# docker-compose 1.29 (Debian's, Raspberry Pi OS') or Compose v2 (docker compose): whichever exists;
# WAGO_COMPOSE overrides, e.g. WAGO_COMPOSE=docker-compose
compose() {
  if [ -z "${compose_cmd:-}" ]; then
    if [ -n "${WAGO_COMPOSE:-}" ]; then compose_cmd="$WAGO_COMPOSE"
    elif compose version >/dev/null 2>&1; then compose_cmd="docker compose"
    elif command -v docker-compose >/dev/null; then compose_cmd=docker-compose
    else die "neither 'docker compose' nor 'docker-compose' found (Debian: apt install docker-compose)"
    fi
  fi
  # shellcheck disable=SC2086 # a command of one or two words
  $compose_cmd "$@"
}

prometheus_data=""
grafana_db=""
force=no
archive=""
compose_dir="$(cd "$(dirname "$0")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --prometheus-data) prometheus_data="${2:?--prometheus-data needs a directory}"; shift 2 ;;
    --grafana-db) grafana_db="${2:?--grafana-db needs a file}"; shift 2 ;;
    --compose-dir) compose_dir="${2:?--compose-dir needs a directory}"; shift 2 ;;
    --force) force=yes; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "restore: unknown option '$1'; see --help" >&2; exit 2 ;;
    *) [ -z "$archive" ] || { echo "restore: one backup file only ('$archive' and '$1')" >&2; exit 2; }
       archive="$1"; shift ;;
  esac
done
[ -n "$archive" ] || { echo "restore: which backup? give the .tar file that scripts/backup.sh printed" >&2; exit 2; }
[ -f "$archive" ] || { echo "restore: '$archive' is not a file" >&2; exit 2; }
archive="$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$archive" || die "'$archive' is not a tar file from scripts/backup.sh"
dir="$(find "$work" -mindepth 2 -maxdepth 2 -name MANIFEST -printf '%h\n' | head -n1)"
[ -n "$dir" ] || die "'$archive' has no MANIFEST; it is not a backup from scripts/backup.sh"

# check every listed file, and that nothing unlisted came along
listed=0
while read -r sum size file; do
  [ -f "$dir/$file" ] || die "$file is listed in the MANIFEST but missing from the backup"
  [ "$(stat -c %s "$dir/$file")" = "$size" ] || die "$file has the wrong size; the backup is damaged"
  [ "$(sha256sum "$dir/$file" | cut -d' ' -f1)" = "$sum" ] || die "$file fails its sha256 check; the backup is damaged"
  listed=$((listed + 1))
done < <(grep -E '^[0-9a-f]{64}  [0-9]+  [^/]+$' "$dir/MANIFEST")
[ "$listed" -gt 0 ] || die "the MANIFEST lists no files"
[ "$(find "$dir" -mindepth 1 -maxdepth 1 ! -name MANIFEST | wc -l)" = "$listed" ] \
  || die "the backup holds files its MANIFEST does not list"
echo "restore: $listed files verified against the MANIFEST of $(sed -n 's/^created: //p' "$dir/MANIFEST")"

# moves existing data out of the way (never deletes it); refuses without --force
make_room() {
  local target="$1"
  if [ -e "$target" ] && { [ ! -d "$target" ] || [ -n "$(ls -A "$target")" ]; }; then
    [ "$force" = yes ] || die "$target already holds data; stop the service and add --force to move it aside"
    local aside
    aside="$target.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$target" "$aside"
    echo "restore: moved the old $target to $aside"
  fi
}

restore_direct() {
  if [ -n "$prometheus_data" ]; then
    [ -f "$dir/prometheus.tar.gz" ] || die "the backup holds no Prometheus data"
    if [ -f "$prometheus_data/lock" ] && ! flock -n "$prometheus_data/lock" true 2>/dev/null; then
      die "a running Prometheus holds $prometheus_data; stop it first"
    fi
    make_room "$prometheus_data"
    mkdir -p "$prometheus_data"
    tar -C "$prometheus_data" -xzf "$dir/prometheus.tar.gz"
    echo "restore: Prometheus data in $prometheus_data"
  fi
  if [ -n "$grafana_db" ]; then
    [ -f "$dir/grafana.db" ] || die "the backup holds no grafana.db (a Compose backup holds grafana.tar.gz: the whole /var/lib/grafana)"
    make_room "$grafana_db"
    mkdir -p "$(dirname "$grafana_db")"
    cp "$dir/grafana.db" "$grafana_db"
    echo "restore: Grafana database in $grafana_db"
  fi
  [ -n "$prometheus_data$grafana_db" ] || die "nothing to restore into; give --prometheus-data and/or --grafana-db"
}

restore_compose() {
  command -v docker >/dev/null || die "docker not found; for a stack outside Compose use --prometheus-data and --grafana-db"
  cd "$compose_dir"
  # creates the containers and named volumes on a fresh Pi without starting anything
  compose up --no-start
  compose stop prometheus grafana
  local prom graf
  prom="$(compose ps -aq prometheus)"; graf="$(compose ps -aq grafana)"
  # the copy runs in Prometheus' own image (its busybox has tar): nothing to pull, also on an offline Pi
  local helper_image
  helper_image="$(docker inspect --format '{{.Config.Image}}' "$prom")"
  # the images run as nobody (Prometheus) and 472 (Grafana); old data goes to a dated folder in the volume
  docker run --rm --volumes-from "$prom" -v "$dir:/backup:ro" -e FORCE="$force" --user 0 --entrypoint sh "$helper_image" -ec '
    cd /prometheus
    if [ -n "$(ls -A | grep -v "^before-restore-")" ]; then
      [ "$FORCE" = yes ] || { echo "restore: prometheus_data already holds data; add --force to move it aside" >&2; exit 1; }
      aside="before-restore-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir "$aside"
      for f in $(ls -A | grep -v "^before-restore-"); do mv "$f" "$aside/"; done
    fi
    tar -xzf /backup/prometheus.tar.gz && chown -R 65534:65534 /prometheus'
  if [ -n "$graf" ] && [ -f "$dir/grafana.tar.gz" ]; then
    docker run --rm --volumes-from "$graf" -v "$dir:/backup:ro" -e FORCE="$force" --user 0 --entrypoint sh "$helper_image" -ec '
      cd /var/lib/grafana
      if [ -n "$(ls -A | grep -v "^before-restore-")" ]; then
        [ "$FORCE" = yes ] || { echo "restore: grafana_data already holds data; add --force to move it aside" >&2; exit 1; }
        aside="before-restore-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir "$aside"
        for f in $(ls -A | grep -v "^before-restore-"); do mv "$f" "$aside/"; done
      fi
      tar -xzf /backup/grafana.tar.gz && chown -R 472:0 /var/lib/grafana'
  fi
  compose up -d
}

if [ -n "$prometheus_data$grafana_db" ]; then restore_direct; else restore_compose; fi
echo "restore: done"
