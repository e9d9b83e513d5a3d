package dev.wagoexporter.modbus;

/**
 * CRC-16/MODBUS (polynomial 0xA001 reflected, initial value 0xFFFF), table-driven: one byte per
 * step. Written here instead of taken from the Modbus library because it is the only thing the
 * poller would need from it: the library brings Netty, which then ships in the runtime and loads on
 * the poll path for one function (the simulator alone uses the library).
 */
final class ModbusCrc {
  private static final int[] TABLE = table();

  private ModbusCrc() {}

  /** The CRC over the first {@code length} bytes of {@code data}. */
  static int of(byte[] data, int length) {
    int crc = 0xFFFF;
    for (int i = 0; i < length; i++) {
      crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]) & 0xFF];
    }
    return crc;
  }

  private static int[] table() {
    int[] table = new int[256];
    for (int b = 0; b < 256; b++) {
      int crc = b;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
      table[b] = crc;
    }
    return table;
  }
}
