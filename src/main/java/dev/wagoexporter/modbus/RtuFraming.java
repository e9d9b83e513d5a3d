package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;
import java.io.IOException;

/**
 * Modbus RTU frames sent as they are over TCP (a gateway in transparent mode): unit id, PDU, CRC-16
 * little-endian. There is no transaction id, so a reply is only known by its unit id, function
 * code, length and CRC; the connection therefore guarantees one request in flight and drains late
 * bytes before each request.
 */
final class RtuFraming implements WireFraming {
  @Override
  public byte[] frame(int unitId, byte[] pdu) {
    byte[] frame = new byte[pdu.length + 3];
    frame[0] = (byte) unitId;
    System.arraycopy(pdu, 0, frame, 1, pdu.length);
    int crc = ModbusCrc.of(frame, frame.length - 2);
    frame[frame.length - 2] = (byte) crc;
    frame[frame.length - 1] = (byte) (crc >> 8);
    return frame;
  }

  @Override
  public byte[] readReply(ReplyReader in, int unitId) throws ModbusReadException, IOException {
    byte[] head = in.read(2);
    int unit = head[0] & 0xFF;
    int fc = head[1] & 0xFF;
    if (unit != unitId) {
      throw new ModbusReadException(
          FaultReason.MISMATCH,
          "reply from unit "
              + unit
              + ", expected unit "
              + unitId
              + " (another master on the bus, or garbage)");
    }
    byte[] rest;
    if ((fc & 0x80) != 0) {
      rest = in.read(3); // exception code + CRC
    } else if (fc == 5 || fc == 6 || fc == 15 || fc == 16) {
      rest = in.read(4 + 2); // address and value or count, + CRC
    } else if (fc == 22) {
      rest = in.read(6 + 2); // address, AND mask, OR mask, + CRC
    } else if (fc <= 4 || fc == 23) {
      int byteCount = in.readByte();
      byte[] body = in.read(byteCount + 2);
      rest = new byte[byteCount + 3];
      rest[0] = (byte) byteCount;
      System.arraycopy(body, 0, rest, 1, body.length);
    } else {
      throw new ModbusReadException(
          FaultReason.MISMATCH, "reply has unexpected function code " + fc);
    }
    byte[] frame = new byte[2 + rest.length];
    System.arraycopy(head, 0, frame, 0, 2);
    System.arraycopy(rest, 0, frame, 2, rest.length);
    int expected = ModbusCrc.of(frame, frame.length - 2);
    int actual = (frame[frame.length - 2] & 0xFF) | ((frame[frame.length - 1] & 0xFF) << 8);
    if (expected != actual) {
      throw new ModbusReadException(
          FaultReason.CRC, String.format("CRC %04X, expected %04X", actual, expected));
    }
    byte[] pdu = new byte[frame.length - 3];
    System.arraycopy(frame, 1, pdu, 0, pdu.length);
    return pdu;
  }
}
