package dev.wagoexporter.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/** The Prometheus HTTP query API, as Prometheus and VictoriaMetrics both serve it. */
public interface QueryApi {
  /** GET on the HTTP API; the answer's JSON, whatever its status (errors carry "error"). */
  JsonNode api(String path, Map<String, String> params) throws IOException, InterruptedException;

  default JsonNode instantQuery(String promql, long atEpochSeconds)
      throws IOException, InterruptedException {
    return api("/api/v1/query", Map.of("query", promql, "time", Long.toString(atEpochSeconds)));
  }

  default JsonNode rangeQuery(String promql, long start, long end, int stepSeconds)
      throws IOException, InterruptedException {
    return api(
        "/api/v1/query_range",
        Map.of(
            "query",
            promql,
            "start",
            Long.toString(start),
            "end",
            Long.toString(end),
            "step",
            Integer.toString(stepSeconds)));
  }
}
