package dev.wagoexporter.cli;

import dev.wagoexporter.config.ConfigException;
import dev.wagoexporter.config.InvalidSettingException;
import dev.wagoexporter.config.Parity;
import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.config.SerialDevice;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The flags of a meter on a USB RS485 stick instead of a gateway, shared by {@code run} and {@code
 * check}; the defaults are the WAGO factory setting 9600 8E1.
 */
final class SerialOptions {
  @Option(
      names = "--serial",
      paramLabel = "DEVICE",
      defaultValue = "${env:WAGO_SERIAL}",
      description =
          "the USB RS485 stick, e.g. /dev/ttyUSB0, instead of a gateway (env WAGO_SERIAL)")
  @Nullable String device;

  @Option(
      names = "--baud",
      paramLabel = "N",
      defaultValue = "${env:WAGO_BAUD:-9600}",
      description = "serial line speed (env WAGO_BAUD, default ${DEFAULT-VALUE}, the WAGO setting)")
  int baud;

  @Option(
      names = "--parity",
      paramLabel = "even|none|odd",
      defaultValue = "${env:WAGO_PARITY:-even}",
      converter = Converters.ParityConverter.class,
      description = "serial parity (env WAGO_PARITY, default ${DEFAULT-VALUE})")
  Parity parity;

  @Option(
      names = "--stop-bits",
      paramLabel = "1|2",
      defaultValue = "${env:WAGO_STOP_BITS:-1}",
      description = "serial stop bits (env WAGO_STOP_BITS, default ${DEFAULT-VALUE})")
  int stopBits;

  /** Whether a device was given; an empty WAGO_SERIAL (as a Compose file sets it) is none. */
  boolean given() {
    return device != null && !device.isBlank();
  }

  /** The serial line these flags describe; errors name the flag. */
  SerialConfig config() throws ConfigException {
    try {
      return new SerialConfig(
          new SerialDevice(Objects.requireNonNull(device, "ask given() first")),
          baud,
          parity,
          stopBits,
          Duration.ZERO);
    } catch (InvalidSettingException e) {
      throw new ConfigException(flag(e.key()) + ": " + e.getMessage());
    }
  }

  private static String flag(String key) {
    return switch (key) {
      case "device" -> "--serial";
      case "stop_bits" -> "--stop-bits";
      default -> "--" + key.replace('_', '-');
    };
  }
}
