package dev.wagoexporter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagoexporter.config.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Read-only client for the Prometheus HTTP query API (/api/v1/query and /api/v1/query_range). */
public final class PrometheusClient {
  /** A year of days is about 3 MB per request; the limit keeps a wrong answer from the heap. */
  static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(-62_135_596_800L); // year 1
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(253_402_300_799L); // year 9999

  private final URI base;
  private final Duration budget;
  private final long deadlineNanos;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger requests = new AtomicInteger();

  /**
   * @param budget the time all requests of this client together may take, answers included: the
   *     whole report ends within it
   */
  public PrometheusClient(URI base, Duration budget) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.budget = budget;
    this.deadlineNanos = System.nanoTime() + budget.toNanos();
    this.http = HttpClient.newBuilder().connectTimeout(budget).build();
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
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) throw timedOut();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofNanos(remaining))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    requests.incrementAndGet();
    // the request's own timeout ends with the headers; the deadline must also cover the body
    CompletableFuture<HttpResponse<byte[]>> answer =
        http.sendAsync(request, info -> new BoundedBody(MAX_BODY_BYTES));
    HttpResponse<byte[]> response;
    try {
      response = answer.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw timedOut();
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new PrometheusUnreachableException("interrupted while asking Prometheus at " + base, e);
    } catch (ExecutionException e) {
      throw failed(uri, Objects.requireNonNullElse(e.getCause(), e));
    }
    return parse(uri, response);
  }

  private IOException failed(URI uri, Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof BoundedBody.TooLarge) {
        return new PrometheusQueryException(
            "the answer from "
                + uri
                + " is larger than "
                + MAX_BODY_BYTES / (1024 * 1024)
                + " MiB, far more than a report needs; does --prometheus point at Prometheus?");
      }
    }
    if (error instanceof HttpTimeoutException && !(error instanceof HttpConnectTimeoutException)) {
      return timedOut();
    }
    String why = Objects.requireNonNullElse(error.getMessage(), error.getClass().getSimpleName());
    return new PrometheusUnreachableException(
        "cannot reach Prometheus at "
            + base
            + " ("
            + why
            + "); is it running, and is --prometheus right?",
        error);
  }

  private PrometheusQueryException timedOut() {
    return new PrometheusQueryException(
        "Prometheus at "
            + base
            + " did not answer completely within "
            + Durations.format(budget)
            + "; is it overloaded, or is --prometheus right? (--timeout sets the limit)");
  }

  private List<TimeSeries> parse(URI uri, HttpResponse<byte[]> response) throws IOException {
    int status = response.statusCode();
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("Location").orElse("nowhere");
      throw new PrometheusQueryException(
          "HTTP "
              + status
              + " from "
              + uri
              + " redirects to "
              + location
              + "; point --prometheus at Prometheus itself (its base URL, without a login page or"
              + " proxy in between)");
    }
    JsonNode root;
    try {
      root = json.readTree(response.body());
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject() || !root.has("status")) {
      throw new PrometheusQueryException(
          "HTTP "
              + status
              + " from "
              + uri
              + " is not a Prometheus API answer; does --prometheus point at Prometheus?");
    }
    if (!"success".equals(root.path("status").asText())) {
      throw new PrometheusQueryException(
          "Prometheus at "
              + uri
              + " refused the query (HTTP "
              + status
              + "): "
              + root.path("error").asText("no error text"));
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
        for (JsonNode pair : item.path("values")) samples.add(sample(uri, pair));
      } else if ("vector".equals(type)) {
        samples.add(sample(uri, item.path("value")));
      } else {
        throw new PrometheusQueryException("unexpected result type '" + type + "' from " + uri);
      }
      series.add(new TimeSeries(labels, samples));
    }
    return series;
  }

  /**
   * A {@code [time, "value"]} pair: the time as float seconds with millisecond precision, the value
   * as a string, which may be Prometheus' {@code "+Inf"}, {@code "-Inf"} or {@code "NaN"}.
   */
  private static Sample sample(URI uri, JsonNode pair) throws PrometheusQueryException {
    if (pair.size() == 2 && pair.get(0).isNumber() && pair.get(1).isTextual()) {
      BigDecimal secs = pair.get(0).decimalValue();
      Double value = value(pair.get(1).asText());
      if (secs.compareTo(MIN_SECONDS) >= 0 && secs.compareTo(MAX_SECONDS) <= 0 && value != null) {
        long millis = secs.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return new Sample(Instant.ofEpochMilli(millis), value);
      }
    }
    String text = pair.toString();
    throw new PrometheusQueryException(
        "Prometheus at "
            + uri
            + " sent a sample that is not [time, \"value\"] with a time between years 1 and"
            + " 9999: "
            + (text.length() > 80 ? text.substring(0, 80) + "…" : text)
            + "; does --prometheus point at Prometheus?");
  }

  private static @Nullable Double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.valueOf(text);
        } catch (NumberFormatException e) {
          yield null;
        }
      }
    };
  }

  private static String seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3).toPlainString();
  }
}
