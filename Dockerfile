# syntax=docker/dockerfile:1
# wago-exporter image for linux/arm64 (Raspberry Pi, 64-bit OS) and linux/amd64:
#   docker buildx build --platform linux/arm64,linux/amd64 -t wago-exporter:1.0.0 .
# compose.yaml builds it for the local architecture on `docker compose up -d`.

# 1. The jar is architecture-independent: build it once, natively, on the build host.
FROM --platform=$BUILDPLATFORM maven:3.9.11-eclipse-temurin-21 AS jar
WORKDIR /src
COPY pom.xml .
COPY src src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# 2. jlink must run on a JDK of the target architecture (QEMU under buildx for arm64).
#    The same script builds the same runtime in the tests (StackRuntimeIT).
FROM eclipse-temurin:21.0.8_9-jdk AS runtime
COPY deploy/docker/build-runtime.sh /usr/local/bin/build-runtime.sh
COPY --from=jar /src/target/wago-exporter.jar /tmp/wago-exporter.jar
RUN build-runtime.sh /tmp/wago-exporter.jar /opt/wago-exporter
COPY --chmod=755 deploy/docker/healthcheck.sh /opt/wago-exporter/bin/healthcheck

# 3. glibc base: the JRE and the serial library's native code need it (no Alpine/musl).
FROM debian:12.11-slim
COPY --from=runtime /opt/wago-exporter /opt/wago-exporter
# Non-root; group 20 is dialout on Debian, for a USB RS485 stick passed in with --device.
USER 10001:20
ENV WAGO_LISTEN=:9100 \
    HOME=/tmp
EXPOSE 9100
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/opt/wago-exporter/bin/healthcheck"]
ENTRYPOINT ["/opt/wago-exporter/bin/wago-exporter"]
CMD ["run"]
