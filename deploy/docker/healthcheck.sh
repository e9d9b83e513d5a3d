#!/bin/bash
# Docker HEALTHCHECK for the exporter: GET /healthz on the port of WAGO_LISTEN. Plain HTTP with
# bash's /dev/tcp, so that the image needs neither curl nor wget. A port that does not answer
# plain HTTP speaks TLS (a web config with tls_server_config): then the image's own JVM asks over
# https (dev.wagoexporter.http.HealthCheckClient, with a small heap: this runs every 30 s beside
# the exporter). WAGO_HOME (default /opt/wago-exporter) holds runtime/ and lib/wago-exporter.jar.
listen=${WAGO_LISTEN:-:9100}
port=${listen##*:}
home=${WAGO_HOME:-/opt/wago-exporter}
# a TLS port may close the connection at the plain request: the write then fails instead of
# killing this script with SIGPIPE (exit 141), and the https check below runs
trap '' PIPE
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 2>/dev/null
status=""
IFS= read -r -t 5 status <&3
exec 3<&-
case $status in
  "HTTP/"*" 200"*) exit 0 ;;
  "HTTP/"*) exit 1 ;; # plain HTTP, and not healthy
esac
exec "$home/runtime/bin/java" -Xmx8m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -XX:-UsePerfData -Xshare:auto -cp "$home/lib/wago-exporter.jar" \
  dev.wagoexporter.http.HealthCheckClient "https://127.0.0.1:$port/healthz"
