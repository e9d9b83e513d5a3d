#!/bin/sh
# Entrypoint of the exporter in compose.yaml: the stack's one place that decides where the meter is.
#
# WAGO_GATEWAY set (in .env): the exporter polls it. WAGO_GATEWAY empty: only the demo profile may leave it
# so, and its simulator then answers on the Compose network as meter_simulator. Without that simulator this
# stops with a clear error instead of an exporter polling a gateway that is not there. Docker Compose 1.29
# cannot give a service a different environment per profile, so the demo is recognised by its simulator's
# name on the network (the simulator may start a moment after the exporter: it is looked for for 20 s).
# Anything but `run` (check, simulate, --help...), a USB stick (WAGO_SERIAL, compose.serial.yaml) and a config
# file (WAGO_CONFIG) pass straight through.
set -eu
exporter=/opt/wago-exporter/bin/wago-exporter
demo_gateway=meter_simulator:5020

if [ "${1:-run}" != run ] || [ -n "${WAGO_GATEWAY:-}" ] || [ -n "${WAGO_SERIAL:-}" ] || [ -n "${WAGO_CONFIG:-}" ]; then
  [ -n "${WAGO_GATEWAY:-}" ] || unset WAGO_GATEWAY
  [ -n "${WAGO_SERIAL:-}" ] || unset WAGO_SERIAL
  exec "$exporter" "$@"
fi
unset WAGO_GATEWAY
waited=0
while ! getent hosts "${demo_gateway%:*}" >/dev/null 2>&1; do
  if [ "$waited" -ge 20 ]; then
    cat >&2 <<MESSAGE
wago-exporter: WAGO_GATEWAY is not set, so there is no meter to poll.
  Set it in .env next to compose.yaml to your gateway's address and port, e.g. WAGO_GATEWAY=192.168.2.10:502
  (see .env.example and docs/stack.md), then run: docker-compose up -d   (or: docker compose up -d)
  To try the stack without hardware, start the demo's simulated meter: docker-compose --profile demo up -d
MESSAGE
    exit 2
  fi
  sleep 1
  waited=$((waited + 1))
done
echo "wago-exporter: WAGO_GATEWAY is not set; polling the demo's simulated meter at $demo_gateway" >&2
export WAGO_GATEWAY=$demo_gateway
exec "$exporter" "$@"
