package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlMappingTest {
  @ParameterizedTest
  @CsvSource({
    "unitId,        unit_id",
    "unit-id,       unit_id",
    "UNIT_ID,       unit_id",
    "pollinterval,  poll_interval",
    "timout,        timeout",
    "max_register_per_request, max_registers_per_request",
    "nmae,          name",
    "slave_id,      ''",
    "interval,      ''",
  })
  void suggestsTheKeyATypoMostLikelyMeant(String typo, String expected) {
    List<String> meterKeys = MeterConfig.KEYS;

    assertThat(YamlMapping.closest(typo, meterKeys).orElse("")).isEqualTo(expected);
  }
}
