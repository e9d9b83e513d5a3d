package dev.wagoexporter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A stand-in for a misbehaving Prometheus (a real one cannot be made to drip its body or answer
 * gigabytes): an HTTP server on loopback that reads each request and answers it with a script
 * written to the raw socket, headers included.
 */
final class PrometheusStandIn implements AutoCloseable {
  /** Writes one whole answer, status line first. */
  @FunctionalInterface
  interface Answer {
    void write(OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread acceptor;

  PrometheusStandIn(Answer answer) throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket connection = server.accept();
                  Thread handler = new Thread(() -> serve(connection, answer), "stand-in answer");
                  handler.setDaemon(true);
                  handler.start();
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "stand-in accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** A JSON answer with status 200 and a right Content-Length. */
  static Answer json(String body) {
    return out -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
    };
  }

  /** A matrix answer with one grid series of the import total holding {@code values}. */
  static Answer matrix(String values) {
    return json(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
            + "{\"counter\":\"wago_system_active_energy_import_joules_total\",\"meter\":\"main\"},"
            + "\"values\":"
            + values
            + "}]}}");
  }

  private static void serve(Socket connection, Answer answer) {
    try (connection;
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream()) {
      readRequest(in);
      answer.write(out);
      out.flush();
    } catch (SocketException e) {
      // the client gave up on the answer: what a bounded client does
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) return;
      head.append((char) b);
    }
    long length = 0;
    for (String line : head.toString().lines().toList()) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
