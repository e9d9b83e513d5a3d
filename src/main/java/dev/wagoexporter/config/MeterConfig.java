package dev.wagoexporter.config;

import dev.wagoexporter.modbus.ModbusLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One meter to poll.
 *
 * @param name the {@code meter} label on every sample
 * @param profile a built-in profile name, or the absolute path of a profile file
 * @param bus the gateway or serial device the meter's RS485 bus is reached through
 * @param unitId the meter's Modbus address on the RS485 bus
 * @param maxRegistersPerRequest the largest block the read planner may ask for in one request
 */
public record MeterConfig(
    String name,
    String profile,
    BusConfig bus,
    int unitId,
    Duration pollInterval,
    Duration timeout,
    int maxRegistersPerRequest) {

  public static final String DEFAULT_NAME = "main";
  public static final String DEFAULT_PROFILE = "wago-879-30xx";

  /** The WAGO 879-30xx factory setting. */
  public static final int DEFAULT_UNIT_ID = 1;

  /** The old Python exporter's interval, so existing dashboards and rates look the same. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  public static final int DEFAULT_MAX_REGISTERS_PER_REQUEST = ModbusLimits.MAX_READ_REGISTERS;

  static final List<String> KEYS =
      List.of(
          "name",
          "profile",
          "gateway",
          "serial",
          "unit_id",
          "poll_interval",
          "timeout",
          "max_registers_per_request");

  /** Safe as a Prometheus label value, a file name and a log word, without quoting. */
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

  public MeterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(timeout, "timeout");
    if (!VALID_NAME.matcher(name).matches()) {
      throw new InvalidSettingException(
          "name",
          "'" + name + "' is not a valid meter name",
          "start with a letter and use only letters, digits, '_' and '-', at most 64 characters, e.g. "
              + suggestedName(name));
    }
    if (profile.isBlank()) {
      throw new InvalidSettingException(
          "profile",
          "profile is empty",
          "remove the key to use " + DEFAULT_PROFILE + ", or give a profile name or file");
    }
    UnitIds.require("unit_id", unitId);
    if (pollInterval.isZero() || pollInterval.isNegative()) {
      throw new InvalidSettingException(
          "poll_interval", "poll_interval must be longer than 0", "use e.g. 30s");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new InvalidSettingException("timeout", "timeout must be longer than 0", "use e.g. 2s");
    }
    if (timeout.compareTo(pollInterval) >= 0) {
      throw new InvalidSettingException(
          "timeout",
          "timeout "
              + Durations.format(timeout)
              + " is not shorter than poll_interval "
              + Durations.format(pollInterval),
          "make timeout shorter than poll_interval, e.g. timeout: 2s with poll_interval: 30s");
    }
    if (maxRegistersPerRequest < 1 || maxRegistersPerRequest > ModbusLimits.MAX_READ_REGISTERS) {
      throw new InvalidSettingException(
          "max_registers_per_request",
          "max_registers_per_request "
              + maxRegistersPerRequest
              + " is outside 1.."
              + ModbusLimits.MAX_READ_REGISTERS,
          "one Modbus read carries at most "
              + ModbusLimits.MAX_READ_REGISTERS
              + " registers; lower it only if the gateway or meter rejects long reads");
    }
  }

  /**
   * A meter with every default, read through the given gateway or serial device: what the
   * command-line flags start from.
   */
  public static MeterConfig withDefaults(BusConfig bus) {
    return new MeterConfig(
        DEFAULT_NAME,
        DEFAULT_PROFILE,
        bus,
        DEFAULT_UNIT_ID,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_REGISTERS_PER_REQUEST);
  }

  static MeterConfig read(YamlMapping yaml, ProfileLocator profiles) throws ConfigException {
    yaml.allowOnly(KEYS);
    String name = yaml.string("name", DEFAULT_NAME);
    String profile = yaml.string("profile", DEFAULT_PROFILE);
    BusConfig bus = readBus(yaml);
    int unitId = yaml.integer("unit_id", DEFAULT_UNIT_ID);
    Duration pollInterval = yaml.parsed("poll_interval", DEFAULT_POLL_INTERVAL, Durations::parse);
    Duration timeout = yaml.parsed("timeout", DEFAULT_TIMEOUT, Durations::parse);
    int maxRegisters = yaml.integer("max_registers_per_request", DEFAULT_MAX_REGISTERS_PER_REQUEST);
    return yaml.build(
        () ->
            new MeterConfig(
                name, profiles.locate(profile), bus, unitId, pollInterval, timeout, maxRegisters));
  }

  /** Exactly one of {@code gateway:} (an Ethernet gateway) and {@code serial:} (a USB stick). */
  private static BusConfig readBus(YamlMapping yaml) throws ConfigException {
    Optional<YamlMapping> gateway =
        yaml.optionalMapping(
            "gateway",
            "give the gateway as a mapping, e.g. gateway: {host: 192.168.2.10, port: 502}");
    Optional<YamlMapping> serial =
        yaml.optionalMapping(
            "serial", "give the serial line as a mapping, e.g. serial: {device: /dev/ttyUSB0}");
    if (gateway.isPresent() && serial.isPresent()) {
      throw yaml.invalid(
          "serial",
          "a meter is read either through a gateway or through a serial device, not both"
              + " (keep gateway: for an Ethernet gateway or serial: for a USB RS485 stick)");
    }
    if (gateway.isPresent()) {
      return GatewayConfig.read(gateway.get());
    }
    if (serial.isPresent()) {
      return SerialConfig.read(serial.get());
    }
    throw yaml.invalid(
        "gateway",
        "missing (give the gateway as a mapping, e.g. gateway: {host: 192.168.2.10, port: 502},"
            + " or the USB RS485 stick, e.g. serial: {device: /dev/ttyUSB0})");
  }

  private static String suggestedName(String name) {
    String cleaned = name.trim().replaceAll("[^A-Za-z0-9_-]+", "_");
    if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
      cleaned = "meter_" + cleaned;
    }
    if (cleaned.length() > 64) {
      cleaned = cleaned.substring(0, 64);
    }
    return cleaned;
  }
}
