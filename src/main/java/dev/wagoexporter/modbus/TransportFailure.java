package dev.wagoexporter.modbus;

/**
 * Why a request got no usable reply; the label is the {@code reason} of {@code
 * wago_modbus_errors_total}.
 */
public enum TransportFailure {
  /** No (complete) reply within the timeout. */
  TIMEOUT("timeout"),
  /** Connect refused or failed, connection reset or closed by the gateway. */
  CONNECTION("connection"),
  /** An RTU frame whose CRC does not match: noise on the line or a garbled reply. */
  CRC("crc"),
  /** The meter answered with a Modbus exception (e.g. 02 illegal data address). */
  EXCEPTION("exception"),
  /**
   * A reply that does not belong to the request: wrong unit id, function code, byte count or
   * header.
   */
  MISMATCH("mismatch");

  private final String label;

  TransportFailure(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
