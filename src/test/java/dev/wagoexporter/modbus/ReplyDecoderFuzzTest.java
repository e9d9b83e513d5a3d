package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.testsupport.Crc16Reference;
import java.util.Arrays;

/**
 * Fuzzes every decoder that reads bytes from the gateway: MBAP replies, RTU replies with CRC, and
 * the read PDU. Input layout (so that seeds are easy to write by hand, see {@code
 * ReplyDecoderFuzzTestInputs/}): byte 0 the unit id we asked, byte 1 low bit the function code (03
 * or 04), byte 2 the register count we asked (1..125), byte 3 how many requests were framed before
 * (MBAP transaction ids), then the bytes the gateway sent.
 *
 * <p>Properties: the only exception that escapes is {@link ModbusReadException} (an in-memory
 * stream has no {@code IOException}); a reply that is accepted is exactly what the request asked
 * for, checked by an independent parse of the same bytes.
 */
public class ReplyDecoderFuzzTest {
  private static final int HEADER = 4;

  /** What a fuzz input asks for, and the reply bytes after that. */
  @SuppressWarnings("ArrayRecordComponent") // a fuzz input, read once and never compared
  private record Case(int unitId, int functionCode, int count, int framedBefore, byte[] stream) {
    static Case of(byte[] data) {
      if (data.length < HEADER) {
        return null;
      }
      return new Case(
          data[0] & 0xFF,
          (data[1] & 1) == 0 ? 3 : 4,
          1 + (data[2] & 0xFF) % 125,
          data[3] & 0x0F,
          Arrays.copyOfRange(data, HEADER, data.length));
    }
  }

  @FuzzTest(maxDuration = "10s")
  public void mbapReplyIsOursOrRejected(byte[] data) throws Exception {
    Case c = Case.of(data);
    if (c == null) {
      return;
    }
    MbapFraming framing = new MbapFraming();
    for (int i = 0; i <= c.framedBefore(); i++) {
      framing.frame(c.unitId(), ReadPdu.request(c.functionCode(), 0x5000, c.count()));
    }
    byte[] pdu;
    try {
      pdu = framing.readReply(ReplyReader.of(c.stream()), c.unitId());
    } catch (ModbusReadException rejected) {
      return;
    }
    byte[] expected = firstMbapPduWithId(c.stream(), framing.lastTransactionId(), c.unitId());
    assertThat(pdu)
        .as("accepted MBAP reply must be the first frame with our transaction id and unit")
        .isEqualTo(expected);
    checkRegisters(pdu, c);
  }

  @FuzzTest(maxDuration = "10s")
  public void rtuReplyHasValidCrcOrIsRejected(byte[] data) throws Exception {
    Case c = Case.of(data);
    if (c == null) {
      return;
    }
    byte[] pdu;
    try {
      pdu = new RtuFraming().readReply(ReplyReader.of(c.stream()), c.unitId());
    } catch (ModbusReadException rejected) {
      return;
    }
    byte[] s = c.stream();
    int frameLength = pdu.length + 3;
    assertThat(s[0] & 0xFF).as("unit id").isEqualTo(c.unitId());
    assertThat(Arrays.copyOfRange(s, 1, 1 + pdu.length))
        .as("pdu is the frame's body")
        .isEqualTo(pdu);
    int crc = (s[frameLength - 2] & 0xFF) | (s[frameLength - 1] & 0xFF) << 8;
    assertThat(crc)
        .as("accepted RTU frame must carry a valid CRC")
        .isEqualTo(Crc16Reference.of(s, frameLength - 2));
    checkRegisters(pdu, c);
  }

  @FuzzTest(maxDuration = "10s")
  public void readPduGivesTheRequestedRegistersOrRejects(byte[] data) {
    Case c = Case.of(data);
    if (c == null) {
      return;
    }
    checkRegisters(c.stream(), c);
  }

  /**
   * The PDU check: an exception reply or a mismatch is a {@link ModbusReadException}; an answer has
   * exactly our registers.
   */
  private static void checkRegisters(byte[] pdu, Case c) {
    byte[] registers;
    try {
      registers = ReadPdu.registers(pdu, c.functionCode(), c.count());
    } catch (ModbusReadException rejected) {
      if (rejected.failure() == FaultReason.EXCEPTION) {
        assertThat(pdu[0] & 0xFF).isEqualTo(c.functionCode() | 0x80);
        assertThat(rejected.exceptionCode()).isEqualTo(pdu[1] & 0xFF);
      } else {
        assertThat(rejected.failure()).isEqualTo(FaultReason.MISMATCH);
      }
      return;
    }
    assertThat(pdu[0] & 0xFF).as("function code").isEqualTo(c.functionCode());
    assertThat(pdu[1] & 0xFF).as("byte count").isEqualTo(2 * c.count());
    assertThat(pdu).hasSize(2 + 2 * c.count());
    assertThat(registers).isEqualTo(Arrays.copyOfRange(pdu, 2, pdu.length));
  }

  /**
   * Walks MBAP frames as the specification lays them out and returns the PDU of the first one with
   * our transaction id; frames before it are late replies to earlier requests.
   */
  private static byte[] firstMbapPduWithId(byte[] s, int transactionId, int unitId) {
    int at = 0;
    while (at + 7 <= s.length) {
      int id = (s[at] & 0xFF) << 8 | (s[at + 1] & 0xFF);
      int protocol = (s[at + 2] & 0xFF) << 8 | (s[at + 3] & 0xFF);
      int length = (s[at + 4] & 0xFF) << 8 | (s[at + 5] & 0xFF);
      assertThat(protocol).as("a frame with protocol id != 0 must have been rejected").isZero();
      assertThat(length).as("frame length field").isBetween(2, 254);
      int end = at + 6 + length;
      assertThat(end).as("frame must be complete").isLessThanOrEqualTo(s.length);
      if (id == transactionId) {
        assertThat(s[at + 6] & 0xFF).as("unit id").isEqualTo(unitId);
        return Arrays.copyOfRange(s, at + 7, end);
      }
      at = end;
    }
    throw new AssertionError(
        "accepted a reply although no complete frame carries transaction id " + transactionId);
  }
}
