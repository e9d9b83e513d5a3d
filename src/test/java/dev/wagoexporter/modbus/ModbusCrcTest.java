package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.Crc16;
import dev.wagoexporter.testsupport.Crc16Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exporter's own CRC-16/MODBUS against published check values, frames from the Modbus
 * specification, the bit-by-bit reference and the Modbus library it replaced on the poll path.
 */
class ModbusCrcTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void givesTheCatalogueCheckValue() {
    // the CRC catalogue's check value of CRC-16/MODBUS over the ASCII digits 1 to 9
    byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(ModbusCrc.of(digits, digits.length)).isEqualTo(0x4B37);
  }

  @Test
  void givesTheCrcOfKnownFrames() {
    // read 10 holding registers from 0 at unit 1: 01 03 00 00 00 0A, CRC C5 CD (low byte first)
    assertThat(ModbusCrc.of(hex("01 03 00 00 00 0A"), 6)).isEqualTo(0xCDC5);
    // the exception reply "illegal data address" of unit 1 to function 3
    assertThat(ModbusCrc.of(hex("01 83 02"), 3)).isEqualTo(0xF1C0);
    assertThat(ModbusCrc.of(new byte[0], 0)).isEqualTo(0xFFFF);
  }

  @Test
  void coversOnlyTheGivenLength() {
    assertThat(ModbusCrc.of(hex("01 03 00 00 00 0A C5 CD"), 6)).isEqualTo(0xCDC5);
  }

  @Test
  void agreesWithTheReferenceAndTheLibraryOnRandomFrames() {
    var random = new Random(21);
    for (int n = 0; n < 2_000; n++) {
      byte[] data = new byte[random.nextInt(260)];
      random.nextBytes(data);
      var library = new Crc16();
      library.update(ByteBuffer.wrap(data));
      int ours = ModbusCrc.of(data, data.length);
      assertThat(ours).isEqualTo(Crc16Reference.of(data, data.length));
      assertThat(ours).isEqualTo(library.getValue());
    }
  }
}
