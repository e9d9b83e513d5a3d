#!/bin/sh
# /metrics latency with wrk on a quiet exporter, then while 200 clients stall half way through a request
# (docs/design.md, "The HTTP front door": one slow client costs a connection, not a thread others need). The stalled clients reconnect
# whenever the exporter closes them (after its 10 s idle timeout), so 200 are stalled for the whole run.
#
#   bench/stalled-clients.sh [JAR]      (default target/wago-exporter.jar; needs java, wrk, curl, python3)
set -eu
jar=${1:-target/wago-exporter.jar}
seconds=${WRK_SECONDS:-15}
for tool in java wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "stalled-clients: '$tool' not found (Debian: apt-get install wrk curl python3)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "stalled-clients: jar '$jar' not found; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
port=$((20000 + $$ % 20000))
java -jar "$jar" demo --listen "127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
exporter=$!
stall_pid=
trap 'kill $exporter $stall_pid 2>/dev/null || true; rm -rf "$work"' EXIT
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/exporter.log"; exit 1; }; sleep 0.2
done
url="http://127.0.0.1:$port/metrics"
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
wrk -t2 -c16 -d5s "$url" >/dev/null   # warm-up
wrk -t2 -c16 -d"${seconds}s" --latency "$url" >"$work/quiet"
python3 - "$port" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
def stall():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /metrics HTTP/1.1\r\n")  # a request line, then nothing
    s.setblocking(False)
    return s
clients = [stall() for _ in range(200)]
print("stalled-clients: %d clients stalled" % len(clients), file=sys.stderr, flush=True)
while True:
    time.sleep(0.5)
    for i, s in enumerate(clients):
        try:
            if s.recv(1) == b"":
                raise ConnectionError
        except BlockingIOError:
            continue
        except OSError:
            pass
        s.close()
        clients[i] = stall()
PY
stall_pid=$!
sleep 2
kill -0 "$stall_pid" || { echo "stalled-clients: the stalling clients died" >&2; exit 1; }
wrk -t2 -c16 -d"${seconds}s" --latency "$url" >"$work/stalled"
echo "| case | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
for c in quiet stalled; do
  printf '| %s | %s | %s | %s |\n' "$c" "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/$c")" \
    "$(awk '$1 == "50%" { print $2 }' "$work/$c")" "$(p99 "$work/$c")"
done
grep -E 'Non-2xx|Socket errors' "$work/quiet" "$work/stalled" || true
