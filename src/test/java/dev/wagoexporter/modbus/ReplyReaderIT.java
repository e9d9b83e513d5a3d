package dev.wagoexporter.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.fault.FaultReason;
import dev.wagoexporter.time.TimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reply deadline over a real loopback socket, as {@link BusConnection} uses it. */
class ReplyReaderIT {
  private ServerSocket server;
  private Socket exporterSide;
  private Socket gatewaySide;

  @BeforeEach
  void connect() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    exporterSide = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    gatewaySide = server.accept();
  }

  @AfterEach
  void close() throws IOException {
    exporterSide.close();
    gatewaySide.close();
    server.close();
  }

  /**
   * On a busy machine the reading thread may get the CPU only after the deadline although the
   * gateway answered in time: that reply is read, not counted as a timeout (which on RTU would also
   * leave it to be misread as the next request's reply).
   */
  @Test
  void aReplyAlreadyReceivedIsReadAfterTheDeadline() throws Exception {
    gatewaySide.getOutputStream().write(new byte[] {1, 3, 2, 0x12, 0x34});
    await().until(() -> exporterSide.getInputStream().available() == 5);
    ReplyReader reader =
        new ReplyReader(new TcpLink(exporterSide, TimeSource.system()), System.nanoTime() - 1);

    assertThat(reader.read(2)).containsExactly(1, 3);
    assertThat(reader.readByte()).isEqualTo(2);
    assertThat(reader.read(2)).containsExactly(0x12, 0x34);
  }

  @Test
  void missingBytesAfterTheDeadlineAreATimeout() throws Exception {
    gatewaySide.getOutputStream().write(new byte[] {1, 3});
    await().until(() -> exporterSide.getInputStream().available() == 2);
    ReplyReader reader =
        new ReplyReader(new TcpLink(exporterSide, TimeSource.system()), System.nanoTime() - 1);

    assertThatThrownBy(() -> reader.read(5))
        .isInstanceOfSatisfying(
            ModbusReadException.class, e -> assertThat(e.failure()).isEqualTo(FaultReason.TIMEOUT))
        .hasMessage("reply incomplete within the timeout");
  }

  @Test
  void silenceUntilTheDeadlineIsATimeout() throws Exception {
    ReplyReader reader =
        new ReplyReader(
            new TcpLink(exporterSide, TimeSource.system()), System.nanoTime() + 50_000_000L);

    assertThatThrownBy(() -> reader.read(5))
        .isInstanceOfSatisfying(
            ModbusReadException.class, e -> assertThat(e.failure()).isEqualTo(FaultReason.TIMEOUT))
        .hasMessage("no reply within the timeout");
  }
}
