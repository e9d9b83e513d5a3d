package dev.wagoexporter.cli;

import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.modbus.ModbusLimits;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Flag values parsed by the same rules as the config file, so a flag and a key can never disagree.
 * A rejected value becomes picocli's conversion error, which prints just the rule's one-line
 * message.
 */
final class Converters {
  private Converters() {}

  private static <T> T parse(String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.TypeConversionException(e.getMessage());
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
    public GatewayConfig convert(String value) {
      return parse(value, GatewayConfig::parseHostPort);
    }
  }

  static final class ListenConverter implements ITypeConverter<ListenAddress> {
    @Override
    public ListenAddress convert(String value) {
      return parse(value, ListenAddress::parse);
    }
  }

  static final class FramingConverter implements ITypeConverter<Framing> {
    @Override
    public Framing convert(String value) {
      return parse(value, Framing::parse);
    }
  }

  /** A Modbus unit id, 1..247 (0 is broadcast, 248..255 are reserved). */
  static final class UnitIdConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int id = Integer.parseInt(value.trim());
        if (id >= ModbusLimits.MIN_UNIT_ID && id <= ModbusLimits.MAX_UNIT_ID) {
          return id;
        }
      } catch (NumberFormatException e) {
        // same message as out of range
      }
      throw new picocli.CommandLine.TypeConversionException(
          "'" + value + "' is not a unit id: use 1..247 (WAGO factory default 1)");
    }
  }
}
