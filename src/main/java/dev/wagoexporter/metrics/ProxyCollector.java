package dev.wagoexporter.metrics;

import dev.wagoexporter.proxy.ModbusProxy;
import dev.wagoexporter.proxy.ProxyCounters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * The Modbus TCP proxies' {@code wago_proxy_*} metrics (docs/metrics.md), built at scrape time from
 * their counters, each labelled with the {@code line} it serves. Never does Modbus I/O.
 */
public final class ProxyCollector implements MultiCollector {
  private final List<ModbusProxy> proxies;

  public ProxyCollector(List<ModbusProxy> proxies) {
    this.proxies = List.copyOf(proxies);
  }

  @Override
  public MetricSnapshots collect() {
    CounterSnapshot.Builder requests =
        CounterSnapshot.builder()
            .name("wago_proxy_requests")
            .help(
                "Requests of Modbus TCP proxy clients by unit, function code and result: ok,"
                    + " snapshot, exception, timeout, line_down, bad_reply, refused_function,"
                    + " refused_unit, refused_write");
    GaugeSnapshot.Builder clients =
        GaugeSnapshot.builder()
            .name("wago_proxy_clients")
            .help("Modbus TCP proxy clients connected now");
    CounterSnapshot.Builder refused =
        CounterSnapshot.builder()
            .name("wago_proxy_clients_refused")
            .help(
                "Proxy clients refused or disconnected by the proxy, by reason: cap (too many"
                    + " clients), malformed (not Modbus TCP), idle (silent too long), evicted (made room"
                    + " for a newcomer), stalled (did not take its reply)");
    CounterSnapshot.Builder busy =
        CounterSnapshot.builder()
            .name("wago_proxy_line_busy_seconds")
            .help("Time the proxy clients' requests held the line");
    for (ModbusProxy proxy : proxies) {
      String line = proxy.line();
      ProxyCounters counters = proxy.counters();
      counters
          .requests()
          .forEach(
              (key, count) ->
                  requests.dataPoint(
                      counter(
                          Labels.of(
                              "line",
                              line,
                              "unit",
                              String.valueOf(key.unit()),
                              "function",
                              String.valueOf(key.function()),
                              "result",
                              key.result()),
                          count)));
      clients.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(Labels.of("line", line))
              .value(proxy.clients().size())
              .build());
      refused.dataPoint(
          counter(Labels.of("line", line, "reason", "cap"), counters.rejectedClients()));
      refused.dataPoint(counter(Labels.of("line", line, "reason", "idle"), counters.idleClients()));
      refused.dataPoint(
          counter(Labels.of("line", line, "reason", "malformed"), counters.malformedClients()));
      refused.dataPoint(
          counter(Labels.of("line", line, "reason", "evicted"), counters.evictedClients()));
      refused.dataPoint(
          counter(Labels.of("line", line, "reason", "stalled"), counters.stalledClients()));
      busy.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(Labels.of("line", line))
              .value(proxy.lineBusySeconds())
              .build());
    }
    List<MetricSnapshot> result = new ArrayList<>();
    result.add(requests.build());
    result.add(clients.build());
    result.add(refused.build());
    result.add(busy.build());
    return new MetricSnapshots(result);
  }

  private static CounterDataPointSnapshot counter(Labels labels, long value) {
    return CounterDataPointSnapshot.builder().labels(labels).value((double) value).build();
  }
}
