package dev.wagoexporter.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What one peer (a remote IP address) can hold of the front door, so that one client, however many
 * connections it opens and however slowly it sends, cannot keep Prometheus out.
 *
 * <ul>
 *   <li>A connection has {@code headerTimeout} from its opening, or from the end of its previous
 *       request, to deliver a whole request head (TLS handshake included). The idle timeout alone
 *       does not bound this: a client that sends one header byte every few seconds is never idle.
 *   <li>A peer holds at most {@code perPeer} connections, all peers together {@code total}. When a
 *       new connection goes over either, the connection that has waited longest for a request of
 *       the peer holding the most is closed, never one whose request is being answered. So a new
 *       connection, which sends its request at once, always gets in, even from the address that
 *       floods (a scraper on the same host as the attacker), and the flood only churns its own.
 * </ul>
 *
 * <p>Jetty has a connection cap ({@code NetworkConnectionLimit}, kept as a hard stop for open
 * files) but it stops accepting when reached, which locks everyone out; it has no per-address limit
 * and no deadline for a request head, hence this listener.
 */
final class PeerLimits extends AbstractLifeCycle implements Connection.Listener {
  private final int perPeer;
  private final int total;
  private final long headerTimeoutNanos;
  private final Scheduler scheduler;

  /**
   * Network connections by their remote socket address (unique while open), to find a request's.
   * Not the key for closing: a closed socket no longer knows its remote address.
   */
  private final Map<SocketAddress, Held> byRemote = new ConcurrentHashMap<>();

  /** The same connections by the Jetty connection that is opened and closed on them. */
  private final Map<Connection, Held> byConnection = new ConcurrentHashMap<>();

  /** Guarded by {@code this}, as is {@link #count}. */
  private final Map<InetAddress, List<Held>> byPeer = new HashMap<>();

  private int count;

  PeerLimits(int perPeer, int total, Duration headerTimeout, Scheduler scheduler) {
    this.perPeer = perPeer;
    this.total = total;
    this.headerTimeoutNanos = headerTimeout.toNanos();
    this.scheduler = scheduler;
  }

  /** One open network connection. */
  private static final class Held {
    final EndPoint endPoint;
    final InetSocketAddress remote;
    final InetAddress peer;
    volatile boolean inRequest;
    volatile long waitingSince = System.nanoTime();

    Held(EndPoint endPoint, InetSocketAddress remote) {
      this.endPoint = endPoint;
      this.remote = remote;
      this.peer = remote.getAddress();
    }
  }

  @Override
  protected void doStart() {
    sweepLater();
  }

  private void sweepLater() {
    if (isRunning() || isStarting()) {
      scheduler.schedule(this::sweep, 1, TimeUnit.SECONDS);
    }
  }

  /** Closes connections whose request head has not arrived within the timeout. */
  private void sweep() {
    try {
      long now = System.nanoTime();
      for (Held held : byRemote.values()) {
        if (!held.inRequest && now - held.waitingSince > headerTimeoutNanos) {
          held.endPoint.close();
        }
      }
    } finally {
      sweepLater();
    }
  }

  @Override
  public void onOpened(Connection connection) {
    // TLS stacks two connections on one socket; only the socket's own is counted.
    if (!(connection.getEndPoint() instanceof SocketChannelEndPoint endPoint)
        || !(endPoint.getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
      return;
    }
    Held held = new Held(endPoint, remote);
    byRemote.put(remote, held);
    byConnection.put(connection, held);
    List<Held> victims = new ArrayList<>(2);
    synchronized (this) {
      List<Held> own = byPeer.computeIfAbsent(held.peer, p -> new ArrayList<>());
      own.add(held);
      count++;
      if (own.size() > perPeer) {
        victims.add(evictFrom(own, held));
      }
      if (count > total) {
        List<Held> largest =
            byPeer.values().stream().max(Comparator.comparingInt(List::size)).orElse(own);
        victims.add(evictFrom(largest, held));
      }
    }
    victims.forEach(v -> v.endPoint.close());
  }

  /**
   * Takes out of the books the connection of {@code from} that has waited longest for a request, or
   * the new one when all of them are being answered. Guarded by {@code this}.
   */
  private Held evictFrom(List<Held> from, Held opened) {
    Held victim = opened;
    for (Held h : from) {
      if (!h.inRequest && (victim == opened || h.waitingSince - victim.waitingSince < 0)) {
        victim = h;
      }
    }
    forget(victim);
    return victim;
  }

  /** Guarded by {@code this}. */
  private void forget(Held held) {
    List<Held> own = byPeer.get(held.peer);
    if (own != null && own.remove(held)) {
      count--;
      if (own.isEmpty()) {
        byPeer.remove(held.peer);
      }
    }
  }

  @Override
  public void onClosed(Connection connection) {
    Held held = byConnection.remove(connection);
    if (held != null) {
      byRemote.remove(held.remote, held);
      synchronized (this) {
        forget(held);
      }
    }
  }

  /** The open connections it knows (its test checks that a closed one is forgotten). */
  int connectionsHeld() {
    return byRemote.size();
  }

  /** The request's head has arrived: its connection is not closed until it has been answered. */
  void requestStarted(Request request) {
    Held held = byRemote.get(request.getConnectionMetaData().getRemoteSocketAddress());
    if (held != null) {
      held.inRequest = true;
      Request.addCompletionListener(
          request,
          failure -> {
            held.waitingSince = System.nanoTime();
            held.inRequest = false;
          });
    }
  }
}
