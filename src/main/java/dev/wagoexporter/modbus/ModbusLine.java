package dev.wagoexporter.modbus;

import org.jspecify.annotations.Nullable;

/**
 * One Modbus master's line to the meters: a gateway's TCP connection today, a serial port too. One
 * request in flight; every reply checked by the framing the line speaks.
 */
public interface ModbusLine extends AutoCloseable {
  /**
   * Reads the request's registers and returns their bytes (2 per register, big-endian), or fails
   * with the reason.
   */
  byte[] read(ReadRequest request) throws ModbusReadException;

  /** The framing in use; none while {@code auto} has not found one. */
  @Nullable Framing framing();

  /** What the line is, for messages: "gateway 192.168.2.10:502". */
  String describe();

  @Override
  void close();
}
