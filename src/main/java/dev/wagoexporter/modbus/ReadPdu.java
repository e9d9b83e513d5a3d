package dev.wagoexporter.modbus;

import dev.wagoexporter.fault.FaultReason;

/**
 * The protocol data unit of a register read (function codes 03 and 04), the same in both framings.
 * Pure functions on byte arrays, so they can be unit-tested and fuzzed without I/O. Only reads
 * exist here: the exporter has no code path that could build a write request.
 */
public final class ReadPdu {
  private ReadPdu() {}

  public static byte[] request(int functionCode, int address, int count) {
    if (functionCode != 3 && functionCode != 4) {
      throw new IllegalArgumentException(
          "only read function codes 03 and 04 are allowed, not " + functionCode);
    }
    if (count < 1 || count > ModbusLimits.MAX_READ_REGISTERS) {
      throw new IllegalArgumentException(
          "register count must be 1.." + ModbusLimits.MAX_READ_REGISTERS + ", not " + count);
    }
    return new byte[] {
      (byte) functionCode, (byte) (address >> 8), (byte) address, (byte) (count >> 8), (byte) count
    };
  }

  /** The register count a {@link #request} asks for. */
  static int registerCount(byte[] request) {
    return ((request[3] & 0xFF) << 8) | (request[4] & 0xFF);
  }

  /**
   * Checks a reply PDU against its request and returns the register bytes (2 per register,
   * big-endian).
   *
   * @throws ModbusReadException {@code EXCEPTION} for an exception reply, {@code MISMATCH} for
   *     anything that is not the answer to this request
   */
  public static byte[] registers(byte[] pdu, int functionCode, int count)
      throws ModbusReadException {
    if (pdu.length < 2) {
      throw new ModbusReadException(
          FaultReason.MISMATCH, "reply too short (" + pdu.length + " bytes)");
    }
    int fc = pdu[0] & 0xFF;
    if (fc == (functionCode | 0x80)) {
      int code = pdu[1] & 0xFF;
      throw new ModbusReadException(
          FaultReason.EXCEPTION,
          code,
          (code == 10 || code == 11
                  ? "the gateway answered exception "
                  : "the meter answered exception ")
              + String.format("%02X", code)
              + " "
              + describeException(code));
    }
    if (fc != functionCode) {
      throw new ModbusReadException(
          FaultReason.MISMATCH, "reply has function code " + fc + ", expected " + functionCode);
    }
    int byteCount = pdu[1] & 0xFF;
    if (byteCount != 2 * count || pdu.length != 2 + byteCount) {
      throw new ModbusReadException(
          FaultReason.MISMATCH,
          "reply carries "
              + byteCount
              + " bytes ("
              + (pdu.length - 2)
              + " present), expected "
              + 2 * count);
    }
    byte[] data = new byte[byteCount];
    System.arraycopy(pdu, 2, data, 0, byteCount);
    return data;
  }

  static String describeException(int code) {
    return switch (code) {
      case 1 -> "(illegal function)";
      case 2 -> "(illegal data address)";
      case 3 -> "(illegal data value)";
      case 4 -> "(server device failure)";
      case 6 -> "(server device busy)";
      case 10 -> "(gateway path unavailable)";
      case 11 -> "(gateway target device failed to respond)";
      default -> "";
    };
  }
}
