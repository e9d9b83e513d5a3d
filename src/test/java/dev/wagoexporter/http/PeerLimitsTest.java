package dev.wagoexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.testsupport.Timeouts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PeerLimits on a real Jetty connector and real loopback sockets. */
class PeerLimitsTest {
  private final Server server = new Server();
  private PeerLimits peers;
  private int port;

  private void start(int perPeer, int total) throws Exception {
    ServerConnector connector = new ServerConnector(server, 0, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    peers = new PeerLimits(perPeer, total, Duration.ofSeconds(10), connector.getScheduler());
    connector.addBean(peers);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request, Response response, Callback callback) {
            peers.requestStarted(request);
            Response.writeError(request, response, callback, 204);
            return true;
          }
        });
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  /** Closed connections leave the books: a closed socket no longer has a remote address. */
  @Test
  void closedConnectionsLeaveTheBooks() throws Exception {
    start(4, 8);
    for (int i = 0; i < 20; i++) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = socket.getOutputStream();
        out.write(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .startsWith("HTTP/1.1 204");
      }
    }
    await()
        .atMost(Timeouts.scaled(Duration.ofSeconds(5)))
        .until(() -> peers.connectionsHeld() == 0);
  }

  @Test
  void connectionsClosedByTheClientLeaveTheBooks() throws Exception {
    start(4, 8);
    for (int i = 0; i < 20; i++) {
      new Socket(InetAddress.getLoopbackAddress(), port).close();
    }
    await()
        .atMost(Timeouts.scaled(Duration.ofSeconds(5)))
        .until(() -> peers.connectionsHeld() == 0);
  }
}
