package dev.wagoexporter.modbus;

import java.io.IOException;

/** How a request PDU is wrapped on the wire and how its reply is found in the byte stream. */
interface WireFraming {
  /** The bytes to send for {@code pdu} to {@code unitId}. */
  byte[] frame(int unitId, byte[] pdu);

  /**
   * Reads the reply to the request just framed and returns its PDU, after checking every header
   * field and checksum the framing has.
   */
  byte[] readReply(ReplyReader in, int unitId) throws ModbusReadException, IOException;
}
