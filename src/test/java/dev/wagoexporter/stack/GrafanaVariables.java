package dev.wagoexporter.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replaces Grafana's variables in a panel's PromQL the way Grafana would for a short test window:
 * ranges shrink to what a freshly started Prometheus scraping every second can answer.
 */
record GrafanaVariables(String meter, String pricePerKwh, String site) {
  /** Grafana's "All" sites, which matches series with no site label too (a single Pi). */
  static final String ALL_SITES = ".*";

  GrafanaVariables(String meter, String pricePerKwh) {
    this(meter, pricePerKwh, ALL_SITES);
  }

  String substitute(String expr) {
    Map<String, String> values = new LinkedHashMap<>();
    // longest names first, so that $__range_s is not read as $__range followed by "_s"
    values.put("$__rate_interval", "15s");
    values.put("$__interval_ms", "5000");
    values.put("$__interval", "5s");
    values.put("$__range_s", "3600");
    values.put("$__range_ms", "3600000");
    values.put("$__range", "1h");
    values.put("${site}", site);
    values.put("$site", site);
    values.put("${meter}", meter);
    values.put("$meter", meter);
    values.put("${price_per_kwh}", pricePerKwh);
    values.put("$price_per_kwh", pricePerKwh);
    String result = expr;
    for (Map.Entry<String, String> entry : values.entrySet()) {
      result = result.replace(entry.getKey(), entry.getValue());
    }
    if (result.contains("$")) {
      throw new AssertionError("unknown Grafana variable left in: " + result);
    }
    return result;
  }
}
