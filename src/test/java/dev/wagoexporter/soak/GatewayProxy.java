package dev.wagoexporter.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of the simulator that can reboot like a gateway: every connection is cut and
 * the port refuses connections until it is back, while the meter behind it (the simulator) keeps
 * running and counting, as a real meter does while its gateway reboots.
 */
final class GatewayProxy implements AutoCloseable {
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;
  private final int port;

  GatewayProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = listen(0);
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  int port() {
    return port;
  }

  /** Cuts every connection and stops listening: connects are refused from now on. */
  synchronized void powerOff() {
    closeQuietly(server);
    sockets.forEach(GatewayProxy::closeQuietly);
    sockets.clear();
  }

  /** Listens again on the same port. */
  synchronized void powerOn() throws IOException {
    server = listen(port);
    acceptLoop(server);
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void acceptLoop(ServerSocket listening) {
    Thread t =
        new Thread(
            () -> {
              while (!listening.isClosed()) {
                try {
                  Socket client = listening.accept();
                  Socket meter = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  sockets.add(client);
                  sockets.add(meter);
                  if (listening.isClosed()) {
                    // powered off while this connection was being set up, after powerOff cut
                    // the others: cut it too (it once lived through a whole restart). powerOff
                    // closes the server before it cuts, so one of the two always gets it.
                    closeQuietly(client);
                    closeQuietly(meter);
                    return;
                  }
                  pump(client, meter);
                  pump(meter, client);
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException closed) {
                // one side went away: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already broken
    }
  }

  @Override
  public void close() {
    powerOff();
  }
}
