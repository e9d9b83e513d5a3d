package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wagoexporter.profile.IdentityRegisters;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.profile.ValueType;
import java.nio.ByteBuffer;

/**
 * Fuzzes the decoding of register bytes into values and the meter identity, against {@link
 * ByteBuffer}'s big-endian reads as the independent decoding. Register bytes reach these only after
 * {@code ReadPdu} checked their count, so every offset given here is inside the data: the property
 * is that no bit pattern (NaN payloads, negative zero, denormals, all ones) decodes to anything but
 * what the bytes say.
 */
public class ValueDecoderFuzzTest {
  private static final IdentityRegisters WAGO_IDENTITY = loadIdentity();

  private static IdentityRegisters loadIdentity() {
    try {
      return ProfileLoader.load(ProfileLoader.BUILT_IN).identity();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  public void registerValuesDecodeAsTheBytesSay(byte[] data) {
    ByteBuffer bytes = ByteBuffer.wrap(data); // big-endian: the meter's ABCD order
    for (int offset = 0; offset + 4 <= data.length; offset += 2) {
      float expectedFloat = bytes.getFloat(offset);
      // bit equality: NaN equals NaN, and -0.0 differs from 0.0
      assertThat(Double.doubleToLongBits(ValueType.FLOAT32.decode(data, offset)))
          .isEqualTo(Double.doubleToLongBits(expectedFloat));
      assertThat(ValueType.UINT32.decode(data, offset))
          .isEqualTo((double) Integer.toUnsignedLong(bytes.getInt(offset)));
    }
    for (int offset = 0; offset + 2 <= data.length; offset += 2) {
      assertThat(ValueType.INT16.decode(data, offset)).isEqualTo((double) bytes.getShort(offset));
      assertThat(ValueType.UINT16.decode(data, offset)).isEqualTo((double) bytes.getChar(offset));
    }
  }

  @FuzzTest(maxDuration = "10s")
  public void identityDecodesAsTheBytesSay(byte[] data) {
    IdentityRegisters regs = WAGO_IDENTITY;
    if (data.length < 2 * regs.count()) {
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(data);
    MeterIdentity id = MeterIdentity.decode(regs, data);

    assertThat(id.serial())
        .isEqualTo(String.format("%08X", bytes.getInt(2 * (regs.serial() - regs.start()))));
    assertThat(id.serial()).matches("[0-9A-F]{8}");
    int code = bytes.getChar(2 * (regs.meterCode() - regs.start()));
    assertThat(id.model())
        .isEqualTo(
            regs.models().containsKey(code)
                ? regs.models().get(code)
                : String.format("unknown (code 0x%04X)", code));
    float firmware = bytes.getFloat(2 * (regs.firmware() - regs.start()));
    assertThat(id.firmware())
        .isEqualTo(Float.isFinite(firmware) ? Float.toString(firmware) : "unknown");
    int format = bytes.getChar(2 * (regs.dataFormat() - regs.start()));
    assertThat(id.dataFormat()).isEqualTo(format);
    assertThat(id.floatFormat()).isEqualTo(format == 1);
  }
}
