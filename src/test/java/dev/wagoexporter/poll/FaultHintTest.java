package dev.wagoexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.modbus.ModbusReadException;
import dev.wagoexporter.modbus.TransportFailure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One hint per cause, saying who answered and what to check next. */
class FaultHintTest {
  private static final String FALLBACK = "unexpected error";

  @ParameterizedTest
  @EnumSource(TransportFailure.class)
  void everyTransportFailureHasItsOwnHint(TransportFailure failure) {
    assertThat(FaultHint.forReason(failure.label(), -1)).isNotBlank().doesNotContain(FALLBACK);
  }

  @ParameterizedTest
  @EnumSource(DataFault.class)
  void everyDataFaultHasItsOwnHint(DataFault fault) {
    assertThat(FaultHint.of(fault)).isNotBlank().doesNotContain(FALLBACK);
  }

  @Test
  void noTwoReasonsShareAHint() {
    List<String> hints = new ArrayList<>();
    for (TransportFailure f : TransportFailure.values()) {
      hints.add(FaultHint.forReason(f.label(), -1));
    }
    for (DataFault f : DataFault.values()) {
      hints.add(FaultHint.of(f));
    }
    Set<String> distinct = new HashSet<>(hints);
    assertThat(distinct).hasSameSizeAs(hints);
  }

  @Test
  void aRefusedConnectionPointsAtTheGatewayAddressAndItsOneClientSlot() {
    ModbusReadException refused =
        new ModbusReadException(
            TransportFailure.CONNECTION, "cannot connect to 127.0.0.1:1: Connection refused");
    assertThat(FaultHint.of(refused))
        .startsWith("the gateway is not reachable")
        .contains("IP address and port", "one client slot");
  }

  @Test
  void aTimeoutOnALineThatAnsweredBeforeSaysTheMeterDidNot() {
    assertThat(FaultHint.of(new ModbusReadException(TransportFailure.TIMEOUT, "no reply")))
        .startsWith("the line has answered before, this request was not: the meter did not answer")
        .contains("A/B wiring", "unit id", "baud rate and parity", "wago-exporter check");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0A, 0x0B})
  void gatewayExceptionsSayNoMeterIsBehindItAtThisUnitId(int code) {
    ModbusReadException e =
        new ModbusReadException(TransportFailure.EXCEPTION, code, "meter answered exception");
    assertThat(FaultHint.of(e))
        .startsWith("the gateway answered, no meter behind it at this unit id")
        .contains("--scan-units");
  }

  @Test
  void meterExceptionsAreNotBlamedOnTheGateway() {
    String illegalAddress = FaultHint.forReason("exception", 0x02);
    assertThat(illegalAddress).contains("register range").doesNotContain("no meter behind it");
    assertThat(FaultHint.forReason("exception", 0x01)).contains("not be a WAGO 879-30xx");
    assertThat(FaultHint.forReason("exception", 0x04)).contains("internal failure");
    assertThat(FaultHint.forReason("exception", 0x06)).contains("busy");
    assertThat(FaultHint.forReason("exception", 0x42)).contains("exception 0x42");
  }

  @Test
  void aMisconfiguredMeterIsToldHowToSetItBack() {
    assertThat(FaultHint.of(DataFault.MISCONFIGURED)).contains("integer data format", "0x4026");
  }

  @Test
  void mismatchNamesBothFramings() {
    assertThat(FaultHint.forReason("mismatch", -1))
        .contains("rtu-over-tcp", "tcp", "another master");
  }

  @Test
  void anUnknownReasonIsNamedAndSendsTheUserToCheck() {
    assertThat(FaultHint.forReason("gremlins", -1))
        .startsWith(FALLBACK)
        .contains("gremlins", "wago-exporter check");
  }
}
