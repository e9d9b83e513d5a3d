# Stand-in for grafana/grafana, for its health endpoint ONLY: Debian has no Grafana package and there is no
# registry here, so this answers GET /api/health on :3000 (busybox httpd), runs as the image's user 472 with
# /var/lib/grafana as a volume, and nothing else. Dashboards are tested elsewhere (DashboardFilesTest and the
# queries against a real Prometheus); the stack test checks only that Compose wires a healthy Grafana in.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /srv/api /var/lib/grafana \
 && printf '{"database":"ok","version":"stand-in"}\n' > /srv/api/health \
 && chown 472:0 /var/lib/grafana
USER 472:0
VOLUME ["/var/lib/grafana"]
EXPOSE 3000
ENTRYPOINT ["busybox", "httpd", "-f", "-p", "3000", "-h", "/srv"]
