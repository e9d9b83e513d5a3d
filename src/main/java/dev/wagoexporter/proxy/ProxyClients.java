package dev.wagoexporter.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy's connected clients and what one peer (a remote IP address) may hold of them, so that
 * idle connections, however many, cannot lock out the heat-pump controller (the idea of the HTTP
 * front door's {@code http.PeerLimits}). A peer holds at most {@code perPeer} connections, all
 * together {@code total}. When a new connection goes over either, the connection that has waited
 * longest for a request, of the peer holding the most, is closed, never one whose request is being
 * answered; the new one, which sends its request at once, gets in. Only when every connection is in
 * a request is the new one refused.
 */
final class ProxyClients {
  /** One connected client. */
  static final class Client {
    final Socket socket;
    final InetAddress peer;
    private volatile boolean inRequest;
    private volatile long waitingSince = System.nanoTime();

    /** When it connected, as people read it (the status page). */
    final java.time.Instant connectedAt = java.time.Instant.now();

    private final java.util.concurrent.atomic.AtomicLong answered =
        new java.util.concurrent.atomic.AtomicLong();

    Client(Socket socket) {
      this.socket = socket;
      this.peer =
          socket.getRemoteSocketAddress() instanceof InetSocketAddress a
              ? a.getAddress()
              : InetAddress.getLoopbackAddress();
    }

    /** The first byte of a request arrived: not to be evicted until it is answered. */
    void requestStarted() {
      inRequest = true;
    }

    void requestAnswered() {
      answered.incrementAndGet();
      waitingSince = System.nanoTime();
      inRequest = false;
    }
  }

  private final int perPeer;
  private final int total;

  /** Guarded by {@code this}. */
  private final Map<InetAddress, List<Client>> byPeer = new HashMap<>();

  private int count;

  ProxyClients(int perPeer, int total) {
    this.perPeer = perPeer;
    this.total = total;
  }

  /**
   * Takes in a new connection, closing the ones it displaces ({@code evicted} is told of each).
   *
   * @return empty when there is no room: every connection it could displace is in a request
   */
  Optional<Client> admit(Socket socket, java.util.function.Consumer<Client> evicted) {
    Client client = new Client(socket);
    List<Client> victims = new ArrayList<>(2);
    synchronized (this) {
      List<Client> own = byPeer.computeIfAbsent(client.peer, p -> new ArrayList<>());
      own.add(client);
      count++;
      if (own.size() > perPeer) {
        victims.add(evictFrom(own, client));
      }
      if (count > total && !victims.contains(client)) {
        List<Client> largest =
            byPeer.values().stream().max(Comparator.comparingInt(List::size)).orElse(own);
        victims.add(evictFrom(largest, client));
      }
    }
    if (victims.contains(client)) {
      return Optional.empty();
    }
    for (Client v : victims) {
      evicted.accept(v);
      ModbusProxy.closeQuietly(v.socket);
    }
    return Optional.of(client);
  }

  /**
   * Takes out of the books the client of {@code from} that has waited longest for a request, or the
   * new one when all are in a request. Guarded by {@code this}.
   */
  private Client evictFrom(List<Client> from, Client opened) {
    Client victim = opened;
    for (Client c : from) {
      if (c != opened
          && !c.inRequest
          && (victim == opened || c.waitingSince - victim.waitingSince < 0)) {
        victim = c;
      }
    }
    forget(victim);
    return victim;
  }

  synchronized void forget(Client client) {
    List<Client> own = byPeer.get(client.peer);
    if (own != null && own.remove(client)) {
      count--;
      if (own.isEmpty()) {
        byPeer.remove(client.peer);
      }
    }
  }

  /** The connected clients as the status page shows them, oldest first. */
  synchronized List<ProxyView.ClientView> views() {
    return byPeer.values().stream()
        .flatMap(List::stream)
        .sorted(Comparator.comparing((Client c) -> c.connectedAt))
        .map(
            c ->
                new ProxyView.ClientView(
                    String.valueOf(c.socket.getRemoteSocketAddress()),
                    c.connectedAt.toString(),
                    c.answered.get()))
        .toList();
  }

  synchronized List<Socket> sockets() {
    return byPeer.values().stream().flatMap(List::stream).map(c -> c.socket).toList();
  }
}
