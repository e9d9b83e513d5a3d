package dev.wagoexporter.sim;

/**
 * A way the simulated meter or its gateway can misbehave on a request, for tests of the exporter's
 * guards.
 */
public enum Fault {
  /**
   * Reply only after {@link LineFaults#delay()}; the late reply still goes out on the same
   * connection.
   */
  DELAY,
  /** Read the request and never reply. */
  SILENCE,
  /** Send random bytes, as long as the real reply, instead of it. */
  GARBAGE,
  /**
   * RTU over TCP: reply with a wrong CRC. Modbus TCP has no CRC: reply with a wrong transaction id
   * instead.
   */
  BAD_CRC,
  /** Reply with a Modbus exception whose code is {@link LineFaults#exceptionCode()}. */
  EXCEPTION,
  /** Close the socket instead of replying. */
  DROP_CONNECTION,
  /**
   * Keep the socket open but never answer nor process a request on it again (a peer that vanished
   * without FIN).
   */
  HALF_OPEN
}
