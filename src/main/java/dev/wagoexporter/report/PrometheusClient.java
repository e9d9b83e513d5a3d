package dev.wagoexporter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Read-only client for the Prometheus HTTP query API (/api/v1/query and /api/v1/query_range). */
public final class PrometheusClient {
  private final URI base;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger requests = new AtomicInteger();

  public PrometheusClient(URI base, Duration timeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Evaluates {@code query} at start, start+step, … end (Prometheus caps this at 11,000 points).
   */
  public List<TimeSeries> queryRange(String query, Instant start, Instant end, Duration step)
      throws IOException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", query);
    form.put("start", seconds(start));
    form.put("end", seconds(end));
    form.put("step", Long.toString(step.toSeconds()));
    return post("api/v1/query_range", form);
  }

  /**
   * Evaluates {@code query} at one instant. With a range selector ({@code x[1h]}) the answer holds
   * every stored sample of that range, which is how raw counter values are read.
   */
  public List<TimeSeries> queryAt(String query, Instant time) throws IOException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", query);
    form.put("time", seconds(time));
    return post("api/v1/query", form);
  }

  /** HTTP requests sent so far; the report promises few of them. */
  public int requestCount() {
    return requests.get();
  }

  public URI base() {
    return base;
  }

  private List<TimeSeries> post(String path, Map<String, String> form) throws IOException {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) -> {
          if (body.length() > 0) body.append('&');
          body.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    URI uri = base.resolve(path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    requests.incrementAndGet();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusUnreachableException("interrupted while asking Prometheus at " + base, e);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new PrometheusUnreachableException(
          "cannot reach Prometheus at "
              + base
              + " ("
              + why
              + "); is it running, and is --prometheus right?",
          e);
    }
    return parse(uri, response);
  }

  private List<TimeSeries> parse(URI uri, HttpResponse<String> response) throws IOException {
    JsonNode root;
    try {
      root = json.readTree(response.body());
    } catch (IOException e) {
      throw new PrometheusQueryException(
          "HTTP "
              + response.statusCode()
              + " from "
              + uri
              + " is not a Prometheus API answer; does --prometheus point at Prometheus?");
    }
    if (root == null || !"success".equals(root.path("status").asText())) {
      String error = root == null ? "empty answer" : root.path("error").asText("no error text");
      throw new PrometheusQueryException(
          "Prometheus at "
              + uri
              + " refused the query (HTTP "
              + response.statusCode()
              + "): "
              + error);
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText();
    List<TimeSeries> series = new ArrayList<>();
    for (JsonNode item : data.path("result")) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> label : item.path("metric").properties()) {
        labels.put(label.getKey(), label.getValue().asText());
      }
      List<Sample> samples = new ArrayList<>();
      if ("matrix".equals(type)) {
        for (JsonNode pair : item.path("values")) samples.add(sample(pair));
      } else if ("vector".equals(type)) {
        samples.add(sample(item.path("value")));
      } else {
        throw new PrometheusQueryException("unexpected result type '" + type + "' from " + uri);
      }
      series.add(new TimeSeries(labels, samples));
    }
    return series;
  }

  private static Sample sample(JsonNode pair) {
    // Prometheus sends the time as float seconds with millisecond precision and the value as a
    // string
    BigDecimal secs = pair.get(0).decimalValue();
    long millis =
        secs.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    return new Sample(Instant.ofEpochMilli(millis), Double.parseDouble(pair.get(1).asText()));
  }

  private static String seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3).toPlainString();
  }
}
