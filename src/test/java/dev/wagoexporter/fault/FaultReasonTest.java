package dev.wagoexporter.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.modbus.ModbusReadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One vocabulary: each reason has the label docs/metrics.md promises and a hint of its own. */
class FaultReasonTest {
  @Test
  void theLabelsAreTheReasonsDocsMetricsMdPromisesTransportFailuresFirst() throws IOException {
    String metrics = Files.readString(Path.of("docs/metrics.md"));
    Matcher row =
        Pattern.compile("`wago_modbus_errors_total` \\| counter \\| reason=([a-z_,]+)")
            .matcher(metrics);
    assertThat(row.find()).as("docs/metrics.md lists the reasons").isTrue();
    List<String> labels = Arrays.stream(FaultReason.values()).map(FaultReason::label).toList();
    assertThat(labels).containsExactlyInAnyOrder(row.group(1).split(","));
    assertThat(labels)
        .as("transport failures first, then data faults, as exported before")
        .startsWith("timeout", "connection", "crc", "exception", "mismatch");
    assertThat(Arrays.stream(FaultReason.values()).filter(FaultReason::isTransport).count())
        .isEqualTo(5);
  }

  @ParameterizedTest
  @EnumSource(FaultReason.class)
  void everyReasonHasAHint(FaultReason reason) {
    assertThat(reason.hint(-1)).isNotBlank();
  }

  @Test
  void noTwoReasonsShareAHint() {
    List<String> hints = Arrays.stream(FaultReason.values()).map(r -> r.hint(-1)).toList();
    assertThat(new HashSet<>(hints)).hasSameSizeAs(hints);
  }

  @Test
  void aDataFaultIsNeverTheReasonOfAFailedRequest() {
    assertThatThrownBy(() -> new ModbusReadException(FaultReason.COUNTER_JUMP, "jumped"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("data fault");
  }

  @Test
  void aRefusedConnectionPointsAtTheGatewayAddressAndItsOneClientSlot() {
    ModbusReadException refused =
        new ModbusReadException(
            FaultReason.CONNECTION, "cannot connect to 127.0.0.1:1: Connection refused");
    assertThat(refused.hint())
        .startsWith("the gateway is not reachable")
        .contains("IP address and port", "one client slot");
  }

  @Test
  void aTimeoutOnALineThatAnsweredBeforeSaysTheMeterDidNot() {
    assertThat(new ModbusReadException(FaultReason.TIMEOUT, "no reply").hint())
        .startsWith("the line has answered before, this request was not: the meter did not answer")
        .contains("A/B wiring", "unit id", "baud rate and parity", "wago-exporter check");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0A, 0x0B})
  void gatewayExceptionsSayNoMeterIsBehindItAtThisUnitId(int code) {
    ModbusReadException e =
        new ModbusReadException(FaultReason.EXCEPTION, code, "meter answered exception");
    assertThat(e.hint())
        .startsWith("the gateway answered, no meter behind it at this unit id")
        .contains("--scan-units");
  }

  @Test
  void meterExceptionsAreNotBlamedOnTheGateway() {
    String illegalAddress = FaultReason.EXCEPTION.hint(0x02);
    assertThat(illegalAddress).contains("register range").doesNotContain("no meter behind it");
    assertThat(FaultReason.EXCEPTION.hint(0x01)).contains("not be a WAGO 879-30xx");
    assertThat(FaultReason.EXCEPTION.hint(0x04)).contains("internal failure");
    assertThat(FaultReason.EXCEPTION.hint(0x06)).contains("busy");
    assertThat(FaultReason.EXCEPTION.hint(0x42)).contains("exception 0x42");
    assertThat(FaultReason.EXCEPTION.hint(-1)).contains("(unknown code)");
  }

  @Test
  void theExceptionCodeMattersOnlyForExceptions() {
    assertThat(FaultReason.CRC.hint(0x0B)).isEqualTo(FaultReason.CRC.hint(-1));
  }

  @Test
  void aMisconfiguredMeterIsToldHowToSetItBack() {
    assertThat(FaultReason.MISCONFIGURED.hint(-1)).contains("integer data format", "0x4026");
  }

  @Test
  void mismatchNamesBothFramings() {
    assertThat(FaultReason.MISMATCH.hint(-1)).contains("rtu-over-tcp", "tcp", "another master");
  }
}
