# wago-exporter image for linux/arm64 (Raspberry Pi, 64-bit OS) and linux/amd64.
#   docker-compose up -d           builds it on the Pi itself (Docker 20.10's classic builder works)
#   docker buildx build --platform linux/arm64,linux/amd64 -t wago-exporter:1.0.0 .
# Classic-builder syntax only: no parser directive for a frontend (it would pull an image) and no
# BuildKit-only options (cache mounts on RUN, permission flags on COPY; chmod is a RUN step below), since
# the classic builder of Debian's docker.io 20.10 (docker-compose 1.29) has to build this.
#
# The base images are build arguments, pinned to official images by default; deploy/test/stack-test.sh
# passes images it made from Debian packages instead (it has no registry).
ARG JAR_BUILDER_IMAGE=maven:3.9.11-eclipse-temurin-21
# jlink runs on Temurin 25 (the current LTS): the launcher's memory flags were measured on it (bench/memory.sh)
ARG JDK_IMAGE=eclipse-temurin:25.0.3_9-jdk
ARG BASE_IMAGE=debian:12.11-slim
# BuildKit sets BUILDPLATFORM, so buildx builds the (architecture-independent) jar once, natively; the
# classic builder does not set it, and "linux" alone means the build host's own architecture there.
ARG BUILDPLATFORM

# 1. The jar is architecture-independent: build it once, on the build host.
FROM --platform=${BUILDPLATFORM:-linux} ${JAR_BUILDER_IMAGE} AS jar
WORKDIR /src
COPY pom.xml .
COPY src src
RUN mvn -B -q package -DskipTests

# 2. jlink must run on a JDK of the target architecture (QEMU under buildx for arm64).
#    The same script builds the same runtime in the tests (StackRuntimeIT); it keeps only the JVM flags the
#    linked runtime takes, so another JDK (the stack test's Debian OpenJDK 21) still gives a working image.
FROM ${JDK_IMAGE} AS runtime
COPY deploy/docker/build-runtime.sh /usr/local/bin/build-runtime.sh
COPY --from=jar /src/target/wago-exporter.jar /tmp/wago-exporter.jar
RUN sh /usr/local/bin/build-runtime.sh /tmp/wago-exporter.jar /opt/wago-exporter
COPY deploy/docker/healthcheck.sh /opt/wago-exporter/bin/healthcheck
COPY deploy/docker/compose-start.sh /opt/wago-exporter/bin/compose-start
RUN chmod 755 /opt/wago-exporter/bin/healthcheck /opt/wago-exporter/bin/compose-start

# 3. glibc base: the JRE and the serial library's native code need it (no Alpine/musl).
FROM ${BASE_IMAGE}
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
