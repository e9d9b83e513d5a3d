package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.profile.ValueType;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Frames checked against bytes captured from real WAGO/inepro meters and the Modbus specification.
 */
class FramingTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", ""));
  }

  @Test
  void rtuRequestMatchesTheKnownFrame() {
    assertThat(new RtuFraming().frame(1, ReadPdu.request(3, 0x5012, 2)))
        .isEqualTo(hex("01 03 50 12 00 02 75 0E"));
    // captured from an EVC04 wallbox polling a PRO380 (= WAGO 879-30xx)
    assertThat(new RtuFraming().frame(1, ReadPdu.request(3, 0x500C, 6)))
        .isEqualTo(hex("01 03 50 0C 00 06 14 CB"));
  }

  @Test
  void rtuReplyCapturedFromHardwareDecodesToThreeTimesSixteenAmperes() throws Exception {
    byte[] pdu =
        new RtuFraming()
            .readReply(ReplyReader.of(hex("01 03 0C 41800000 41800000 41800000 97 AE")), 1);
    byte[] registers = ReadPdu.registers(pdu, 3, 6);
    assertThat(ValueType.FLOAT32.decode(registers, 0)).isEqualTo(16.0);
    assertThat(ValueType.FLOAT32.decode(registers, 8)).isEqualTo(16.0);
  }

  @Test
  void rtuReplyWithBadCrcIsACrcFailure() {
    assertThatThrownBy(
            () ->
                new RtuFraming()
                    .readReply(ReplyReader.of(hex("01 03 0C 41800000 41800000 41800000 97 AF")), 1))
        .isInstanceOfSatisfying(
            ModbusReadException.class, e -> assertThat(e.failure()).isEqualTo(FaultReason.CRC));
  }

  @Test
  void rtuExceptionReplyGivesTheRealExceptionCode() throws Exception {
    byte[] pdu = new RtuFraming().readReply(ReplyReader.of(hex("01 83 02 C0 F1")), 1);
    assertThatThrownBy(() -> ReadPdu.registers(pdu, 3, 2))
        .isInstanceOfSatisfying(
            ModbusReadException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FaultReason.EXCEPTION);
              assertThat(e.exceptionCode()).isEqualTo(2);
              assertThat(e.isRangeRefused()).isTrue();
            });
  }

  @Test
  void rtuReplyFromAnotherUnitIsAMismatch() {
    assertThatThrownBy(
            () ->
                new RtuFraming()
                    .readReply(ReplyReader.of(hex("02 03 0C 41800000 41800000 41800000 97 AE")), 1))
        .isInstanceOfSatisfying(
            ModbusReadException.class,
            e -> assertThat(e.failure()).isEqualTo(FaultReason.MISMATCH));
  }

  @Test
  void truncatedReplyIsNotTakenForAnAnswer() {
    assertThatThrownBy(
            () -> new RtuFraming().readReply(ReplyReader.of(hex("01 03 0C 41800000")), 1))
        .isInstanceOfSatisfying(
            ModbusReadException.class,
            e -> assertThat(e.failure()).isEqualTo(FaultReason.CONNECTION));
  }

  @Test
  void mbapRequestMatchesTheSpecification() {
    assertThat(new MbapFraming().frame(1, ReadPdu.request(3, 0x5012, 2)))
        .isEqualTo(hex("00 01 00 00 00 06 01 03 50 12 00 02"));
  }

  @Test
  void probeTransactionIdsStartWithAnInvalidRs485Address() {
    byte[] frame = new MbapFraming(true).frame(2, ReadPdu.request(3, 0x4000, 2));
    assertThat(frame[0] & 0xFF).isEqualTo(0xFF);
  }

  @Test
  void mbapSkipsALateReplyToAnEarlierRequest() throws Exception {
    MbapFraming framing = new MbapFraming();
    framing.frame(2, ReadPdu.request(3, 0x5000, 2)); // id 1, timed out
    framing.frame(2, ReadPdu.request(3, 0x6000, 2)); // id 2, the current request
    byte[] late = hex("00 01 00 00 00 07 02 03 04 43660000");
    byte[] ours = hex("00 02 00 00 00 07 02 03 04 42480000");
    byte[] stream = new byte[late.length + ours.length];
    System.arraycopy(late, 0, stream, 0, late.length);
    System.arraycopy(ours, 0, stream, late.length, ours.length);
    byte[] registers = ReadPdu.registers(framing.readReply(ReplyReader.of(stream), 2), 3, 2);
    assertThat(ValueType.FLOAT32.decode(registers, 0)).isEqualTo(50.0);
  }

  @Test
  void rtuBytesOnAModbusTcpConnectionAreRejectedWithAHint() {
    MbapFraming framing = new MbapFraming();
    framing.frame(1, ReadPdu.request(3, 0x5012, 2));
    assertThatThrownBy(
            () -> framing.readReply(ReplyReader.of(hex("01 03 04 43660000 AB CD EF 01 02 03")), 1))
        .isInstanceOfSatisfying(
            ModbusReadException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FaultReason.MISMATCH);
              assertThat(e.getMessage()).contains("rtu-over-tcp");
            });
  }

  @Test
  void replyWithWrongByteCountIsAMismatch() {
    assertThatThrownBy(() -> ReadPdu.registers(hex("03 04 43660000"), 3, 4))
        .isInstanceOfSatisfying(
            ModbusReadException.class,
            e -> assertThat(e.failure()).isEqualTo(FaultReason.MISMATCH));
  }

  @Test
  void onlyReadFunctionCodesCanBeBuilt() {
    assertThatThrownBy(() -> ReadPdu.request(6, 0x4003, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadPdu.request(16, 0x6049, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadPdu.request(3, 0x5000, 126))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
