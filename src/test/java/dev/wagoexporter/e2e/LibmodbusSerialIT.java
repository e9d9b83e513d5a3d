package dev.wagoexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagoexporter.config.SerialConfig;
import dev.wagoexporter.modbus.BusConnection;
import dev.wagoexporter.modbus.ConnectionPolicy;
import dev.wagoexporter.modbus.ReadRequest;
import dev.wagoexporter.profile.MetricDefinition;
import dev.wagoexporter.profile.Profile;
import dev.wagoexporter.profile.ProfileLoader;
import dev.wagoexporter.profile.RegisterPoint;
import dev.wagoexporter.sim.MeterSimulator;
import dev.wagoexporter.sim.SimulatedMeter;
import dev.wagoexporter.testsupport.ChildProcess;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.FreePort;
import dev.wagoexporter.testsupport.LibmodbusProgram;
import dev.wagoexporter.testsupport.PtyLine;
import dev.wagoexporter.testsupport.Timeouts;
import dev.wagoexporter.time.TimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wago-exporter run --serial DEVICE --unit-id 2}, the packaged jar as users run it, against
 * an independent Modbus RTU slave: a small libmodbus program (Debian's libmodbus-dev, compiled here
 * with gcc) on the other end of a socat pseudo-terminal pair, the stand-in for a USB RS485 stick
 * and its cable. The slave serves the simulator's register image, so every value is known; it
 * prints every request it receives, so the test sees each function code the exporter sent.
 */
class LibmodbusSerialIT {
  private static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(60));
  private static final Pattern REQUEST = Pattern.compile("request fc=(\\d+)");
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @TempDir Path dir;

  private PtyLine line;
  private ChildProcess slave;
  private ChildProcess exporter;
  private SimulatedMeter meter;
  private Profile profile;

  @BeforeEach
  void startSlave() throws Exception {
    Path binary =
        LibmodbusProgram.compile(ROOT.resolve("src/test/resources/serial/rtu_slave.c"), dir);

    profile = ProfileLoader.load(ProfileLoader.BUILT_IN);
    try (MeterSimulator sim = Harness.startSimulator(dev.wagoexporter.modbus.Framing.TCP, 0)) {
      meter = sim.meter(Harness.UNIT);
      StringBuilder registers = new StringBuilder();
      for (int address = 0x4000; address < 0x6100; address++) {
        try {
          registers.append(address).append(' ').append(meter.registerAt(address)).append('\n');
        } catch (IllegalArgumentException outsideTheMap) {
          // the meter has no register there: libmodbus answers 0, the exporter never reads it
        }
      }
      Files.writeString(dir.resolve("registers.txt"), registers);
    }

    line = PtyLine.pair(dir);
    slave =
        ChildProcess.start(
            List.of(
                binary.toString(),
                line.meterEnd().toString(),
                String.valueOf(Harness.UNIT),
                dir.resolve("registers.txt").toString()),
            dir.resolve("slave.log"));
    await("libmodbus slave ready").atMost(WAIT).until(() -> slave.log().contains("ready on"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (exporter != null) {
      exporter.close();
    }
    if (slave != null) {
      slave.close();
    }
    if (line != null) {
      line.close();
    }
  }

  /** Runs the packaged jar to its end and returns its exit code and output. */
  private static ExternalTool.Result jar(Path dir, String... args) {
    Path jar = ROOT.resolve("target/wago-exporter.jar");
    assertThat(jar).as("run integration tests with mvn verify, after package").isRegularFile();
    List<String> command =
        new ArrayList<>(List.of("-Djava.io.tmpdir=" + dir, "-jar", jar.toString()));
    command.addAll(List.of(args));
    return new ExternalTool(Path.of(System.getProperty("java.home"), "bin", "java"))
        .run(dir, command.toArray(String[]::new));
  }

  @Test
  void checkSerialShowsTheMeterOnTheStickWithItsValuesReadFromTheProfile() {
    ExternalTool.Result check =
        jar(dir, "check", "--serial", line.device().toString(), "--unit-id", "2");

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output())
        .contains("unit 2: meter found on " + line.device() + " at 9600 8E1 (Modbus RTU)")
        .contains("serial 22091039, model 879-30xx 4PS, firmware 2.18, data format 1 (float, ok)")
        // the values at the profile's registers, as the slave serves them, formatted as check does
        .contains(
            String.format(
                Locale.ROOT,
                "now: L1 %.1f V, L2 %.1f V, L3 %.1f V, frequency %.2f Hz",
                valueAt("wago_voltage_volts", "L1"),
                valueAt("wago_voltage_volts", "L2"),
                valueAt("wago_voltage_volts", "L3"),
                valueAt("wago_frequency_hertz", null)));
    assertThat(slave.log()).doesNotContainPattern("request fc=(?!3\\b)");
  }

  @Test
  void checkSerialScanFindsTheMeterAmongSilentUnitIds() {
    ExternalTool.Result check =
        jar(
            dir,
            "check",
            "--serial",
            line.device().toString(),
            "--scan-units",
            "1-3",
            "--timeout",
            "300ms");

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output())
        .contains("unit 2: meter found on " + line.device())
        .contains("meter found at unit 2")
        .doesNotContain("unit 1:")
        .doesNotContain("trying the common line settings");
  }

  /** The simulated meter's value of a profile metric, scaled: the point with {@code label}. */
  private double valueAt(String metric, String label) {
    MetricDefinition m =
        profile.metrics().stream().filter(d -> d.name().equals(metric)).findFirst().orElseThrow();
    RegisterPoint p =
        m.points().stream()
            .filter(q -> label == null || q.labels().containsValue(label))
            .findFirst()
            .orElseThrow();
    return meter.floatAt(p.address()) * m.scale();
  }

  /**
   * On a pseudo-terminal every line setting carries the bytes, so no setting can be the only one
   * that answers here; a unit nobody has shows that the search tries each setting on the one open
   * port and ends with a clear word.
   */
  @Test
  void checkSerialTriesTheCommonLineSettingsWhenNothingAnswers() {
    ExternalTool.Result check =
        jar(
            dir,
            "check",
            "--serial",
            line.device().toString(),
            "--unit-id",
            "5",
            "--timeout",
            "300ms");

    assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
    assertThat(check.output())
        .contains("unit 5: no reply within the timeout")
        .contains("likely cause: no meter answers at unit 5 at 9600 8E1")
        .contains("trying the common line settings")
        .contains("9600 8N1: no reply within the timeout")
        .contains("19200 8E1: no reply within the timeout")
        .contains("38400 8N1: no reply within the timeout")
        .contains("no meter answered at unit 5 with any common line setting");
  }

  @Test
  void checkSerialOfAMissingStickSaysSo() {
    Path missing = dir.resolve("ttyUSB9");
    ExternalTool.Result check = jar(dir, "check", "--serial", missing.toString());

    assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
    assertThat(check.output())
        .contains(missing + ": no such device \u2014 is the stick plugged in?")
        .contains("likely cause: the stick is not there");
  }

  @Test
  void theShadedJarKeepsTheNativeLibraryForThePiAndForX86() throws Exception {
    try (var jar = new java.util.zip.ZipFile(ROOT.resolve("target/wago-exporter.jar").toFile())) {
      for (String arch : List.of("armv8_64", "armv7hf", "x86_64")) {
        assertThat(jar.getEntry("Linux/" + arch + "/libjSerialComm.so")).as(arch).isNotNull();
      }
    }
  }

  @Test
  void runSerialReadsEveryValueExactlyAndSendsNothingButReads() throws Exception {
    Path jar = ROOT.resolve("target/wago-exporter.jar");
    assertThat(jar).as("run integration tests with mvn verify, after package").isRegularFile();
    int port = FreePort.onLoopback();
    exporter =
        ChildProcess.start(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir,
                "-jar",
                jar.toString(),
                "run",
                "--serial",
                line.device().toString(),
                "--unit-id",
                String.valueOf(Harness.UNIT),
                "--listen",
                "127.0.0.1:" + port,
                "--poll-interval",
                "1s"),
            dir.resolve("exporter.log"));

    await("exporter up")
        .atMost(WAIT)
        .failFast("the exporter exited", () -> !exporter.alive())
        .ignoreExceptions()
        .until(() -> Scrape.of(port).up() == 1.0);
    Scrape scrape = Scrape.of(port);
    assertThat(ExporterEndToEndIT.deviceSeries(scrape))
        .as(exporter.log())
        .isEqualTo(Harness.expectedValues(profile, meter, "main", false));
    assertThat(
            scrape.get(
                "wago_meter_info{firmware=\"2.18\",meter=\"main\",model=\"879-30xx 4PS\",serial=\"22091039\"}"))
        .isEqualTo(1.0);
    assertThat(scrape.errors("crc") + scrape.errors("mismatch") + scrape.errors("timeout"))
        .isZero();

    List<Integer> functionCodes = new ArrayList<>();
    Matcher m = REQUEST.matcher(slave.log());
    while (m.find()) {
      functionCodes.add(Integer.parseInt(m.group(1)));
    }
    assertThat(functionCodes).as("identity and two blocks at least").hasSizeGreaterThanOrEqualTo(3);
    assertThat(functionCodes).as("every request the slave received").containsOnly(3);
  }

  /**
   * A stopped exporter, then {@code check}, or a reopen after a fault: the same device opened, read
   * and closed ten times in a row at 8E1 (the WAGO default), each read answered by the slave.
   */
  @Test
  void theSerialPortOpensAgainAfterItWasClosed() throws Exception {
    for (int i = 0; i < 10; i++) {
      try (BusConnection connection =
          new BusConnection(
              SerialConfig.factoryDefault(line.device().toString()),
              ConnectionPolicy.polling(Duration.ZERO, Duration.ofSeconds(1)),
              TimeSource.system())) {
        byte[] serial =
            connection.read(
                new ReadRequest(
                    Harness.UNIT, 3, 0x4000, 2, Timeouts.scaled(Duration.ofSeconds(2))));
        assertThat(serial).as("read after open number %d", i + 1).hasSize(4);
      }
    }
  }
}
