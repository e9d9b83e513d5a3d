package dev.wagoexporter.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** One GET of /metrics in the Prometheus text format, as series name{labels} mapped to value. */
record Scrape(Map<String, Double> series) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static Scrape of(int port) {
    return of(URI.create("http://127.0.0.1:" + port + "/metrics"));
  }

  /**
   * A GET of any endpoint that answers in the text format, e.g. {@code /probe?target=...}; fails on
   * a non-200.
   */
  static Scrape of(URI uri) {
    try {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + uri + ": HTTP " + response.statusCode() + ": " + response.body());
      }
      Map<String, Double> series = new LinkedHashMap<>();
      for (String line : response.body().split("\n")) {
        // process_* (CPU, memory, fds of the exporter itself) change with every scrape and say
        // nothing about the meter; MetricsEndpointIT checks that they are served
        if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("process_")) {
          int space = line.lastIndexOf(' ');
          series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
      return new Scrape(series);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of {@code name{meter="main",...}}; labels in the exporter's (sorted) order; null if
   * absent.
   */
  Double get(String nameAndLabels) {
    return series.get(nameAndLabels);
  }

  double up() {
    return series.getOrDefault("wago_up{meter=\"main\"}", Double.NaN);
  }

  double errors(String reason) {
    return series.getOrDefault(
        "wago_modbus_errors_total{meter=\"main\",reason=\"" + reason + "\"}", Double.NaN);
  }

  boolean hasValues() {
    return series.keySet().stream().anyMatch(k -> k.startsWith("wago_voltage_volts"));
  }
}
