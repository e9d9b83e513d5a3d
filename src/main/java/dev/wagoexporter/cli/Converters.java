package dev.wagoexporter.cli;

import dev.wagoexporter.config.Durations;
import dev.wagoexporter.config.GatewayConfig;
import dev.wagoexporter.config.ListenAddress;
import dev.wagoexporter.modbus.Framing;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Flag values parsed by the same rules as the config file, so a flag and a key can never disagree. */
final class Converters {
  private Converters() {}

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }

  static final class GatewayConverter implements ITypeConverter<GatewayConfig> {
    @Override
    public GatewayConfig convert(String value) {
      return GatewayConfig.parseHostPort(value);
    }
  }

  static final class ListenConverter implements ITypeConverter<ListenAddress> {
    @Override
    public ListenAddress convert(String value) {
      return ListenAddress.parse(value);
    }
  }

  static final class FramingConverter implements ITypeConverter<Framing> {
    @Override
    public Framing convert(String value) {
      return Framing.parse(value);
    }
  }
}
