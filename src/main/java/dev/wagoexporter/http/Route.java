package dev.wagoexporter.http;

import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A path the server answers.
 *
 * @param path matched exactly: {@code /metricsX} and {@code /metrics/} are 404
 * @param open true to serve it without basic auth even when auth is on ({@code /healthz} only)
 * @param executor where slow endpoints run (e.g. {@code /probe}, which waits on Modbus replies), so
 *     they never hold the server's threads; none for the server's own: the answer is sent at once
 *     when {@link Endpoint#ready} has it, else made on one of the server's worker threads
 */
public record Route(String path, boolean open, Endpoint endpoint, @Nullable Executor executor) {
  public static Route open(String path, Endpoint endpoint) {
    return new Route(path, true, endpoint, null);
  }

  public static Route protectedRoute(String path, Endpoint endpoint) {
    return new Route(path, false, endpoint, null);
  }

  public static Route protectedRoute(String path, Endpoint endpoint, Executor executor) {
    return new Route(path, false, endpoint, executor);
  }
}
