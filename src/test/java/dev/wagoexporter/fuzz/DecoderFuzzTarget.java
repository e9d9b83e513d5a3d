package dev.wagoexporter.fuzz;

import dev.wagoexporter.modbus.ReplyDecoderFuzzTest;
import dev.wagoexporter.poll.ValueDecoderFuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * All decoder fuzz tests behind one libFuzzer entry point: the first byte picks the decoder, the
 * rest is its input. One fuzzing process covers every decoder, so the short run in {@code mvn
 * verify} pays the fuzzer's start once instead of once per decoder.
 */
public final class DecoderFuzzTarget {
  /**
   * The decoders, by the selector byte; {@link DecoderFuzzRunTest} seeds each from its own corpus
   * directory.
   */
  static final List<String> TARGETS =
      List.of(
          "modbus/ReplyDecoderFuzzTestInputs/mbapReplyIsOursOrRejected",
          "modbus/ReplyDecoderFuzzTestInputs/rtuReplyHasValidCrcOrIsRejected",
          "modbus/ReplyDecoderFuzzTestInputs/readPduGivesTheRequestedRegistersOrRejects",
          "poll/ValueDecoderFuzzTestInputs/registerValuesDecodeAsTheBytesSay",
          "poll/ValueDecoderFuzzTestInputs/identityDecodesAsTheBytesSay");

  private static final ReplyDecoderFuzzTest REPLIES = new ReplyDecoderFuzzTest();
  private static final ValueDecoderFuzzTest VALUES = new ValueDecoderFuzzTest();

  private DecoderFuzzTarget() {}

  /** libFuzzer's entry point, called by the Jazzer driver for every input it generates. */
  public static void fuzzerTestOneInput(byte[] data) throws Exception {
    if (data.length == 0) {
      return;
    }
    byte[] input = Arrays.copyOfRange(data, 1, data.length);
    switch ((data[0] & 0xFF) % TARGETS.size()) {
      case 0 -> REPLIES.mbapReplyIsOursOrRejected(input);
      case 1 -> REPLIES.rtuReplyHasValidCrcOrIsRejected(input);
      case 2 -> REPLIES.readPduGivesTheRequestedRegistersOrRejects(input);
      case 3 -> VALUES.registerValuesDecodeAsTheBytesSay(input);
      default -> VALUES.identityDecodesAsTheBytesSay(input);
    }
  }
}
