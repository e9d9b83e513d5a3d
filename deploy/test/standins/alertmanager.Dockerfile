# Stand-in for prom/alertmanager (no registry here): Debian's prometheus-alertmanager binary, laid out like
# the official image (/bin/alertmanager, /etc/alertmanager/alertmanager.yml, data in /alertmanager, nobody).
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && { [ -e /bin/alertmanager ] || ln -s /usr/bin/prometheus-alertmanager /bin/alertmanager; } \
 && mkdir -p /alertmanager && chown 65534:65534 /alertmanager
USER 65534:65534
WORKDIR /alertmanager
VOLUME ["/alertmanager"]
EXPOSE 9093
ENTRYPOINT ["/bin/alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
