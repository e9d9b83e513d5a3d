package dev.wagoexporter.modbus;

/**
 * A timeout on a gateway connection where nothing, not one byte, has come back since the exporter
 * (or {@code check}) started: the port accepts connections and never answers. That is a meter
 * silent behind a transparent gateway, or a port that is not the gateway's Modbus port at all (its
 * web page, or Prometheus by mistake); a gateway that has answered before is told apart from it.
 * Still counted as a {@code timeout}.
 */
public final class NothingAnsweredException extends ModbusReadException {
  NothingAnsweredException(ModbusReadException timeout) {
    super(TransportFailure.TIMEOUT, timeout.getMessage() + " (nothing has answered on this port)");
  }
}
