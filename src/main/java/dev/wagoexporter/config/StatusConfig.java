package dev.wagoexporter.config;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the household's status page needs beyond the meters (docs/status-page.md): where Prometheus
 * is (for yesterday and this month), where Grafana is as the browser sees it, the main fuse rating,
 * the price per kWh and the time zone of "today". Every field may be left out; the page then says
 * what it cannot show. Read from the config file's {@code status:} mapping, or the {@code
 * --status.*} flags ({@code WAGO_STATUS_*}), by the same parse rules.
 *
 * @param prometheusUrl Prometheus' base URL as the exporter reaches it
 * @param grafanaUrl Grafana's URL as the user's browser reaches it
 * @param fuseAmps the rating of each phase's main fuse in A (35 for 3×35 A)
 * @param pricePerKwh the price of one imported kWh; without it no cost is shown
 * @param zone the time zone of "today"; without it this machine's
 */
public record StatusConfig(
    @Nullable URI prometheusUrl,
    @Nullable URI grafanaUrl,
    @Nullable Double fuseAmps,
    @Nullable Double pricePerKwh,
    @Nullable ZoneId zone) {
  /** Nothing set: live values, today and the exporter's own history only. */
  public static final StatusConfig NONE = new StatusConfig(null, null, null, null, null);

  static final List<String> KEYS =
      List.of("prometheus_url", "grafana_url", "fuse_amps", "price", "tz");

  /** The zone of "today": the configured one, else this machine's. */
  public ZoneId zoneOrDefault() {
    return zone == null ? ZoneId.systemDefault() : zone;
  }

  /** This config with every field {@code flags} sets replacing this one's. */
  public StatusConfig overriddenBy(StatusConfig flags) {
    return new StatusConfig(
        flags.prometheusUrl != null ? flags.prometheusUrl : prometheusUrl,
        flags.grafanaUrl != null ? flags.grafanaUrl : grafanaUrl,
        flags.fuseAmps != null ? flags.fuseAmps : fuseAmps,
        flags.pricePerKwh != null ? flags.pricePerKwh : pricePerKwh,
        flags.zone != null ? flags.zone : zone);
  }

  public static URI parsePrometheusUrl(String text) {
    return url(text, "http://prometheus:9090 (in the stack) or http://localhost:9090");
  }

  public static URI parseGrafanaUrl(String text) {
    return url(text, "http://192.168.2.5:3000, the address your phone opens Grafana at");
  }

  private static URI url(String text, String example) {
    try {
      URI uri = URI.create(text.trim());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // same message below
    }
    throw new IllegalArgumentException(
        ValueText.quoted(text) + " is not an http(s) URL; write it like " + example);
  }

  /** The rating of one phase's main fuse in amperes, e.g. {@code 35} for 3×35 A. */
  public static double parseFuseAmps(String text) {
    try {
      double amps = Double.parseDouble(text.trim());
      if (amps > 0 && amps <= 10_000) {
        return amps;
      }
    } catch (NumberFormatException e) {
      // same message below
    }
    throw new IllegalArgumentException(
        ValueText.quoted(text)
            + " is not a fuse rating in amperes; write one phase's main fuse, e.g. 35 for 3×35 A");
  }

  /** A price per kWh, as {@code report --price} takes it. */
  public static double parsePrice(String text) {
    try {
      double price = Double.parseDouble(text.trim());
      if (price >= 0 && Double.isFinite(price)) {
        return price;
      }
    } catch (NumberFormatException e) {
      // same message below
    }
    throw new IllegalArgumentException(
        ValueText.quoted(text) + " is not a price per kWh; write it like 0.32");
  }

  public static ZoneId parseZone(String text) {
    try {
      return ZoneId.of(text.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          ValueText.quoted(text) + " is not a time zone; use a region name such as Europe/Vienna",
          e);
    }
  }

  static StatusConfig read(YamlMapping yaml) throws ConfigException {
    yaml.allowOnly(KEYS);
    return new StatusConfig(
        yaml.parsedIfGiven("prometheus_url", StatusConfig::parsePrometheusUrl),
        yaml.parsedIfGiven("grafana_url", StatusConfig::parseGrafanaUrl),
        yaml.parsedIfGiven("fuse_amps", StatusConfig::parseFuseAmps),
        yaml.parsedIfGiven("price", StatusConfig::parsePrice),
        yaml.parsedIfGiven("tz", StatusConfig::parseZone));
  }
}
