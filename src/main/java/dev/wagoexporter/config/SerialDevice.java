package dev.wagoexporter.config;

import java.util.Objects;

/**
 * A serial device such as {@code /dev/ttyUSB0}: the key of the one connection that every meter on
 * that RS485 stick shares, as {@link GatewayAddress} is for a gateway. The path is kept as given:
 * {@code /dev/serial/by-id/...} names stay readable in logs even though they are links.
 */
public record SerialDevice(String path) implements BusAddress {
  public SerialDevice {
    Objects.requireNonNull(path, "path");
    path = path.trim();
    if (path.isEmpty()) {
      throw new InvalidSettingException(
          "device",
          "serial device is empty",
          "give the stick's device, e.g. device: /dev/ttyUSB0; ls /dev/serial/by-id/ lists the sticks");
    }
    if (!path.startsWith("/")) {
      throw new InvalidSettingException(
          "device",
          "serial device '" + path + "' is not an absolute path",
          "give the full path, e.g. /dev/" + path.substring(path.lastIndexOf('/') + 1));
    }
  }

  @Override
  public String toString() {
    return path;
  }
}
