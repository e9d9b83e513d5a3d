package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;

/**
 * A timeout on a gateway connection where nothing, not one byte, has come back since the exporter
 * (or {@code check}) started: the port accepts connections and never answers. That is a meter
 * silent behind a transparent gateway, or a port that is not the gateway's Modbus port at all (its
 * web page, or Prometheus by mistake); a gateway that has answered before is told apart from it.
 * Still counted as a {@code timeout}.
 */
public final class NothingAnsweredException extends ModbusReadException {
  /** A timeout on a gateway port that has never sent a byte back. */
  public static final String HINT =
      "nothing has ever answered on this port: it accepts connections but never replies, so it may"
          + " not be the gateway's Modbus port (a web page or another service, e.g. Prometheus,"
          + " listens on it; the Waveshare RS485 TO ETH (B) uses 4196 in transparent mode and 502"
          + " in Modbus TCP mode). If it is the Modbus port, the meter behind the gateway is"
          + " silent: check the A/B wiring, the unit id (WAGO factory default 1), baud rate and"
          + " parity (WAGO default 9600 baud, 8E1) and the framing; run `wago-exporter check`";

  NothingAnsweredException(ModbusReadException timeout) {
    super(FaultReason.TIMEOUT, timeout.getMessage() + " (nothing has answered on this port)");
  }

  @Override
  public String hint() {
    return HINT;
  }
}
