package dev.wagoexporter.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A USB RS485 stick (or any serial port) the meter is wired to directly, without a gateway. Meters
 * on the same device share it, so the line settings describe the bus, not the meter. The defaults
 * are the WAGO 879-30xx factory setting, 9600 baud 8E1.
 *
 * @param stopBits 1 or 2; data bits are always 8 (Modbus RTU)
 */
public record SerialConfig(
    SerialDevice device, int baud, Parity parity, int stopBits, Duration requestPause)
    implements BusConfig {
  public static final int DEFAULT_BAUD = 9600;
  public static final Parity DEFAULT_PARITY = Parity.EVEN;
  public static final int DEFAULT_STOP_BITS = 1;

  /**
   * The rates a WAGO 879-30xx offers, and the common ones beyond them that POSIX serial drivers
   * set.
   */
  static final Set<Integer> BAUD_RATES =
      Set.of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400);

  static final List<String> KEYS =
      List.of("device", "baud", "parity", "stop_bits", "request_pause", "proxy");

  public SerialConfig {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(parity, "parity");
    Objects.requireNonNull(requestPause, "requestPause");
    if (!BAUD_RATES.contains(baud)) {
      throw new InvalidSettingException(
          "baud",
          "baud rate " + baud + " is not a serial line speed",
          "use the meter's setting: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200;"
              + " the WAGO factory setting is 9600");
    }
    if (stopBits != 1 && stopBits != 2) {
      throw new InvalidSettingException(
          "stop_bits",
          "stop_bits " + stopBits + " is neither 1 nor 2",
          "use 1, the WAGO factory setting, or 2");
    }
    if (requestPause.isNegative()) {
      throw new InvalidSettingException(
          "request_pause", "request_pause is negative", "use 0ms for no pause, or e.g. 50ms");
    }
  }

  public SerialConfig(String device, int baud, Parity parity, int stopBits) {
    this(new SerialDevice(device), baud, parity, stopBits, Duration.ZERO);
  }

  /** The device with the WAGO factory line settings (9600 8E1), as {@code --serial} alone gives. */
  public static SerialConfig factoryDefault(String device) {
    return new SerialConfig(device, DEFAULT_BAUD, DEFAULT_PARITY, DEFAULT_STOP_BITS);
  }

  @Override
  public SerialDevice address() {
    return device;
  }

  @Override
  public String key() {
    return "serial";
  }

  /** Bits one character takes on the line: start, 8 data, parity, stop. */
  int bitsPerCharacter() {
    return 1 + 8 + parity.bits() + stopBits;
  }

  /** How long {@code bytes} bytes take on the line. */
  public Duration wireTime(int bytes) {
    return Duration.ofNanos(Math.round(bytes * (double) bitsPerCharacter() * 1e9 / baud));
  }

  /**
   * The silence that ends an RTU frame: 3.5 character times, and a fixed 1.75 ms above 19200 baud
   * (Modbus over serial line, 2.5.1.1). A request sent sooner after the last byte on the line would
   * be read by the meter as the tail of that frame.
   */
  public Duration frameGap() {
    return baud > 19200
        ? Duration.ofNanos(1_750_000)
        : Duration.ofNanos(Math.round(3.5 * bitsPerCharacter() * 1e9 / baud));
  }

  /** {@code 9600 8E1}, as meters and sticks spell their settings. */
  public String lineSettings() {
    return baud + " 8" + parity.name().charAt(0) + stopBits;
  }

  static SerialConfig read(YamlMapping yaml) throws ConfigException {
    yaml.allowOnly(KEYS);
    String device =
        yaml.requiredString(
            "device",
            "give the stick's device, e.g. device: /dev/ttyUSB0; ls /dev/serial/by-id/ lists the sticks");
    int baud = yaml.integer("baud", DEFAULT_BAUD);
    Parity parity = yaml.parsed("parity", DEFAULT_PARITY, Parity::parse);
    int stopBits = yaml.integer("stop_bits", DEFAULT_STOP_BITS);
    Duration requestPause =
        yaml.parsed("request_pause", GatewayConfig.DEFAULT_REQUEST_PAUSE, Durations::parse);
    return yaml.build(
        () -> new SerialConfig(new SerialDevice(device), baud, parity, stopBits, requestPause));
  }
}
