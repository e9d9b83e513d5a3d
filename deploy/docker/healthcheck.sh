#!/bin/bash
# Docker HEALTHCHECK for the exporter: GET /healthz on the port of WAGO_LISTEN, with bash's
# /dev/tcp so that the image needs neither curl nor wget.
listen=${WAGO_LISTEN:-:9100}
port=${listen##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ $status == "HTTP/"*" 200"* ]]
