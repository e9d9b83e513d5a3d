package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wagoexporter.modbus.Framing;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatorOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code check} against simulated gateways over loopback: every verdict must be true. */
class CheckCommandIT {

  /** What a run printed and its exit code. */
  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Run check(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] withCheck = new String[args.length + 1];
    withCheck[0] = "check";
    System.arraycopy(args, 0, withCheck, 1, args.length);
    int code = cl.execute(withCheck);
    return new Run(code, out.toString(), err.toString());
  }

  private static MeterSimulator simulator(Framing framing, int unit) throws IOException {
    return MeterSimulator.start(
        SimulatorOptions.defaults().withFraming(framing).withUnitIds(Set.of(unit)));
  }

  private static String gateway(MeterSimulator sim) {
    return "127.0.0.1:" + sim.port();
  }

  @Test
  void twentyRunsInARowAgainstASingleClientTransparentGatewayAreAllRight() throws Exception {
    // The simulator's RTU-over-TCP transport serves one client at a time, as many transparent
    // gateways do: a check that reconnects, or leaves before the gateway let go, gets refused.
    try (MeterSimulator sim = simulator(Framing.RTU_OVER_TCP, 2)) {
      List<String> wrong = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Run run = check("--gateway", gateway(sim), "--unit-id", "2");
        if (run.exitCode() != 0
            || !run.out().contains("unit 2: meter found over rtu-over-tcp framing")
            || !run.out().contains("serial 22091039")) {
          wrong.add("run " + (i + 1) + " exit " + run.exitCode() + ":\n" + run.out() + run.err());
        }
      }
      assertThat(wrong).as("runs with a wrong verdict").isEmpty();
    }
  }

  @Test
  void aGatewayAnsweringException0BSaysNoMeterBehindIt() throws Exception {
    try (var gateway = new ModbusTcpGatewayWithoutMeter()) {
      for (String framing : List.of("tcp", "auto")) {
        Run run = check("--gateway", gateway.address(), "--unit-id", "1", "--framing", framing);
        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out())
            .as("framing " + framing)
            .contains("unit 1: the gateway answered exception 0B")
            .contains("unit 1: the gateway answered, no meter behind it at this unit id")
            .contains("RS485 wiring")
            .doesNotContain("may not be a WAGO");
      }
    }
  }

  @Test
  void modbusTcpForcedOnATransparentGatewayIsDiagnosedAsFraming() throws Exception {
    try (MeterSimulator sim = simulator(Framing.RTU_OVER_TCP, 2)) {
      Run run = check("--gateway", gateway(sim), "--unit-id", "2", "--framing", "tcp");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains("framing: you asked for tcp, but the gateway answers rtu-over-tcp")
          .contains("use --framing rtu-over-tcp")
          .doesNotContain("A/B swapped");
    }
  }

  @Test
  void rtuForcedOnAModbusTcpGatewayIsDiagnosedAsFraming() throws Exception {
    try (MeterSimulator sim = simulator(Framing.TCP, 2)) {
      Run run = check("--gateway", gateway(sim), "--unit-id", "2", "--framing", "rtu-over-tcp");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains("framing: you asked for rtu-over-tcp, but the gateway answers tcp")
          .contains("use --framing tcp")
          .doesNotContain("A/B swapped");
    }
  }

  @Test
  void theRightFramingForcedIsNoFramingProblem() throws Exception {
    try (MeterSimulator sim = simulator(Framing.RTU_OVER_TCP, 2)) {
      Run run = check("--gateway", gateway(sim), "--unit-id", "5", "--framing", "rtu-over-tcp");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("no meter answers at unit 5").doesNotContain("framing:");
    }
  }

  @Test
  void aScanFindsUnitTwoInOneSummaryLine() throws Exception {
    try (MeterSimulator sim = simulator(Framing.RTU_OVER_TCP, 2)) {
      Run run = check("--gateway", gateway(sim), "--scan-units", "1-5");
      assertThat(run.exitCode()).as(run.out()).isEqualTo(0);
      assertThat(run.lines()).containsOnlyOnce("meter found at unit 2");
      assertThat(run.lines().get(run.lines().size() - 1)).isEqualTo("meter found at unit 2");
      assertThat(run.out()).doesNotContain("likely cause").doesNotContain("unit 1:");
    }
  }

  @Test
  void aScanOverAGatewayWithoutMeterEndsWithOneHint() throws Exception {
    try (var gateway = new ModbusTcpGatewayWithoutMeter()) {
      Run run = check("--gateway", gateway.address(), "--scan-units", "1-10", "--framing", "tcp");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.lines()).contains("no meter found at unit ids 1-10");
      assertThat(run.out().split("likely cause", -1)).hasSize(2);
      assertThat(gateway.requests.get()).isEqualTo(10);
    }
  }

  @Test
  void badInputIsExitCodeTwoAndOneLine() {
    Run run = check("--gateway", "127.0.0.1:1", "--scan-units", "10-1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "error: --scan-units: '10-1' is not a range of unit ids like 1-10 (1..247)");
    Run unit = check("--gateway", "127.0.0.1:1", "--unit-id", "300");
    assertThat(unit.exitCode()).isEqualTo(2);
    assertThat(unit.err()).contains("--unit-id: unit id 300 is outside 1..247");
  }

  @Test
  void anUnreachableGatewayIsSaidSo() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Run run = check("--gateway", "127.0.0.1:" + closed);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("NOT reachable").contains("port 4196 in transparent mode");
  }

  @Test
  void aPortThatAcceptsAndNeverAnswersMayNotBeTheModbusPort() throws Exception {
    // a real web server (the JDK's): it waits for an HTTP request line a Modbus frame never ends
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.start();
    try {
      Run run = check("--gateway", "127.0.0.1:" + web.getAddress().getPort(), "--timeout", "300ms");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains("reachable (TCP connection accepted)")
          .contains("nothing came back at all")
          .contains("may not be the gateway's Modbus port")
          .doesNotContain("the gateway answered");
    } finally {
      web.stop(0);
    }
  }

  @Test
  void aHostNameThatDoesNotResolveIsSaidSo() {
    Run run = check("--gateway", "no-such-host.invalid:502");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.lines())
        .contains(
            "gateway no-such-host.invalid:502: NOT reachable: cannot connect to"
                + " no-such-host.invalid:502: the name 'no-such-host.invalid' does not resolve");
    assertThat(run.out()).contains("likely cause: the host name does not resolve");
  }

  /**
   * A stand-in for a Waveshare RS485 TO ETH (B) in Modbus TCP mode with no meter on its RS485 line:
   * it answers every well-formed Modbus TCP request with exception 0x0B (gateway target device
   * failed to respond) and closes a connection whose bytes are no MBAP header (an RTU frame).
   */
  static final class ModbusTcpGatewayWithoutMeter implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    final AtomicInteger requests = new AtomicInteger();

    ModbusTcpGatewayWithoutMeter() throws IOException {
      server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::accept, "fake-waveshare-gateway");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          serve(s.getInputStream(), s.getOutputStream());
        } catch (IOException e) {
          // client gone or server closed: take the next one
        }
      }
    }

    private void serve(InputStream rawIn, OutputStream out) throws IOException {
      DataInputStream in = new DataInputStream(rawIn);
      while (true) {
        byte[] header = new byte[7];
        in.readFully(header);
        int protocol = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        if (protocol != 0 || length < 2 || length > 254) {
          return; // not Modbus TCP: drop the connection
        }
        byte[] pdu = new byte[length - 1];
        in.readFully(pdu);
        requests.incrementAndGet();
        byte[] reply = {header[0], header[1], 0, 0, 0, 3, header[6], (byte) (pdu[0] | 0x80), 0x0B};
        out.write(reply);
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
