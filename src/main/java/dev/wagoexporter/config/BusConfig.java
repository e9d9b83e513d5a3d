package dev.wagoexporter.config;

import java.time.Duration;

/**
 * How a meter's RS485 bus is reached: through an Ethernet gateway or a USB RS485 stick. Meters with
 * the same {@link #address()} share one connection, so these settings describe the bus, not the
 * meter.
 */
public sealed interface BusConfig permits GatewayConfig, SerialConfig {
  BusAddress address();

  /** Quiet time between two requests on this bus, for gateways or meters that need it. */
  Duration requestPause();

  /** The config key that holds these settings: {@code gateway} or {@code serial}. */
  String key();

  /** {@code gateway 192.168.2.10:8899} or {@code serial device /dev/ttyUSB0}, for messages. */
  default String describe() {
    return (this instanceof SerialConfig ? "serial device " : "gateway ") + address();
  }
}
