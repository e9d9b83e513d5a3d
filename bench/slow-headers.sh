#!/bin/sh
# /metrics latency with wrk on a quiet exporter, then while one peer holds up to 900 connections, each sending
# a request head one byte every 5 s (never idle, so the idle timeout never closes them). The exporter's limits
# (docs/security.md: 64 connections per address, a request head within 10 s) close them; the attacker opens a
# new one for every one closed, so it keeps trying for the whole run. wrk and the attacker share 127.0.0.1:
# the scraper comes from the flooding address itself, the hardest case.
#
#   bench/slow-headers.sh [JAR]      (default target/wago-exporter.jar; needs java, wrk, curl, python3)
#   BENCH_PORT=24100 WRK_SECONDS=15 bench/slow-headers.sh
set -eu
jar=${1:-target/wago-exporter.jar}
seconds=${WRK_SECONDS:-15}
for tool in java wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "slow-headers: '$tool' not found (Debian: apt-get install wrk curl python3)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "slow-headers: jar '$jar' not found; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
port=${BENCH_PORT:-$((20000 + $$ % 20000))}
java -jar "$jar" demo --listen "127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
exporter=$!
attack_pid=
trap 'kill $exporter $attack_pid 2>/dev/null || true; rm -rf "$work"' EXIT
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/exporter.log"; exit 1; }; sleep 0.2
done
url="http://127.0.0.1:$port/metrics"
wrk -t2 -c16 -d5s "$url" >/dev/null   # warm-up
wrk -t2 -c16 -d"${seconds}s" --latency "$url" >"$work/quiet"
python3 - "$port" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
def open_one():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.sendall(b"GET /metrics HTTP/1.1\r\nX-Slow: ")
        s.setblocking(False)
        return s
    except OSError:
        return None
clients = [open_one() for _ in range(900)]
print("slow-headers: %d connections opened" % sum(c is not None for c in clients), file=sys.stderr, flush=True)
while True:
    time.sleep(5)
    for i, s in enumerate(clients):
        try:
            if s is None:
                raise ConnectionError
            s.sendall(b"a")
            continue
        except OSError:
            pass
        if s is not None:
            s.close()
        clients[i] = open_one()
PY
attack_pid=$!
sleep 3
kill -0 "$attack_pid" || { echo "slow-headers: the attacker died" >&2; exit 1; }
wrk -t2 -c16 -d"${seconds}s" --latency "$url" >"$work/attack"
curl -s -o /dev/null -w 'slow-headers: one new scrape during the attack: %{http_code} in %{time_total} s\n' "$url"
echo "| case | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
for c in quiet attack; do
  printf '| %s | %s | %s | %s |\n' "$c" "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/$c")" \
    "$(awk '$1 == "50%" { print $2 }' "$work/$c")" "$(awk '$1 == "99%" { print $2 }' "$work/$c")"
done
grep -E 'Non-2xx|Socket errors' "$work/quiet" "$work/attack" || true
