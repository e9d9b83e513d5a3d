package dev.wagoexporter.poll;

/**
 * What a meter says about itself at connect.
 *
 * @param serial the 8 hex digits printed on the meter
 * @param model the model name from the meter code, or "unknown (code 0x....)"
 * @param firmware software version, e.g. "2.18"
 * @param dataFormat 1 when values are floats; anything else cannot be decoded
 */
public record MeterIdentity(String serial, String model, String firmware, int dataFormat) {
  public boolean floatFormat() {
    return dataFormat == 1;
  }
}
