package dev.wagoexporter.poll;

import dev.wagoexporter.profile.IdentityRegisters;
import dev.wagoexporter.profile.ValueType;

/**
 * What a meter says about itself at connect.
 *
 * @param serial the 8 hex digits printed on the meter
 * @param model the model name from the meter code, or "unknown (code 0x....)"
 * @param firmware software version, e.g. "2.18"
 * @param dataFormat 1 when values are floats; anything else cannot be decoded
 */
public record MeterIdentity(String serial, String model, String firmware, int dataFormat) {
  /** Decodes the reply to the read {@code regs.start()} x {@code regs.count()}. */
  public static MeterIdentity decode(IdentityRegisters regs, byte[] data) {
    long serial = (long) ValueType.UINT32.decode(data, 2 * (regs.serial() - regs.start()));
    int code = (int) ValueType.UINT16.decode(data, 2 * (regs.meterCode() - regs.start()));
    float firmware = (float) ValueType.FLOAT32.decode(data, 2 * (regs.firmware() - regs.start()));
    int format = (int) ValueType.UINT16.decode(data, 2 * (regs.dataFormat() - regs.start()));
    return new MeterIdentity(
        String.format("%08X", serial),
        regs.models().getOrDefault(code, String.format("unknown (code 0x%04X)", code)),
        Float.isFinite(firmware) ? Float.toString(firmware) : "unknown",
        format);
  }

  public boolean floatFormat() {
    return dataFormat == 1;
  }

  /** The identity as {@code check} prints it, with the fix when the data format is wrong. */
  public String describe() {
    return "serial "
        + serial
        + ", model "
        + model
        + ", firmware "
        + firmware
        + ", data format "
        + (floatFormat()
            ? "1 (float, ok)"
            : dataFormat
                + " (INTEGER: the exporter cannot decode it; set register 0x4026 back to 1 on the"
                + " meter)");
  }
}
