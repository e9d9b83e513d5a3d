package dev.wagoexporter.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ValueTypeTest {
  private static double decode(ValueType type, String hex) {
    return type.decode(HexFormat.of().parseHex(hex), 0);
  }

  @Test
  void float32IsBigEndianAbcd() {
    assertThat(decode(ValueType.FLOAT32, "43660000")).isEqualTo(230.0);
    assertThat(decode(ValueType.FLOAT32, "42480000")).isEqualTo(50.0);
    assertThat((float) decode(ValueType.FLOAT32, "BF4CCCCD")).isEqualTo(-0.8f);
    // a real WAGO import-energy reply (SmartEVSE-3.5 #116)
    assertThat((float) decode(ValueType.FLOAT32, "46583DAE")).isEqualTo(13839.42f);
    assertThat(decode(ValueType.FLOAT32, "7FC00000")).isNaN();
  }

  @Test
  void integersAreBigEndianHighWordFirst() {
    assertThat(decode(ValueType.UINT32, "22091039")).isEqualTo(0x22091039L);
    assertThat(decode(ValueType.UINT32, "FFFFFFFF")).isEqualTo(4294967295.0);
    assertThat(decode(ValueType.INT16, "FFFE")).isEqualTo(-2);
    assertThat(decode(ValueType.UINT16, "FFFE")).isEqualTo(65534);
  }
}
