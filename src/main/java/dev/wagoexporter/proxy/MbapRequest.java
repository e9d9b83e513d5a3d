package dev.wagoexporter.proxy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;

/**
 * One Modbus TCP request of a proxy client: its MBAP header's transaction id and unit, and the PDU.
 * The reply carries the request's own transaction id, so each client's replies pair with its own
 * requests whatever the line's framing.
 */
final class MbapRequest {
  private final int transactionId;
  private final int unitId;
  private final byte[] pdu;

  private MbapRequest(int transactionId, int unitId, byte[] pdu) {
    this.transactionId = transactionId;
    this.unitId = unitId;
    this.pdu = pdu;
  }

  int unitId() {
    return unitId;
  }

  /** The request PDU, function code first. */
  byte[] pdu() {
    return pdu.clone();
  }

  /** The largest PDU Modbus allows (253 bytes), plus the unit id byte the MBAP length counts. */
  private static final int MAX_LENGTH = 254;

  /**
   * Reads the next request.
   *
   * @return empty when the client closed the connection between requests
   * @throws MalformedRequestException for a header that no Modbus TCP client sends
   * @param started told when the request's first byte has arrived (the rest must follow soon)
   * @throws EOFException when the client closed it in the middle of a request
   */
  static Optional<MbapRequest> read(DataInputStream in, Started started) throws IOException {
    int first = in.read();
    if (first < 0) {
      return Optional.empty();
    }
    started.run();
    int transactionId = (first << 8) | in.readUnsignedByte();
    int protocolId = in.readUnsignedShort();
    int length = in.readUnsignedShort();
    if (protocolId != 0) {
      throw new MalformedRequestException("protocol id " + protocolId + " is not Modbus (0)");
    }
    if (length < 2 || length > MAX_LENGTH) {
      throw new MalformedRequestException("MBAP length " + length + " is outside 2.." + MAX_LENGTH);
    }
    int unitId = in.readUnsignedByte();
    byte[] pdu = new byte[length - 1];
    in.readFully(pdu);
    return Optional.of(new MbapRequest(transactionId, unitId, pdu));
  }

  /** What to do when a request's first byte arrived. */
  interface Started {
    void run() throws IOException;
  }

  int functionCode() {
    return pdu[0] & 0xFF;
  }

  /** The reply frame: this request's MBAP header around {@code replyPdu}. */
  byte[] reply(byte[] replyPdu) {
    byte[] frame = new byte[7 + replyPdu.length];
    frame[0] = (byte) (transactionId >> 8);
    frame[1] = (byte) transactionId;
    int length = replyPdu.length + 1;
    frame[4] = (byte) (length >> 8);
    frame[5] = (byte) length;
    frame[6] = (byte) unitId;
    System.arraycopy(replyPdu, 0, frame, 7, replyPdu.length);
    return frame;
  }
}
