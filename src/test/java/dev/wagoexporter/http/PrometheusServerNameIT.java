package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagoexporter.config.WebConfigLoader;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.PrometheusProcess;
import dev.wagoexporter.testsupport.Timeouts;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md's answer to the JDK refusing a server name with an underscore: a real Prometheus
 * (Debian's) scrapes the exporter's TLS front door at {@code modbus_exporter:PORT}, the Compose
 * service name, once with {@code tls_config.server_name} and once without. {@link ServiceNameProxy}
 * stands in for Docker's DNS: Prometheus reaches the target through it as an HTTP proxy (CONNECT),
 * which connects every name to 127.0.0.1, so the TLS handshake carries the target's host name as it
 * would in the stack.
 */
class PrometheusServerNameIT {
  private static final String SERVICE = "modbus_exporter";

  @TempDir Path workDir;

  private ExporterHttpServer exporter;
  private ServiceNameProxy proxy;
  private PrometheusProcess prometheus;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  @Test
  void withServerNameSetPrometheusScrapesAServiceNameWithAnUnderscore() throws Exception {
    ExternalTool binary = ExternalTool.require("prometheus", "prometheus");
    Path webConfig =
        Path.of(PrometheusServerNameIT.class.getResource("/webconfig/good.yml").toURI());
    exporter =
        ExporterHttpServer.start(
            "127.0.0.1", 0, MetricSnapshots::of, List.of(), WebConfigLoader.load(webConfig));
    proxy = ServiceNameProxy.start();
    Path password = workDir.resolve("exporter.password");
    Files.writeString(password, "scrape-secret");
    String target = SERVICE + ":" + exporter.port();
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
            + "scrape_configs:\n"
            + job("with_server_name", "server_name: localhost, ", target, password, webConfig)
            + job("without_server_name", "", target, password, webConfig));
    int port = FreePort.onLoopback();
    prometheus =
        PrometheusProcess.start(
            binary,
            config,
            workDir.resolve("data"),
            port,
            workDir.resolve("prometheus.log"),
            List.of());
    prometheus.awaitReady(Timeouts.scaled(Duration.ofSeconds(60)));

    await("Prometheus scrapes with server_name and fails without it")
        .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, JsonNode> targets = targetsByJob();
              assertThat(targets.get("with_server_name").path("health").asText())
                  .as(targets.toString())
                  .isEqualTo("up");
              assertThat(targets.get("without_server_name").path("health").asText())
                  .isEqualTo("down");
              assertThat(targets.get("without_server_name").path("lastError").asText())
                  .as("the JDK ends the handshake over the name")
                  .containsIgnoringCase("tls");
            });
    assertThat(proxy.connects()).contains(target);
  }

  /**
   * A scrape job for {@code target} over TLS through the proxy; {@code serverName} a flow entry.
   */
  private String job(String name, String serverName, String target, Path password, Path webConfig) {
    return "  - job_name: "
        + name
        + "\n    scheme: https\n    proxy_url: http://127.0.0.1:"
        + proxy.port()
        + "\n    tls_config: {"
        + serverName
        + "ca_file: "
        + webConfig.resolveSibling("server.crt")
        + "}\n    basic_auth: {username: prometheus, password_file: "
        + password
        + "}\n    static_configs: [{targets: [\""
        + target
        + "\"]}]\n";
  }

  private Map<String, JsonNode> targetsByJob() throws Exception {
    Map<String, JsonNode> byJob = new java.util.HashMap<>();
    for (JsonNode t : prometheus.api("/api/v1/targets", Map.of()).at("/data/activeTargets")) {
      byJob.put(t.at("/labels/job").asText(), t);
    }
    return byJob;
  }

  /**
   * An HTTP proxy that answers CONNECT for any host by connecting to that port on 127.0.0.1: the
   * stand-in for Docker's DNS, which resolves a Compose service name.
   */
  static final class ServiceNameProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> connects = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ServiceNameProxy(ServerSocket server) {
      this.server = server;
    }

    static ServiceNameProxy start() throws IOException {
      ServiceNameProxy proxy =
          new ServiceNameProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread accept = new Thread(proxy::acceptLoop, "service-name-proxy");
      accept.setDaemon(true);
      accept.start();
      return proxy;
    }

    int port() {
      return server.getLocalPort();
    }

    List<String> connects() {
      return connects;
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          sockets.add(client);
          Thread t = new Thread(() -> tunnel(client), "service-name-tunnel");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void tunnel(Socket client) {
      try {
        InputStream in = client.getInputStream();
        String requestLine = readLine(in);
        String line;
        do {
          line = readLine(in);
        } while (line != null && !line.isEmpty());
        String[] parts = requestLine == null ? new String[0] : requestLine.split(" ");
        OutputStream out = client.getOutputStream();
        if (parts.length < 2 || !parts[0].equals("CONNECT")) {
          out.write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          client.close();
          return;
        }
        connects.add(parts[1]);
        int port = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(upstream);
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread back = new Thread(() -> copy(upstream, client), "service-name-tunnel-back");
        back.setDaemon(true);
        back.start();
        copy(client, upstream);
      } catch (IOException | RuntimeException e) {
        closeQuietly(client);
      }
    }

    /** One header line, byte by byte, so that nothing of the tunnelled stream is read ahead. */
    private static String readLine(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) != -1) {
        if (b == '\n') {
          return line.toString().strip();
        }
        line.append((char) b);
      }
      return line.length() == 0 ? null : line.toString();
    }

    private static void copy(Socket from, Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
      } catch (IOException e) {
        // either side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      sockets.forEach(ServiceNameProxy::closeQuietly);
    }
  }
}
