package dev.wagoexporter.http;

import dev.wagoexporter.poll.MeterState;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.ArrayList;
import java.util.List;

/**
 * Every path the exporter serves, in one place. {@code /healthz} is open, so a container health
 * check needs no password and learns nothing but "ok"; everything else is behind basic auth when
 * the web config turns it on.
 */
public final class Routes {
  private Routes() {}

  /**
   * @param probe {@code /probe}, or null to serve without it
   */
  public static List<Route> standard(
      MultiCollector metrics, List<MeterState> meters, ProbeEndpoint probe) {
    List<Route> routes = new ArrayList<>();
    routes.add(Route.open("/healthz", q -> Answer.text(200, "ok\n")));
    routes.add(Route.protectedRoute("/metrics", new MetricsEndpoint(metrics)));
    LandingPage landing = new LandingPage(meters);
    routes.add(
        Route.protectedRoute(
            "/", q -> Answer.of(200, "text/html; charset=utf-8", landing.render())));
    if (probe != null) {
      routes.add(Route.protectedRoute("/probe", probe, probe.executor()));
    }
    return routes;
  }
}
