package dev.wagoexporter.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the proxy did, for {@code wago_proxy_*} metrics and the status page. */
public final class ProxyCounters {
  /** A request's unit, function code and result ({@code ok}, {@code exception}, a refusal). */
  public record Key(int unit, int function, String result) {}

  private final Map<Key, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong malformedClients = new AtomicLong();
  private final AtomicLong rejectedClients = new AtomicLong();
  private final AtomicLong evictedClients = new AtomicLong();
  private final AtomicLong stalledClients = new AtomicLong();
  private final AtomicLong idleClients = new AtomicLong();

  void count(int unit, int function, String result) {
    requests
        .computeIfAbsent(new Key(unit, function, result), k -> new AtomicLong())
        .incrementAndGet();
  }

  void malformedClient() {
    malformedClients.incrementAndGet();
  }

  void idleClient() {
    idleClients.incrementAndGet();
  }

  /** Clients disconnected after the idle timeout. */
  public long idleClients() {
    return idleClients.get();
  }

  void rejectedClient() {
    rejectedClients.incrementAndGet();
  }

  void evictedClient() {
    evictedClients.incrementAndGet();
  }

  void stalledClient() {
    stalledClients.incrementAndGet();
  }

  /** Idle clients closed to make room for a new connection (docs/design.md, proxy limits). */
  public long evictedClients() {
    return evictedClients.get();
  }

  /** Clients disconnected for not reading their replies within the write deadline. */
  public long stalledClients() {
    return stalledClients.get();
  }

  public Map<Key, Long> requests() {
    Map<Key, Long> copy =
        new java.util.TreeMap<>(
            java.util.Comparator.comparing(Key::unit)
                .thenComparing(Key::function)
                .thenComparing(Key::result));
    requests.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Clients disconnected for sending something that is not a Modbus TCP request. */
  public long malformedClients() {
    return malformedClients.get();
  }

  /** Clients refused because every connection within the caps was in a request. */
  public long rejectedClients() {
    return rejectedClients.get();
  }
}
