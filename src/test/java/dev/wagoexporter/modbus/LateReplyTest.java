package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.GatewayAddress;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.time.TimeSource;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RTU over TCP has no transaction id: a reply that comes after its request timed out, and after the
 * guard time too, must never be taken as the answer to the next request of the same length. The
 * gateway here is scripted: a meter that answers in order (one RS485 line) and whose reply to a
 * chosen request is so late that it arrives only after the next request has left, whatever the
 * guard. Every register holds its own address, so a value read from the wrong request shows.
 */
class LateReplyTest {
  private static final Duration TIMEOUT = Duration.ofMillis(50);

  /** A transparent gateway to one meter; the replies to the requests in {@code late} lag. */
  private static final class LaggingGateway implements Link {
    final List<Integer> late = new ArrayList<>();
    final List<String> requests = new ArrayList<>();
    private final ByteArrayOutputStream heldBack = new ByteArrayOutputStream();
    private final ByteBuffer arrived = ByteBuffer.allocate(4096).flip();

    @Override
    public void write(byte[] frame) {
      int address = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
      int count = ((frame[4] & 0xFF) << 8) | (frame[5] & 0xFF);
      requests.add(String.format("%04X+%d", address, count));
      // the line is in order: a reply held back goes out before the answer to this request
      byte[] earlier = heldBack.toByteArray();
      heldBack.reset();
      byte[] reply = reply(frame[0], address, count);
      if (late.contains(requests.size())) {
        arrive(earlier);
        heldBack.writeBytes(reply);
      } else {
        arrive(earlier);
        arrive(reply);
      }
    }

    private void arrive(byte[] bytes) {
      arrived.compact().put(bytes).flip();
    }

    private static byte[] reply(byte unit, int address, int count) {
      byte[] pdu = new byte[2 + 2 * count];
      pdu[0] = 3;
      pdu[1] = (byte) (2 * count);
      for (int i = 0; i < count; i++) {
        pdu[2 + 2 * i] = (byte) ((address + i) >> 8);
        pdu[3 + 2 * i] = (byte) (address + i);
      }
      return new RtuFraming().frame(unit, pdu); // unit id, PDU, CRC: a reply is framed alike
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long deadlineNanos) {
      if (!arrived.hasRemaining()) {
        return 0; // nothing comes before the deadline: the late reply is held until the next write
      }
      int n = Math.min(length, arrived.remaining());
      arrived.get(buffer, offset, n);
      return n;
    }

    @Override
    public long discardPending() {
      return 0; // nothing has arrived yet when the next request leaves: the case no guard covers
    }

    @Override
    public Duration transmitTime(int bytes) {
      return Duration.ZERO;
    }

    @Override
    public Duration frameGap() {
      return Duration.ZERO;
    }

    @Override
    public String endOfStreamMessage() {
      return "closed";
    }

    @Override
    public void close() {}
  }

  private static BusConnection over(LaggingGateway gateway) {
    return new BusConnection(
        new GatewayAddress("127.0.0.1", 502),
        Framing.RTU_OVER_TCP,
        timeout -> gateway,
        ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
        TimeSource.system());
  }

  private static int[] registers(byte[] bytes) {
    int[] values = new int[bytes.length / 2];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
    }
    return values;
  }

  private static void timesOut(BusConnection connection, int address, int count) {
    assertThatThrownBy(() -> connection.read(new ReadRequest(1, 3, address, count, TIMEOUT)))
        .isInstanceOfSatisfying(
            ModbusReadException.class, e -> assertThat(e.failure()).isEqualTo(FaultReason.TIMEOUT));
  }

  @Test
  void aLateReplyIsNeverTakenForTheNextRequestOfTheSameLength() throws Exception {
    LaggingGateway gateway = new LaggingGateway();
    gateway.late.add(1);
    BusConnection connection = over(gateway);

    timesOut(connection, 0x5000, 8);
    int[] values = registers(connection.read(new ReadRequest(1, 3, 0x5010, 8, TIMEOUT)));

    assertThat(values).startsWith(0x5010, 0x5011).endsWith(0x5017);
    // the in-step read: a prefix of 2 registers, whose length nobody was owed
    assertThat(gateway.requests).containsExactly("5000+8", "5010+2", "5010+8");
    assertThat(connection.discardedBytes()).as("the late reply, skipped").isEqualTo(21);
  }

  @Test
  void aLateReplyOfAnotherLengthIsSkippedWithoutAnExtraRequest() throws Exception {
    LaggingGateway gateway = new LaggingGateway();
    gateway.late.add(1);
    BusConnection connection = over(gateway);

    timesOut(connection, 0x5000, 8);
    int[] values = registers(connection.read(new ReadRequest(1, 3, 0x6000, 4, TIMEOUT)));

    assertThat(values).containsExactly(0x6000, 0x6001, 0x6002, 0x6003);
    assertThat(gateway.requests).containsExactly("5000+8", "6000+4");
  }

  @Test
  void whenTheInStepReadIsLateTooNoValueIsTakenUntilTheLineIsInStep() throws Exception {
    LaggingGateway gateway = new LaggingGateway();
    gateway.late.addAll(List.of(1, 2)); // the request that times out, then the in-step read
    BusConnection connection = over(gateway);

    timesOut(connection, 0x5000, 8);
    timesOut(connection, 0x5010, 8); // its in-step read (2 registers) lags as well
    int[] values = registers(connection.read(new ReadRequest(1, 3, 0x5020, 8, TIMEOUT)));

    assertThat(values).startsWith(0x5020).endsWith(0x5027);
    // lengths 16 and 4 are owed: the next in-step read takes 4 registers (8 bytes)
    assertThat(gateway.requests).containsExactly("5000+8", "5010+2", "5020+4", "5020+8");
  }

  @Test
  void anAnswerInStepEndsTheSkipping() throws Exception {
    LaggingGateway gateway = new LaggingGateway();
    gateway.late.add(1);
    BusConnection connection = over(gateway);

    timesOut(connection, 0x5000, 8);
    connection.read(
        new ReadRequest(1, 3, 0x6000, 4, TIMEOUT)); // skips the late reply, in step again
    int[] values = registers(connection.read(new ReadRequest(1, 3, 0x5010, 8, TIMEOUT)));

    assertThat(values).startsWith(0x5010).endsWith(0x5017);
    assertThat(gateway.requests).containsExactly("5000+8", "6000+4", "5010+8");
  }
}
