package dev.wagoexporter.testsupport;

import java.util.Arrays;

/**
 * CRC-16/MODBUS written from the specification (polynomial 0xA001 reflected, initial value 0xFFFF),
 * bit by bit: tests check the exporter's table-driven library CRC and the simulator's frames
 * against it, not against itself.
 */
public final class Crc16Reference {
  private Crc16Reference() {}

  /** The CRC over the first {@code length} bytes. */
  public static int of(byte[] data, int length) {
    int crc = 0xFFFF;
    for (int i = 0; i < length; i++) {
      crc ^= data[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }

  /** {@code body} with its CRC appended, low byte first, as an RTU frame carries it. */
  public static byte[] withCrc(byte[] body) {
    int crc = of(body, body.length);
    byte[] frame = Arrays.copyOf(body, body.length + 2);
    frame[body.length] = (byte) crc;
    frame[body.length + 1] = (byte) (crc >> 8);
    return frame;
  }

  /** Whether the last two bytes of {@code frame} are the CRC of the bytes before them. */
  public static boolean valid(byte[] frame) {
    int crc = of(frame, frame.length - 2);
    return (frame[frame.length - 2] & 0xFF) == (crc & 0xFF)
        && (frame[frame.length - 1] & 0xFF) == (crc >>> 8);
  }
}
