package dev.wagoexporter.config;

import dev.wagoexporter.modbus.ModbusLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One meter to poll.
 *
 * @param name the {@code meter} label on every sample
 * @param profile a built-in profile name, or the absolute path of a profile file
 * @param unitId the meter's Modbus address on the RS485 bus
 * @param maxRegistersPerRequest the largest block the read planner may ask for in one request
 */
public record MeterConfig(
    String name,
    String profile,
    GatewayConfig gateway,
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
          "unit_id",
          "poll_interval",
          "timeout",
          "max_registers_per_request");

  /** Safe as a Prometheus label value, a file name and a log word, without quoting. */
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

  public MeterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(gateway, "gateway");
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
    if (!ModbusLimits.isUnitId(unitId)) {
      throw new InvalidSettingException(
          "unit_id",
          "unit id " + unitId + " is outside " + ModbusLimits.unitIdRange(),
          "use the meter's Modbus address; the WAGO factory default is 1");
    }
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
   * A meter with every default, read through the given gateway: what the command-line flags start
   * from.
   */
  public static MeterConfig withDefaults(GatewayConfig gateway) {
    return new MeterConfig(
        DEFAULT_NAME,
        DEFAULT_PROFILE,
        gateway,
        DEFAULT_UNIT_ID,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_REGISTERS_PER_REQUEST);
  }

  static MeterConfig read(YamlMapping yaml, ProfileLocator profiles) throws ConfigException {
    yaml.allowOnly(KEYS);
    String name = yaml.string("name", DEFAULT_NAME);
    String profile = yaml.string("profile", DEFAULT_PROFILE);
    GatewayConfig gateway =
        GatewayConfig.read(
            yaml.mapping(
                "gateway",
                "give the gateway as a mapping, e.g. gateway: {host: 192.168.2.10, port: 502}"));
    int unitId = yaml.integer("unit_id", DEFAULT_UNIT_ID);
    Duration pollInterval = yaml.parsed("poll_interval", DEFAULT_POLL_INTERVAL, Durations::parse);
    Duration timeout = yaml.parsed("timeout", DEFAULT_TIMEOUT, Durations::parse);
    int maxRegisters = yaml.integer("max_registers_per_request", DEFAULT_MAX_REGISTERS_PER_REQUEST);
    return yaml.build(
        () ->
            new MeterConfig(
                name,
                profiles.locate(profile),
                gateway,
                unitId,
                pollInterval,
                timeout,
                maxRegisters));
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
