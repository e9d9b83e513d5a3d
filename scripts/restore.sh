#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh. Every file is checked against the MANIFEST's sha256
# before anything is touched.
#
#   scripts/restore.sh [--force] [--with-config] BACKUP.tar
#                                                      into the Docker Compose stack (default)
#   scripts/restore.sh --prometheus-data DIR [--grafana-db FILE] [--force] [--with-config] BACKUP.tar
#                                                      into a Prometheus/Grafana not in Compose;
#                                                      stop them first
#   --with-config        also put back the site's settings the backup holds (.env with mode 600,
#                        compose.override.yaml and other *.override.y(a)ml, deploy/prometheus/targets.d/)
#   --compose-dir DIR    where compose.yaml and .env are (default: this repository)
#
# Data already in place is never deleted: without --force a non-empty target (or a setting file that
# differs) is refused, with it the old one is moved aside to <target>.before-restore-<time> (inside each
# Compose volume: a before-restore-<time> folder). The backup is unpacked beside the target first and
# swapped in only when all of it is there, so a failed restore (a full disk, a damaged archive) leaves
# the data in place unchanged, and Prometheus and Grafana, stopped for it, are started again.
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
    elif docker compose version >/dev/null 2>&1; then compose_cmd="docker compose"
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
with_config=no
archive=""
compose_dir="$(cd "$(dirname "$0")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --prometheus-data) prometheus_data="${2:?--prometheus-data needs a directory}"; shift 2 ;;
    --grafana-db) grafana_db="${2:?--grafana-db needs a file}"; shift 2 ;;
    --compose-dir) compose_dir="${2:?--compose-dir needs a directory}"; shift 2 ;;
    --force) force=yes; shift ;;
    --with-config) with_config=yes; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "restore: unknown option '$1'; see --help" >&2; exit 2 ;;
    *) [ -z "$archive" ] || { echo "restore: one backup file only ('$archive' and '$1')" >&2; exit 2; }
       archive="$1"; shift ;;
  esac
done
[ -n "$archive" ] || { echo "restore: which backup? give the .tar file that scripts/backup.sh printed" >&2; exit 2; }
[ -f "$archive" ] || { echo "restore: '$archive' is not a file" >&2; exit 2; }
[ -d "$compose_dir" ] || { echo "restore: --compose-dir '$compose_dir' is not a directory" >&2; exit 2; }
archive="$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")"
compose_dir="$(cd "$compose_dir" && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

work="$(mktemp -d)"
# what to undo or say if the restore stops early (set -e); each phase adds to these
on_failure=()
finished=no
finish() {
  local rc=$?
  if [ "$finished" = no ] && [ "$rc" != 0 ]; then
    local step
    for step in "${on_failure[@]}"; do eval "$step" || true; done
  fi
  rm -rf "$work"
}
trap finish EXIT

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

# --- the site's settings (.env, overrides, drop-in scrape targets) ---------------------------------------
config_list=()
if [ -f "$dir/config.tar.gz" ]; then
  mapfile -t config_list < <(tar -tzf "$dir/config.tar.gz" | grep -v '/$')
fi

# refuses, before anything is touched, to replace a setting file that differs without --force
check_config() {
  [ "$with_config" = yes ] || return 0
  [ "${#config_list[@]}" -gt 0 ] || die "--with-config: this backup holds no settings (.env, overrides); it was made before backups included them"
  mkdir "$work/config"
  tar -C "$work/config" -xzf "$dir/config.tar.gz"
  local f differing=()
  for f in "${config_list[@]}"; do
    if [ -e "$compose_dir/$f" ] && ! cmp -s "$work/config/$f" "$compose_dir/$f"; then differing+=("$f"); fi
  done
  if [ "${#differing[@]}" -gt 0 ] && [ "$force" = no ]; then
    die "${differing[*]} in $compose_dir differ from the backup's; nothing was changed. Add --force to move them aside (<file>.before-restore-<time>)"
  fi
}

restore_config() {
  if [ "$with_config" = no ]; then
    [ "${#config_list[@]}" -eq 0 ] || echo "restore: the backup also holds ${config_list[*]}; they were left alone (add --with-config to put them back)"
    return 0
  fi
  local f
  for f in "${config_list[@]}"; do
    if [ -e "$compose_dir/$f" ] && ! cmp -s "$work/config/$f" "$compose_dir/$f"; then
      mv "$compose_dir/$f" "$compose_dir/$f.before-restore-$stamp"
      echo "restore: moved the old $f to $f.before-restore-$stamp"
    fi
    mkdir -p "$(dirname "$compose_dir/$f")"
    cp -p "$work/config/$f" "$compose_dir/$f"
  done
  [ ! -f "$compose_dir/.env" ] || chmod 600 "$compose_dir/.env"
  echo "restore: settings put back in $compose_dir: ${config_list[*]}"
  config_done=yes
}
config_done=no
unchanged() { if [ "$config_done" = yes ]; then echo "only the settings were put back"; else echo "nothing was changed"; fi; }

# --- outside Compose ---------------------------------------------------------------------------------------
holds_data() { [ -e "$1" ] && { [ ! -d "$1" ] || [ -n "$(ls -A "$1")" ]; }; }

refuse_unless_forced() {
  if holds_data "$1" && [ "$force" = no ]; then
    die "$1 already holds data; nothing was changed. Stop the service and add --force to move it aside"
  fi
}

# moves existing data out of the way (never deletes it)
make_room() {
  local target="$1"
  if holds_data "$target"; then
    mv "$target" "$target.before-restore-$stamp"
    echo "restore: moved the old $target to $target.before-restore-$stamp"
  fi
}

unpack_failed() { # WHAT TARGET
  die "unpacking $1 failed (see the message above; a full disk? df -h '$(dirname "$2")'). $2 is unchanged and the half-unpacked copy is removed. Free some space or take another backup, then run the restore again; start Prometheus and Grafana again if they must run meanwhile"
}

restore_direct() {
  [ -n "$prometheus_data$grafana_db" ] || die "nothing to restore into; give --prometheus-data and/or --grafana-db"
  # every refusal before anything is touched
  if [ -n "$prometheus_data" ]; then
    [ -f "$dir/prometheus.tar.gz" ] || die "the backup holds no Prometheus data"
    if [ -f "$prometheus_data/lock" ] && ! flock -n "$prometheus_data/lock" true 2>/dev/null; then
      die "a running Prometheus holds $prometheus_data; stop it first"
    fi
    refuse_unless_forced "$prometheus_data"
  fi
  if [ -n "$grafana_db" ]; then
    [ -f "$dir/grafana.db" ] || die "the backup holds no grafana.db (a Compose backup holds grafana.tar.gz: the whole /var/lib/grafana)"
    refuse_unless_forced "$grafana_db"
  fi
  check_config

  # unpacked beside the targets (the same file system, so the swap is a rename), swapped in when complete
  local prom_new="" graf_new=""
  if [ -n "$prometheus_data" ]; then
    prom_new="$prometheus_data.restore-incoming"
    mkdir -p "$(dirname "$prometheus_data")"
    rm -rf "$prom_new"
    on_failure+=("rm -rf '$prom_new'")
    mkdir "$prom_new"
    tar -C "$prom_new" -xzf "$dir/prometheus.tar.gz" || unpack_failed "Prometheus' data" "$prometheus_data"
  fi
  if [ -n "$grafana_db" ]; then
    graf_new="$grafana_db.restore-incoming"
    mkdir -p "$(dirname "$grafana_db")"
    on_failure+=("rm -f '$graf_new'")
    cp "$dir/grafana.db" "$graf_new" || unpack_failed "Grafana's database" "$grafana_db"
  fi
  if [ -n "$prom_new" ]; then
    make_room "$prometheus_data"
    mv "$prom_new" "$prometheus_data"
    echo "restore: Prometheus data in $prometheus_data"
  fi
  if [ -n "$graf_new" ]; then
    make_room "$grafana_db"
    mv "$graf_new" "$grafana_db"
    echo "restore: Grafana database in $grafana_db"
  fi
  restore_config
}

# --- the Compose stack -------------------------------------------------------------------------------------
# runs a shell script in the helper image with CONTAINER's volumes and the backup mounted
in_volumes() { # CONTAINER SCRIPT [ENV=VALUE...]
  local container=$1 script=$2 env=()
  shift 2
  for e in "$@"; do env+=(-e "$e"); done
  docker run --rm --volumes-from "$container" -v "$dir:/backup:ro" "${env[@]}" --user 0 --entrypoint sh \
    "$helper_image" -ec "$script"
}

# the data in a volume other than earlier restores' leftovers
LIVE='ls -A | grep -v -e "^before-restore-" -e "^\.restore-incoming$" || true'

restore_compose() {
  command -v docker >/dev/null || die "docker not found; for a stack outside Compose use --prometheus-data and --grafana-db"
  cd "$compose_dir"
  check_config
  # the settings first: .env names the volumes (a migrated stack) and the images
  restore_config
  # creates the containers and named volumes on a fresh Pi without starting anything
  compose up --no-start
  local prom graf running
  prom="$(compose ps -aq prometheus)"; graf="$(compose ps -aq grafana)"
  [ -n "$graf" ] && [ -f "$dir/grafana.tar.gz" ] || graf=""
  # the copy runs in Prometheus' own image (its busybox has tar): nothing to pull, also on an offline Pi
  helper_image="$(docker inspect --format '{{.Config.Image}}' "$prom")"
  running="$(docker inspect --format '{{if .State.Running}}{{.Name}}{{end}}' "$prom" ${graf:+"$graf"} | sed -n 's|^/||p' | tr '\n' ' ')"

  # every refusal before anything is stopped
  local volume
  for volume in "$prom:/prometheus:prometheus_data" ${graf:+"$graf:/var/lib/grafana:grafana_data"}; do
    IFS=: read -r container path name <<<"$volume"
    live="$(in_volumes "$container" "cd $path && $LIVE")" || die "cannot look into $name (docker run with the image $helper_image failed, see above)"
    if [ -n "$live" ] && [ "$force" = no ]; then
      die "$name already holds data; $(unchanged)${running:+, and Prometheus and Grafana keep running}. Add --force to move the current data aside (a before-restore-<time> folder in the volume)"
    fi
  done

  # from here on a failure removes what was unpacked and starts again what ran
  on_failure+=("in_volumes '$prom' 'rm -rf /prometheus/.restore-incoming'")
  [ -z "$graf" ] || on_failure+=("in_volumes '$graf' 'rm -rf /var/lib/grafana/.restore-incoming'")
  if [ -n "$running" ]; then
    on_failure+=("echo 'restore: starting Prometheus and Grafana again on the data they had' >&2; compose start prometheus grafana >&2")
  fi
  on_failure+=("echo 'restore: FAILED; the data in the volumes is unchanged (the half-unpacked copy is removed). Free some space (df -h; docker system df) or take another backup, then run the restore again.' >&2")
  compose stop prometheus grafana
  # 1. unpack next to the data (the same volume: the swap is a rename); a failure removes the copy
  for volume in "$prom:/prometheus:Prometheus" ${graf:+"$graf:/var/lib/grafana:Grafana"}; do
    IFS=: read -r container path name <<<"$volume"
    local file=prometheus.tar.gz
    [ "$name" = Prometheus ] || file=grafana.tar.gz
    in_volumes "$container" '
      cd "$TARGET" && rm -rf .restore-incoming && mkdir .restore-incoming
      tar -C .restore-incoming -xzf "/backup/$FILE" || { rm -rf .restore-incoming; exit 1; }' \
      TARGET="$path" FILE="$file" \
      || die "unpacking $name's data into its volume failed (see tar's message above; a full disk?)"
  done
  # 2. the old data aside, the new in place, owned by the user the image runs as (nobody, 472)
  for volume in "$prom:/prometheus:65534:65534" ${graf:+"$graf:/var/lib/grafana:472:0"}; do
    IFS=: read -r container path uid gid <<<"$volume"
    in_volumes "$container" '
      cd "$TARGET"
      live=$('"$LIVE"')
      if [ -n "$live" ]; then
        aside="before-restore-$STAMP"; mkdir "$aside"
        for f in $live; do mv "$f" "$aside/"; done
        echo "restore: the old data of $TARGET is in $aside inside its volume"
      fi
      for f in $(ls -A .restore-incoming); do mv ".restore-incoming/$f" .; done
      rmdir .restore-incoming
      for f in $(ls -A | grep -v "^before-restore-"); do chown -R "$OWNER" "$f"; done' \
      TARGET="$path" STAMP="$stamp" OWNER="$uid:$gid"
  done
  compose up -d
}

if [ -n "$prometheus_data$grafana_db" ]; then restore_direct; else restore_compose; fi
finished=yes
echo "restore: done"
