package dev.wagoexporter.modbus;

/**
 * CRC-16/MODBUS written from the specification (polynomial 0xA001 reflected, initial value 0xFFFF), bit by bit:
 * the fuzz tests check the exporter's table-driven library CRC against it, not against itself.
 */
final class Crc16Reference {
  private Crc16Reference() {}

  static int of(byte[] data, int length) {
    int crc = 0xFFFF;
    for (int i = 0; i < length; i++) {
      crc ^= data[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }
}
