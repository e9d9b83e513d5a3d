# Stand-in for maven:3.9.11-eclipse-temurin-21 and eclipse-temurin:21.0.8_9-jdk: Debian's OpenJDK 21
# (trixie; bookworm has only 17; its jmods come with the JDK), Maven, and objcopy for jlink --strip-debug.
ARG BASE
FROM ${BASE}
ARG MAVEN=yes
# the local CA that re-signs outbound TLS on some machines (only in this test image, never in the shipped one)
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      openjdk-21-jdk-headless binutils ca-certificates ca-certificates-java \
      $([ "$MAVEN" = yes ] && echo maven) >/dev/null \
 && update-ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
# jlink cannot copy a cacerts that is a symlink (Debian's points into /etc/ssl): put the real file there;
# /usr/lib/jvm/default-java is where JAVA_HOME points whatever the architecture
RUN java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")") \
 && cp --remove-destination "$(readlink -f "$java_home/lib/security/cacerts")" "$java_home/lib/security/cacerts" \
 && { [ -e /usr/lib/jvm/default-java ] || ln -s "$java_home" /usr/lib/jvm/default-java; }
ENV JAVA_HOME=/usr/lib/jvm/default-java
