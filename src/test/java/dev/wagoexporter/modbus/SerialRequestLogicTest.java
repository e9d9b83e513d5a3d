package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagoexporter.config.SerialDevice;
import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.time.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request logic that a serial line adds to RTU, on a scripted byte stream: the RTU frame gap
 * before each request, the wire time added to the reply timeout, stray bytes discarded, and a port
 * that stays open through a garbled reply. Waits are checked only from below (a sleep never ends
 * early), so a busy machine cannot make these fail.
 */
class SerialRequestLogicTest {
  private static final Duration GAP = Duration.ofMillis(40);
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private static final byte[] TWO_REGISTERS = {1, 3, 4, 0x43, 0x66, 0, 0};

  /** A serial line whose meter answers from a script; records what was sent and when. */
  private static class ScriptedLine implements Link {
    final Deque<byte[]> replies = new ArrayDeque<>();
    final List<Long> writeNanos = new ArrayList<>();
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    byte[] pending = new byte[0];
    int offset;
    boolean closed;
    byte[] strayBeforeNextRequest = new byte[0];

    @Override
    public void write(byte[] frame) throws IOException {
      writeNanos.add(System.nanoTime());
      sent.write(frame);
      byte[] reply = replies.isEmpty() ? new byte[0] : replies.removeFirst();
      pending = reply;
      offset = 0;
    }

    @Override
    public int read(byte[] buffer, int off, int length, long deadlineNanos) {
      if (offset < pending.length) {
        int n = Math.min(length, pending.length - offset);
        System.arraycopy(pending, offset, buffer, off, n);
        offset += n;
        return n;
      }
      long wait = deadlineNanos - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000 + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 0;
    }

    @Override
    public long discardPending() {
      long n = strayBeforeNextRequest.length;
      strayBeforeNextRequest = new byte[0];
      return n;
    }

    @Override
    public Duration transmitTime(int bytes) {
      return Duration.ofMillis(bytes); // 1 ms a byte: a slow line makes the rule visible
    }

    @Override
    public Duration frameGap() {
      return GAP;
    }

    @Override
    public String endOfStreamMessage() {
      return "gone";
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static byte[] rtu(byte[] unitAndPdu) {
    byte[] frame = new byte[unitAndPdu.length + 2];
    System.arraycopy(unitAndPdu, 0, frame, 0, unitAndPdu.length);
    int crc = ModbusCrc.of(frame, unitAndPdu.length);
    frame[frame.length - 2] = (byte) crc;
    frame[frame.length - 1] = (byte) (crc >> 8);
    return frame;
  }

  private static BusConnection over(ScriptedLine line) {
    return new BusConnection(
        new SerialDevice("/dev/ttyUSB0"),
        Framing.RTU,
        timeout -> line,
        ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
        TimeSource.system());
  }

  @Test
  void aRequestWaitsForTheFrameGapAfterTheLastReply() throws Exception {
    ScriptedLine line = new ScriptedLine();
    line.replies.add(rtu(TWO_REGISTERS));
    line.replies.add(rtu(TWO_REGISTERS));
    BusConnection connection = over(line);

    connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT));
    connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT));

    // measured from the first request, which left before its reply came (the gap's own start):
    // a time taken after read() returned could be later than that on a busy machine
    assertThat(line.writeNanos.get(1) - line.writeNanos.get(0))
        .isGreaterThanOrEqualTo(GAP.toNanos());
    assertThat(line.sent.toByteArray()).hasSize(16); // two 8-byte read requests, nothing else
  }

  @Test
  void theReplyTimeoutStartsAfterTheRequestLeftTheWire() {
    ScriptedLine line = new ScriptedLine(); // the meter never answers
    BusConnection connection = over(line);

    long started = System.nanoTime();
    assertThatThrownBy(() -> connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT)))
        .isInstanceOfSatisfying(
            ModbusReadException.class, e -> assertThat(e.failure()).isEqualTo(FaultReason.TIMEOUT));
    // 8 request bytes at 1 ms each, then the timeout
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TIMEOUT.plusMillis(8).toNanos());
  }

  @Test
  void aGarbledReplyKeepsThePortOpenAndTheNextRequestWaitsForTheRestOfIt() throws Exception {
    ScriptedLine line = new ScriptedLine();
    byte[] bad = rtu(TWO_REGISTERS);
    bad[bad.length - 1] ^= 0x55;
    line.replies.add(bad);
    line.replies.add(rtu(TWO_REGISTERS));
    BusConnection connection = over(line);

    assertThatThrownBy(() -> connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT)))
        .isInstanceOfSatisfying(
            ModbusReadException.class, e -> assertThat(e.failure()).isEqualTo(FaultReason.CRC));
    line.strayBeforeNextRequest = new byte[] {0x12, 0x34, 0x56};
    byte[] registers = connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT));

    assertThat(line.closed).as("the port stays open").isFalse();
    // the guard starts when the garbled reply was read, after the first request left
    assertThat(line.writeNanos.get(1) - line.writeNanos.get(0))
        .isGreaterThanOrEqualTo(TIMEOUT.toNanos());
    assertThat(connection.discardedBytes()).isEqualTo(3);
    assertThat(registers).containsExactly(0x43, 0x66, 0, 0);
  }

  @Test
  void aLostDeviceClosesThePortAndTheNextReadOpensItAgain() throws Exception {
    ScriptedLine gone =
        new ScriptedLine() {
          @Override
          public int read(byte[] buffer, int off, int length, long deadlineNanos) {
            return -1;
          }
        };
    ScriptedLine back = new ScriptedLine();
    back.replies.add(rtu(TWO_REGISTERS));
    Deque<ScriptedLine> opens = new ArrayDeque<>(List.of(gone, back));
    BusConnection connection =
        new BusConnection(
            new SerialDevice("/dev/ttyUSB0"),
            Framing.RTU,
            timeout -> opens.removeFirst(),
            ConnectionPolicy.polling(Duration.ZERO, Duration.ofMillis(1)),
            TimeSource.system());

    assertThatThrownBy(() -> connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT)))
        .isInstanceOfSatisfying(
            ModbusReadException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FaultReason.CONNECTION);
              assertThat(e).hasMessage("gone");
            });
    assertThat(gone.closed).isTrue();
    Thread.sleep(5); // past the 1 ms back-off
    assertThat(connection.read(new ReadRequest(1, 3, 0x5000, 2, TIMEOUT)))
        .containsExactly(0x43, 0x66, 0, 0);
  }
}
