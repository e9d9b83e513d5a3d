package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.Parity;
import dev.wagoexporter.logging.LogLevel;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.report.PeriodUnit;
import dev.wagoexporter.report.ReportFormat;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The flag converters, one class for every subcommand: each takes the values it should and says for
 * a wrong one what it is not and how to write it (picocli and {@link FlagErrors} add the flag).
 */
class ConvertersTest {
  private static String rejection(ITypeConverter<?> converter, String value) {
    Throwable thrown = null;
    try {
      converter.convert(value);
    } catch (Exception e) {
      thrown = e;
    }
    assertThat(thrown).as(value).isInstanceOf(TypeConversionException.class);
    return thrown.getMessage();
  }

  @Test
  void reportFlagsTakeTheirValues() throws Exception {
    assertThat(new Converters.DateConverter().convert(" 2026-03-29 "))
        .isEqualTo(LocalDate.of(2026, 3, 29));
    assertThat(new Converters.ZoneConverter().convert("Europe/Vienna"))
        .isEqualTo(ZoneId.of("Europe/Vienna"));
    assertThat(new Converters.ZoneConverter().convert(" ")).as("an empty env var").isNull();
    assertThat(new Converters.PriceConverter().convert("0.32")).isEqualTo(0.32);
    assertThat(new Converters.PriceConverter().convert("")).isNull();
    assertThat(new Converters.PrometheusUrlConverter().convert("http://localhost:9090"))
        .isEqualTo(URI.create("http://localhost:9090"));
    assertThat(new Converters.PeriodConverter().convert("Month")).isEqualTo(PeriodUnit.MONTH);
    assertThat(new Converters.FormatConverter().convert("csv")).isEqualTo(ReportFormat.CSV);
  }

  @Test
  void reportFlagsSayWhatIsWrongAndHowToWriteIt() {
    assertThat(rejection(new Converters.DateConverter(), "29.03.2026"))
        .isEqualTo("'29.03.2026' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-29");
    assertThat(rejection(new Converters.ZoneConverter(), "Vienna"))
        .isEqualTo("'Vienna' is not a time zone; use a region name such as Europe/Vienna");
    assertThat(rejection(new Converters.PriceConverter(), "-1"))
        .isEqualTo("'-1' is not a price per kWh; write it like 0.32");
    assertThat(rejection(new Converters.PrometheusUrlConverter(), "localhost:9090"))
        .isEqualTo("'localhost:9090' is not an http(s) URL; write it like http://localhost:9090");
    assertThat(rejection(new Converters.PeriodConverter(), "week"))
        .isEqualTo("'week' is not one of day, month");
    assertThat(rejection(new Converters.FormatConverter(), "xml"))
        .isEqualTo("'xml' is not one of table, csv, json");
  }

  @Test
  void theOtherSubcommandsFlagsKeepTheirRules() throws Exception {
    assertThat(new Converters.ParityConverter().convert("NONE")).isEqualTo(Parity.NONE);
    assertThat(rejection(new Converters.ParityConverter(), "mark")).contains("even, none or odd");
    assertThat(new Converters.SimulatedFramingConverter().convert("rtu-over-tcp"))
        .isEqualTo(Framing.RTU_OVER_TCP);
    assertThat(rejection(new Converters.SimulatedFramingConverter(), "auto"))
        .contains("use tcp or rtu-over-tcp, not auto");
    assertThat(new Converters.LogLevelConverter().convert("debug")).isEqualTo(LogLevel.DEBUG);
    assertThat(rejection(new Converters.LogLevelConverter(), "loud"))
        .isEqualTo("unknown log level 'loud' (use debug, info, warn or error)");
    assertThat(rejection(new Converters.UnitIdConverter(), "248"))
        .isEqualTo(
            "unit id 248 is outside 1..247 (give the device's Modbus address, 1 to 247; a WAGO"
                + " meter's factory default is 1)");
    assertThat(rejection(new Converters.UnitIdConverter(), "2a"))
        .isEqualTo(
            "expected a whole number, got '2a' (write digits only, without quotes or units)");
    assertThat(new Converters.BooleanConverter().convert("TRUE")).isTrue();
    assertThat(rejection(new Converters.BooleanConverter(), "yes"))
        .isEqualTo("expected true or false, got 'yes' (write true or false)");
    assertThat(new Converters.ProfileConverter().convert("wago-879-30xx"))
        .isEqualTo("wago-879-30xx");
    assertThat(rejection(new Converters.ProfileConverter(), "foo"))
        .startsWith("profile 'foo' is not built in")
        .contains("use a built-in profile: wago-879-30xx");
    assertThatThrownBy(() -> new Converters.FramingConverter().convert("modbus"))
        .isInstanceOf(TypeConversionException.class);
  }
}
