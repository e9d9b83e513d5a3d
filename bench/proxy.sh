#!/bin/sh
# The Modbus TCP proxy (docs/design.md, "One master on the line"): `simulate` with a meter (unit 1) and a heat
# pump (unit 5) on a simulated 9600 baud even-parity line with 20 ms turnaround (as bench/run.sh's line), and
# `run` polling the meter every 1 s with the proxy on (--proxy.units 5). Measures, on loopback only:
#   - a read through the proxy vs. the same read straight on the simulator, p50/p99: (a) the heat pump's input
#     registers 0-13 (FC04, forwarded on the line) and (b) the meter's 0x5000 x56 (FC03, a block the poll
#     reads: answered from the latest poll, no bus time). The direct reads run before the exporter starts,
#     so the simulated line is theirs alone;
#   - snapshot answers per second: 4 connections (the per-address cap is 8) reading (b) back to back;
#   - the exporter's poll jitter: wago_poll_duration_seconds and the spread of the time between polls
#     (wago_last_success_timestamp_seconds, set when a poll ends, ms resolution) with no proxy client, then
#     with one client reading the heat pump once a second (at a random moment of each second, so its reads
#     meet every phase of the poll cycle), as the user's heat-pump controller does.
# Client: /usr/bin/python3 with only its standard library (a 30-line Modbus TCP client over a plain socket,
# one connection per client, TCP_NODELAY, each reply checked for transaction id, unit, function and length;
# any error ends the run). Not pymodbus or mbpoll: their own per-request cost (mbpoll: a process per read)
# would be measured instead of the proxy's. The clients share the machine's cores with the exporter and the
# simulator, so snapshot answers/s is a lower bound set partly by the client.
#
#   bench/proxy.sh [--smoke] [JAR]    (default target/wago-exporter.jar; needs java, curl, python3)
#   BENCH_PORT=24200 bench/proxy.sh   uses ports 24200-24202 instead of ephemeral ones
#   EXPORTER=/path/to/bin/wago-exporter runs the exporter from that launcher (bench/run.sh passes the image's)
# Prints one "measurement|value" line per result on stdout; progress on stderr.
set -eu
mode=full
if [ "${1:-}" = --smoke ]; then mode=smoke; shift; fi
jar=${1:-target/wago-exporter.jar}
for tool in java curl python3 awk; do
  command -v "$tool" >/dev/null || { echo "proxy: '$tool' not found (Debian: apt-get install curl python3)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "proxy: jar '$jar' not found; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
if [ "$mode" = smoke ]; then
  N_LINE=10; N_SNAP=200; RATE_S=1; POLLS=3
else
  N_LINE=150; N_SNAP=2000; RATE_S=10; POLLS=30
fi
HP="5 4 0 14"          # unit, function, address, count: the heat pump's input registers 0-13
METER="1 3 20480 56"   # the meter's 0x5000 x56, the poll's first block
log() { echo "proxy: $*" >&2; }

work=$(mktemp -d /tmp/wago-proxy-bench.XXXXXX)
sim=; exporter=; client=
trap 'kill $client $exporter $sim 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { log "$*; logs:"; tail -5 "$work"/*.log >&2 || true; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if [ -n "${BENCH_PORT:-}" ]; then
  sim_port=$BENCH_PORT; http_port=$((BENCH_PORT + 1)); proxy_port=$((BENCH_PORT + 2))
else
  sim_port=$(free_port); http_port=$(free_port); proxy_port=$(free_port)
fi

cat >"$work/mb.py" <<'PY'
import multiprocessing, random, socket, struct, sys, time

def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise ConnectionError("connection closed")
        b += c
    return b

def read(s, tid, unit, fc, addr, count):
    s.sendall(struct.pack(">HHHBBHH", tid, 0, 6, unit, fc, addr, count))
    t, _, length, u = struct.unpack(">HHHB", recv_exact(s, 7))
    body = recv_exact(s, length - 1)
    if t != tid or u != unit:
        raise ValueError("reply for transaction %d unit %d, expected %d unit %d" % (t, u, tid, unit))
    if body[0] != fc:
        raise ValueError("exception 0x%02X (function 0x%02X)" % (body[1], body[0]))
    if body[1] != 2 * count or len(body) != 2 + 2 * count:
        raise ValueError("%d data bytes, expected %d" % (body[1], 2 * count))

def latencies(port, unit, fc, addr, count, n, pause_ms):
    # n reads on one connection, a random pause between them so they fall anywhere in the poll cycle
    s = connect(port)
    for i in range(n):
        t0 = time.perf_counter()
        read(s, i % 65536, unit, fc, addr, count)
        print("%.3f" % ((time.perf_counter() - t0) * 1000), flush=True)
        time.sleep(random.uniform(0, pause_ms / 1000))

def every(port, unit, fc, addr, count, period):
    # the heat-pump controller: one read a second, on one connection, until killed. Each read at a random
    # moment of its second: a fixed 1 s period would lock onto the 1 s polls at one phase, and the
    # latencies would be those of that phase only (~70 ms between polls, up to ~440 ms behind one)
    s = connect(port)
    start = time.perf_counter()
    i = 0
    while True:
        time.sleep(max(0, start + (i + random.random()) * period - time.perf_counter()))
        t0 = time.perf_counter()
        read(s, i % 65536, unit, fc, addr, count)
        print("%.3f" % ((time.perf_counter() - t0) * 1000), flush=True)
        i += 1

def hammer(port, unit, fc, addr, count, seconds, out):
    s = connect(port)
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        read(s, n % 65536, unit, fc, addr, count)
        n += 1
    out.put(n)

def rate(port, unit, fc, addr, count, conns, seconds):
    out = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=hammer, args=(port, unit, fc, addr, count, seconds, out)) for _ in range(conns)]
    for p in ps:
        p.start()
    total = sum(out.get(timeout=seconds + 30) for _ in ps)
    for p in ps:
        p.join()
        if p.exitcode != 0:
            sys.exit("a hammering client failed")
    print("%.0f" % (total / seconds))

mode, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
try:
    {"lat": latencies, "every": every, "rate": rate}[mode](*args)
except (OSError, ValueError) as e:
    sys.exit("proxy client: %s" % e)
PY
mb() { python3 "$work/mb.py" "$@"; }

# pct P < numbers: the P-th percentile (nearest rank)
pct() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { i = int(p / 100 * NR); if (i < p / 100 * NR) i++; if (i < 1) i = 1; print v[i] }'; }
p50p99() { printf '%s ms / %s ms' "$(pct 50 <"$1")" "$(pct 99 <"$1")"; }
wait_port() {
  i=0
  until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), timeout=1)" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "nothing listens on port $1"; sleep 0.2
  done
}
metric() { # name, label text: the first sample of name whose labels contain the text
  page=$(curl -sf "http://127.0.0.1:$http_port/metrics") || return 1
  printf '%s\n' "$page" | awk -v n="$1" -v l="${2:-}" 'index($1, n"{") == 1 && index($1, l) > 0 { print $2; exit }'
}

log "simulator: meter unit 1, heat pump unit 5, 9600 baud even parity, 20 ms turnaround, on :$sim_port"
java -XX:+UseSerialGC -Xmx32m -XX:TieredStopAtLevel=1 -jar "$jar" simulate --listen "127.0.0.1:$sim_port" --unit-id 1 \
  --heat-pump-unit 5 --baud 9600 --parity even --turnaround 20ms >"$work/sim.log" 2>&1 &
sim=$!
wait_port "$sim_port"

log "direct reads on the simulator: $N_LINE of each"
# shellcheck disable=SC2086 # HP and METER are lists of arguments
mb lat "$sim_port" $HP 2 0 >/dev/null || fail "direct warm-up read failed"
# shellcheck disable=SC2086
mb lat "$sim_port" $HP "$N_LINE" 50 >"$work/direct-hp" || fail "direct heat-pump reads failed"
# shellcheck disable=SC2086
mb lat "$sim_port" $METER "$N_LINE" 50 >"$work/direct-meter" || fail "direct meter reads failed"

log "exporter: polls every 1 s, proxy on :$proxy_port"
set -- run --listen "127.0.0.1:$http_port" --gateway "127.0.0.1:$sim_port" --unit-id 1 --poll-interval 1s \
  --timeout 900ms --proxy.listen-address "127.0.0.1:$proxy_port" --proxy.units 5
if [ -n "${EXPORTER:-}" ]; then "$EXPORTER" "$@" >"$work/exporter.log" 2>&1 & else java -jar "$jar" "$@" >"$work/exporter.log" 2>&1 & fi
exporter=$!
i=0
until [ "$(metric wago_up 2>/dev/null)" = "1.0" ]; do
  i=$((i + 1)); [ $i -lt 600 ] || fail "the meter is not up after 60 s"; sleep 0.1
done
wait_port "$proxy_port"

# polls N FILE: N polls' duration and time since the poll before, "duration interval" a line
polls() {
  last=$(metric wago_last_success_timestamp_seconds); got=0; : >"$2"
  while [ $got -lt "$1" ]; do
    sleep 0.1
    ts=$(metric wago_last_success_timestamp_seconds)
    [ "$ts" != "$last" ] || continue
    echo "$(metric wago_poll_duration_seconds) $(awk -v a="$last" -v b="$ts" 'BEGIN { printf "%.3f", b - a }')" >>"$2"
    last=$ts; got=$((got + 1))
  done
}
spread() { # FILE: "duration p50 / max, interval min-max"
  d50=$(awk '{ print $1 * 1000 }' "$1" | pct 50); dmax=$(awk '{ print $1 * 1000 }' "$1" | pct 100)
  imin=$(awk '{ print $2 }' "$1" | sort -g | head -1); imax=$(awk '{ print $2 }' "$1" | sort -g | tail -1)
  printf 'poll %.0f ms / %.0f ms, interval %s-%s s' "$d50" "$dmax" "$imin" "$imax"
}

log "poll jitter with no proxy client: $POLLS polls"
polls "$POLLS" "$work/polls-quiet"

log "poll jitter with one client reading the heat pump every second: $POLLS polls"
# shellcheck disable=SC2086
mb every "$proxy_port" $HP 1 >"$work/every" 2>"$work/every.log" &
client=$!
polls "$POLLS" "$work/polls-client"
kill -0 "$client" 2>/dev/null || fail "the every-second client failed: $(cat "$work/every.log")"
kill "$client"; wait "$client" 2>/dev/null || true; client=

log "reads through the proxy: $N_LINE heat-pump, $N_SNAP meter (snapshot)"
snap_before=$(metric wago_proxy_requests_total 'result="snapshot"')
# shellcheck disable=SC2086
mb lat "$proxy_port" $HP "$N_LINE" 50 >"$work/proxy-hp" || fail "heat-pump reads through the proxy failed"
# shellcheck disable=SC2086
mb lat "$proxy_port" $METER "$N_SNAP" 2 >"$work/proxy-meter" || fail "meter reads through the proxy failed"
snap_after=$(metric wago_proxy_requests_total 'result="snapshot"')
snapshot_share=$(awk -v a="$snap_before" -v b="$snap_after" -v n="$N_SNAP" 'BEGIN { printf "%.0f", 100 * (b - a) / n }')

log "snapshot answers per second: 4 connections, $RATE_S s"
# shellcheck disable=SC2086
rps=$(mb rate "$proxy_port" $METER 4 "$RATE_S") || fail "the hammering clients failed"
errors=$(metric wago_modbus_errors_total 'reason="timeout"')
kill -0 "$exporter" 2>/dev/null || fail "the exporter died"

echo "proxy: heat-pump read (FC04 x14), direct p50 / p99|$(p50p99 "$work/direct-hp")"
echo "proxy: heat-pump read through the proxy p50 / p99|$(p50p99 "$work/proxy-hp")"
echo "proxy: meter read (FC03 0x5000 x56), direct p50 / p99|$(p50p99 "$work/direct-meter")"
echo "proxy: the same read through the proxy p50 / p99 (snapshot share)|$(p50p99 "$work/proxy-meter") ($snapshot_share %)"
echo "proxy: snapshot answers/s, 4 connections|$rps"
echo "proxy: exporter's polls, no client: p50 / max, interval|$(spread "$work/polls-quiet")"
echo "proxy: exporter's polls, heat pump read every 1 s|$(spread "$work/polls-client")"
echo "proxy: that client's reads p50 / p99|$(p50p99 "$work/every")"
echo "proxy: exporter's poll timeouts during the run|$errors"
