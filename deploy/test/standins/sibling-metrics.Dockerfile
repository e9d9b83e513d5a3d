# Stand-in for the sibling stacks' services that the migration case scrapes, iot-api (Shelly BLU
# temperatures) and lg_r290_service (the heat-pump controller): neither image can be had here. busybox httpd
# serves the metrics file the test mounts at /srv/metrics on :8000, as the real ones serve their /metrics.
# It sends no Content-Type, which Prometheus 2.x reads as the text format (as the real services send it).
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /srv
USER 65534:65534
EXPOSE 8000
ENTRYPOINT ["busybox", "httpd", "-f", "-p", "8000", "-h", "/srv"]
