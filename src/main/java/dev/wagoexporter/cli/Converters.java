package dev.wagoexporter.cli;

import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.config.Parity;
import dev.wagoexporter.config.ProfileLocator;
import dev.wagoexporter.config.ProxyConfig;
import dev.wagoexporter.config.StatusConfig;
import dev.wagoexporter.config.UnitIds;
import dev.wagoexporter.config.ValueText;
import dev.wagoexporter.logging.LogFormat;
import dev.wagoexporter.logging.LogLevel;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.report.PeriodUnit;
import dev.wagoexporter.report.ReportFormat;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every flag converter of the command line, in one place. Flag values that are also config keys are
 * parsed by the same rules as the config file, so a flag and a key can never disagree. A rejected
 * value becomes picocli's conversion error, which prints the flag and the rule's one-line message:
 * what the value is not, and how to write it.
 */
final class Converters {
  private Converters() {}

  private static <T> T parse(String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value, Durations::parse);
    }
  }

  static final class GatewayConverter implements ITypeConverter<GatewayConfig> {
    @Override
    public @Nullable GatewayConfig convert(String value) {
      // an empty WAGO_GATEWAY is none: a Compose override for a serial stick can only blank it
      return value.isBlank() ? null : parse(value, GatewayConfig::parseHostPort);
    }
  }

  static final class ListenConverter implements ITypeConverter<ListenAddress> {
    @Override
    public ListenAddress convert(String value) {
      return parse(value, ListenAddress::parse);
    }
  }

  /** A listen address, or none for a blank value (Compose passes unset variables as ""). */
  static final class OptionalListenConverter implements ITypeConverter<ListenAddress> {
    @Override
    public @Nullable ListenAddress convert(String value) {
      // the proxy's address: its errors show the proxy's example port, :5020
      return value.isBlank() ? null : parse(value, ProxyConfig::parseListen);
    }
  }

  static final class FramingConverter implements ITypeConverter<Framing> {
    @Override
    public Framing convert(String value) {
      return parse(value, Framing::parse);
    }
  }

  /**
   * A whole number, worded as the config file words it. Registered for every int and Integer flag
   * (picocli's own says "'abc' is not an int").
   */
  static final class WholeNumberConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            ValueText.notWholeNumber(ValueText.quoted(value))
                + " ("
                + ValueText.WHOLE_NUMBER_FIX
                + ")");
      }
    }
  }

  /** A number, worded as the config file words it; registered for every double flag. */
  static final class NumberConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double v = Double.parseDouble(value.trim());
        if (Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // same message below
      }
      throw new TypeConversionException(
          ValueText.notNumber(ValueText.quoted(value)) + " (" + ValueText.NUMBER_FIX + ")");
    }
  }

  /** true or false, worded as the config file words it; registered for every boolean flag. */
  static final class BooleanConverter implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Boolean.valueOf(v);
      }
      throw new TypeConversionException(
          ValueText.notBoolean(ValueText.quoted(value)) + " (" + ValueText.BOOLEAN_FIX + ")");
    }
  }

  /** A Modbus unit id: a whole number, then the config file's unit id rule. */
  static final class UnitIdConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int id = new WholeNumberConverter().convert(value);
      return parse(String.valueOf(id), v -> UnitIds.require("unit_id", Integer.parseInt(v)));
    }
  }

  /**
   * A built-in profile name or a profile file, by the config file's rule: a name that is neither is
   * answered with the built-in names.
   */
  static final class ProfileConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return parse(value, ProfileLocator.forFlag(ProfileLoader.builtInNames())::locate);
    }
  }

  static final class ParityConverter implements ITypeConverter<Parity> {
    @Override
    public Parity convert(String value) {
      return parse(value, Parity::parse);
    }
  }

  /** The framing of a simulated gateway: it runs one mode, so {@code auto} is refused. */
  static final class SimulatedFramingConverter implements ITypeConverter<Framing> {
    @Override
    public Framing convert(String value) {
      try {
        Framing f = Framing.parse(value);
        if (f == Framing.AUTO) {
          throw new TypeConversionException(
              "a simulated gateway runs one mode: use tcp or rtu-over-tcp, not auto");
        }
        return f;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unknown framing '" + value + "' (use tcp or rtu-over-tcp)");
      }
    }
  }

  static final class LogLevelConverter implements ITypeConverter<LogLevel> {
    @Override
    public LogLevel convert(String value) {
      return parse(value, LogLevel::parse);
    }
  }

  static final class LogFormatConverter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      return parse(value, LogFormat::parse);
    }
  }

  // report's flags

  static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-29");
      }
    }
  }

  static final class ZoneConverter implements ITypeConverter<ZoneId> {
    @Override
    public @Nullable ZoneId convert(String value) {
      if (value.isBlank()) {
        return null;
      }
      try {
        return ZoneId.of(value.trim());
      } catch (DateTimeException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a time zone; use a region name such as Europe/Vienna");
      }
    }
  }

  static final class PriceConverter implements ITypeConverter<Double> {
    @Override
    public @Nullable Double convert(String value) {
      if (value.isBlank()) {
        return null;
      }
      try {
        double v = Double.parseDouble(value.trim());
        if (v >= 0 && Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // same message below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a price per kWh; write it like 0.32");
    }
  }

  static final class PrometheusUrlConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI uri = URI.create(value.trim());
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (IllegalArgumentException e) {
        // same message below
      }
      throw new TypeConversionException(
          "'" + value + "' is not an http(s) URL; write it like http://localhost:9090");
    }
  }

  // the status page's flags: blank is unset (Compose passes unset variables as ""), else the
  // config file's rule

  static final class StatusPrometheusUrlConverter implements ITypeConverter<URI> {
    @Override
    public @Nullable URI convert(String value) {
      return value.isBlank() ? null : parse(value, StatusConfig::parsePrometheusUrl);
    }
  }

  static final class StatusGrafanaUrlConverter implements ITypeConverter<URI> {
    @Override
    public @Nullable URI convert(String value) {
      return value.isBlank() ? null : parse(value, StatusConfig::parseGrafanaUrl);
    }
  }

  static final class FuseAmpsConverter implements ITypeConverter<Double> {
    @Override
    public @Nullable Double convert(String value) {
      return value.isBlank() ? null : parse(value, StatusConfig::parseFuseAmps);
    }
  }

  static final class StatusPriceConverter implements ITypeConverter<Double> {
    @Override
    public @Nullable Double convert(String value) {
      return value.isBlank() ? null : parse(value, StatusConfig::parsePrice);
    }
  }

  /** An enum value by its lower-case name, or the list of the names there are. */
  /** A temperature in °C, e.g. 15 or 15.5. */
  static final class TemperatureConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double v = Double.parseDouble(value.trim());
        if (Double.isFinite(v) && v > -100 && v < 100) return v;
      } catch (NumberFormatException e) {
        // same message below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a temperature in °C; write it like 15 or 15.5");
    }
  }

  abstract static class ChoiceConverter<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    ChoiceConverter(Class<E> type) {
      this.type = type;
    }

    @Override
    public E convert(String value) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(value.trim())) {
          return e;
        }
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(e -> e.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
    }
  }

  static final class PeriodConverter extends ChoiceConverter<PeriodUnit> {
    PeriodConverter() {
      super(PeriodUnit.class);
    }
  }

  static final class FormatConverter extends ChoiceConverter<ReportFormat> {
    FormatConverter() {
      super(ReportFormat.class);
    }
  }
}
