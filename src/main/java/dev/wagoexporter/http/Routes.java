package dev.wagoexporter.http;

import dev.wagoexporter.poll.MeterState;
import dev.wagoexporter.proxy.ProxyView;
import dev.wagoexporter.status.HouseholdView;
import dev.wagoexporter.status.MetersApi;
import dev.wagoexporter.status.StatusPage;
import dev.wagoexporter.time.TimeSource;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every path the exporter serves, in one place. {@code /healthz} is open, so a container health
 * check needs no password and learns nothing but "ok"; everything else is behind basic auth when
 * the web config turns it on.
 */
public final class Routes {
  private Routes() {}

  /**
   * The exporter's routes: {@code /metrics}, {@code /probe}, {@code /healthz}, the status page.
   *
   * @param probe {@code /probe}; without it the routes have none
   * @param time the clocks {@code /api/meters} tells ages and freshness by
   */
  public static List<Route> standard(
      MultiCollector metrics,
      List<MeterState> meters,
      @Nullable ProbeEndpoint probe,
      TimeSource time) {
    return standard(metrics, meters, probe, time, null, List::of);
  }

  /**
   * The exporter's routes, the status page with the household's part.
   *
   * @param household energy, history and the page's settings; without it they are left out
   * @param proxies the lines' Modbus proxies as they are at the moment of asking
   */
  public static List<Route> standard(
      MultiCollector metrics,
      List<MeterState> meters,
      @Nullable ProbeEndpoint probe,
      TimeSource time,
      @Nullable HouseholdView household,
      Supplier<List<ProxyView>> proxies) {
    List<Route> routes = new ArrayList<>();
    routes.add(Route.open("/healthz", Endpoint.constant(Answer.text(200, "ok\n"))));
    routes.add(Route.protectedRoute("/metrics", new MetricsEndpoint(metrics)));
    // the status page and its data (docs/status-page.md): content built without server types
    routes.add(
        Route.protectedRoute(
            "/",
            Endpoint.constant(
                new Answer(200, "text/html; charset=utf-8", Map.of(), StatusPage.html()))));
    routes.add(
        Route.protectedRoute(
            "/api/meters",
            q ->
                new Answer(
                    200,
                    "application/json",
                    Map.of("Cache-Control", "no-store"),
                    MetersApi.json(meters, household, proxies.get(), time))));
    if (probe != null) {
      routes.add(Route.protectedRoute("/probe", probe, probe.executor()));
    }
    return routes;
  }
}
