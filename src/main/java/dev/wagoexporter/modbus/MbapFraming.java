package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;
import java.io.IOException;

/**
 * Modbus TCP: a 7-byte MBAP header (transaction id, protocol id 0, length, unit id) before the PDU,
 * no CRC. The transaction id pairs a reply with its request, so a late reply to an earlier request
 * is recognised and skipped instead of being taken for the current one.
 */
final class MbapFraming implements WireFraming {
  /** Ids of ordinary requests stay below 0xFF00: ids 0xFFxx are reserved for the framing probe. */
  private static final int ORDINARY_ID_LIMIT = 0xFF00;

  private int lastTransactionId;
  private final boolean probe;

  MbapFraming() {
    this(false);
  }

  /**
   * @param probe use transaction ids 0xFFxx: sent by mistake to a transparent gateway, the first
   *     byte (0xFF) is no valid RS485 address, so no device on the line takes it for a request
   */
  MbapFraming(boolean probe) {
    this.probe = probe;
  }

  @Override
  public byte[] frame(int unitId, byte[] pdu) {
    lastTransactionId =
        probe
            ? 0xFF00 | ((lastTransactionId + 1) & 0xFF)
            : (lastTransactionId % (ORDINARY_ID_LIMIT - 1)) + 1;
    byte[] frame = new byte[7 + pdu.length];
    frame[0] = (byte) (lastTransactionId >> 8);
    frame[1] = (byte) lastTransactionId;
    frame[4] = (byte) ((pdu.length + 1) >> 8);
    frame[5] = (byte) (pdu.length + 1);
    frame[6] = (byte) unitId;
    System.arraycopy(pdu, 0, frame, 7, pdu.length);
    return frame;
  }

  int lastTransactionId() {
    return lastTransactionId;
  }

  @Override
  public byte[] readReply(ReplyReader in, int unitId) throws ModbusReadException, IOException {
    while (true) {
      byte[] header = in.read(7);
      int transactionId = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
      int protocolId = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
      if (protocolId != 0 || length < 2 || length > 254) {
        throw new ModbusReadException(
            FaultReason.MISMATCH,
            String.format(
                "not a Modbus TCP reply (protocol id %d, length %d): is the gateway in transparent mode? try framing rtu-over-tcp",
                protocolId, length));
      }
      byte[] pdu = in.read(length - 1);
      if (transactionId != lastTransactionId) {
        // A late reply to an earlier, timed-out request: skip it and keep waiting for ours.
        continue;
      }
      if ((header[6] & 0xFF) != unitId) {
        throw new ModbusReadException(
            FaultReason.MISMATCH,
            "reply from unit " + (header[6] & 0xFF) + ", expected unit " + unitId);
      }
      return pdu;
    }
  }
}
