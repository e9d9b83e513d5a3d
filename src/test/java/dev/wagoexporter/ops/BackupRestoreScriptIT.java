package dev.wagoexporter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.report.MeterHistory;
import dev.wagoexporter.report.PrometheusClient;
import dev.wagoexporter.report.TimeSeries;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/backup.sh and scripts/restore.sh without Docker: a Prometheus with known data and a
 * Grafana SQLite database are backed up, deleted, restored, and queried again.
 */
class BackupRestoreScriptIT {
  private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-05-02T00:00:00Z");
  private static final String QUERY = "wago_system_active_energy_import_joules_total";

  @TempDir Path work;

  private List<TimeSeries> query(PrometheusProcess prometheus) throws Exception {
    PrometheusClient client = new PrometheusClient(prometheus.uri(), Duration.ofSeconds(30));
    return client.queryRange(QUERY, FROM, TO, Duration.ofMinutes(5));
  }

  private ProcessBuilder script(String name, String... args) {
    ExternalTool.require("curl", "curl");
    ExternalTool.require("tar", "tar");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                ExternalTool.require("bash", "bash").path().toString(),
                Path.of("scripts", name).toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Exit code, a newline, and the output; the run is killed and fails after two minutes. */
  private static String finish(ProcessBuilder command) {
    ExternalTool.Result result = ExternalTool.runToEnd(command, Duration.ofMinutes(2));
    return result.exitCode() + "\n" + result.output();
  }

  private static String sqlite(Path db, String sql) throws Exception {
    Path sqlite3 = ExternalTool.require("sqlite3", "sqlite3").path();
    ExternalTool.Result result =
        ExternalTool.runToEnd(
            new ProcessBuilder(sqlite3.toString(), db.toString(), sql), Duration.ofSeconds(30));
    String out = result.output().strip();
    assertThat(result.exitCode()).as(out).isZero();
    return out;
  }

  @Test
  void backupDeleteRestoreGivesTheSameQueryResult() throws Exception {
    Path data = work.resolve("prometheus");
    Path grafanaDb = work.resolve("grafana/grafana.db");
    Files.createDirectories(grafanaDb.getParent());
    MeterHistory history =
        new MeterHistory(
                "main", List.of(new MeterHistory.Phase("L1", 700, 0)), Duration.ofMinutes(5))
            .stretch(FROM.minusSeconds(3600), TO);
    PrometheusProcess.backfill(history.openMetricsPerStretch(), data, work);
    sqlite(
        grafanaDb,
        "create table dashboard(uid text, title text); insert into dashboard values('wago-energy','Energy');");

    // the site's settings beside compose.yaml: .env (readable by all on disk, by mistake),
    // overrides,
    // a drop-in scrape target; notes.txt is none of them and stays out
    Path site = work.resolve("site");
    Files.createDirectories(site.resolve("deploy/prometheus/targets.d"));
    Files.writeString(site.resolve(".env"), "GRAFANA_ADMIN_PASSWORD=secret\n");
    Files.setPosixFilePermissions(
        site.resolve(".env"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(site.resolve("compose.override.yaml"), "services: {}\n");
    Files.writeString(site.resolve("siblings.override.yml"), "networks: {}\n");
    Files.writeString(site.resolve("deploy/prometheus/targets.d/iot-api.yml"), "- targets: []\n");
    Files.writeString(site.resolve("notes.txt"), "not a setting\n");
    List<String> settings =
        List.of(
            ".env",
            "compose.override.yaml",
            "deploy/prometheus/targets.d/iot-api.yml",
            "siblings.override.yml");

    List<TimeSeries> before;
    Path archive;
    try (PrometheusProcess prometheus = PrometheusProcess.startOnHistory(data, work, true)) {
      before = query(prometheus);
      assertThat(before).singleElement().satisfies(s -> assertThat(s.samples()).hasSize(289));
      String result =
          finish(
              script(
                  "backup.sh",
                  "--prometheus-url",
                  prometheus.uri().toString(),
                  "--prometheus-data",
                  data.toString(),
                  "--grafana-db",
                  grafanaDb.toString(),
                  "--compose-dir",
                  site.toString(),
                  "--out",
                  work.resolve("backups").toString()));
      assertThat(result).startsWith("0\n");
      archive = Path.of(result.strip().lines().reduce((a, b) -> b).orElseThrow());
    }
    assertThat(archive).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
        .as("the backup holds .env's secrets")
        .isEqualTo("rw-------");
    assertThat(data.resolve("snapshots")).isEmptyDirectory();

    // the MANIFEST's checksums are those of the files in the archive
    Path unpacked = work.resolve("unpacked");
    Files.createDirectories(unpacked);
    assertThat(
            finish(new ProcessBuilder("tar", "-C", unpacked.toString(), "-xf", archive.toString())))
        .startsWith("0\n");
    Path inside;
    try (var entries = Files.list(unpacked)) {
      inside = entries.findFirst().orElseThrow();
    }
    String manifest = Files.readString(inside.resolve("MANIFEST"));
    for (String file : List.of("prometheus.tar.gz", "grafana.db", "config.tar.gz")) {
      byte[] bytes = Files.readAllBytes(inside.resolve(file));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(manifest).contains(sha + "  " + bytes.length + "  " + file);
    }
    String configListing =
        finish(
            new ProcessBuilder(
                "tar", "-tvzf", inside.resolve("config.tar.gz").toString(), "--exclude=*/"));
    assertThat(configListing.lines().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1)))
        .containsExactlyInAnyOrderElementsOf(settings);
    assertThat(configListing).containsPattern("(?m)^-rw------- .* \\.env$");
    assertThat(manifest)
        .contains("settings: ")
        .contains("created: ")
        .contains("prometheus: 2.")
        .contains("prometheus blocks: ");

    deleteTree(data);
    Files.delete(grafanaDb);
    // a site whose .env differs: refused without --force, before any data is touched
    Path otherSite = work.resolve("other-site");
    Files.createDirectories(otherSite);
    Files.writeString(otherSite.resolve(".env"), "GRAFANA_ADMIN_PASSWORD=other\n");
    String refusedSettings =
        finish(
            script(
                "restore.sh",
                "--with-config",
                "--compose-dir",
                otherSite.toString(),
                "--prometheus-data",
                data.toString(),
                "--grafana-db",
                grafanaDb.toString(),
                archive.toString()));
    assertThat(refusedSettings).startsWith("1\n").contains(".env in ", "nothing was changed");
    assertThat(otherSite.resolve(".env")).hasContent("GRAFANA_ADMIN_PASSWORD=other");
    assertThat(data).doesNotExist();
    assertThat(grafanaDb).doesNotExist();

    Path newSite = work.resolve("new-site");
    Files.createDirectories(newSite);
    String restored =
        finish(
            script(
                "restore.sh",
                "--with-config",
                "--compose-dir",
                newSite.toString(),
                "--prometheus-data",
                data.toString(),
                "--grafana-db",
                grafanaDb.toString(),
                archive.toString()));
    assertThat(restored).startsWith("0\n").contains("files verified", "settings put back");
    for (String setting : settings) {
      assertThat(newSite.resolve(setting)).hasSameTextualContentAs(site.resolve(setting));
    }
    assertThat(newSite.resolve("notes.txt")).doesNotExist();
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(newSite.resolve(".env"))))
        .isEqualTo("rw-------");

    try (PrometheusProcess prometheus = PrometheusProcess.startOnHistory(data, work, false)) {
      assertThat(query(prometheus)).isEqualTo(before);
    }
    assertThat(sqlite(grafanaDb, "select uid || '|' || title from dashboard;"))
        .isEqualTo("wago-energy|Energy");

    // restoring over data is refused without --force, and with it the old data is kept aside
    String refused =
        finish(script("restore.sh", "--prometheus-data", data.toString(), archive.toString()));
    assertThat(refused).startsWith("1\n").contains("already holds data", "nothing was changed");
    String forced =
        finish(
            script(
                "restore.sh", "--force", "--prometheus-data", data.toString(), archive.toString()));
    assertThat(forced)
        .startsWith("0\n")
        .contains("before-restore-")
        .contains("they were left alone (add --with-config to put them back)");
  }

  /**
   * A restore that fails half-way (here: the disk fills while Prometheus' data is unpacked) leaves
   * the data in place as it was, leaves nothing half-unpacked behind, and says what to do. The full
   * disk is a 64 KiB tmpfs mounted in a mount namespace of its own (unshare), so no root and no
   * real disk are needed; what is on it is listed from inside that namespace.
   */
  @Test
  void aRestoreThatFillsTheDiskLeavesTheDataAsItWas() throws Exception {
    byte[] incompressible = new byte[512 * 1024];
    new java.util.Random(20).nextBytes(incompressible);
    Path archive = handMadeBackup("prometheus.tar.gz", gzippedTar("chunks/000001", incompressible));
    Path disk = work.resolve("disk");
    Files.createDirectories(disk);
    Path unshare = ExternalTool.require("unshare", "util-linux").path();
    String script =
        """
        mount -t tmpfs -o size=64k tmpfs "$1" || exit 99
        mkdir "$1/prometheus" && echo old > "$1/prometheus/marker"
        bash scripts/restore.sh --force --prometheus-data "$1/prometheus" "$2"
        echo "exit=$?"
        ls -A "$1" "$1/prometheus"
        """;
    String result =
        finish(
            new ProcessBuilder(
                unshare.toString(),
                "--mount",
                "--map-root-user",
                "bash",
                "-c",
                script,
                "full-disk",
                disk.toString(),
                archive.toString()));
    assertThat(result)
        .startsWith("0\n")
        .containsPattern("tar: .*(No space left on device|Wrote only)")
        .contains("restore: unpacking Prometheus' data failed")
        .contains("/prometheus is unchanged", "run the restore again")
        .contains("exit=1");
    String listing = result.substring(result.indexOf("exit=1"));
    assertThat(listing).contains("marker").doesNotContain("restore-incoming", "before-restore");
  }

  /** A damaged gzip whose checksum is right (made so) fails in tar: the target stays as it was. */
  @Test
  void aTarErrorLeavesTheDataAsItWas() throws Exception {
    Path archive =
        handMadeBackup("prometheus.tar.gz", "not gzip at all".getBytes(StandardCharsets.UTF_8));
    Path data = work.resolve("live/prometheus");
    Files.createDirectories(data);
    Files.writeString(data.resolve("marker"), "old");
    String result =
        finish(
            script(
                "restore.sh", "--force", "--prometheus-data", data.toString(), archive.toString()));
    assertThat(result)
        .startsWith("1\n")
        .contains("restore: unpacking Prometheus' data failed", "is unchanged");
    try (var left = Files.list(data.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("prometheus");
    }
    try (var left = Files.list(data)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("marker");
    }
  }

  /** A backup as scripts/backup.sh lays it out, holding one file with its MANIFEST line. */
  private Path handMadeBackup(String file, byte[] content) throws Exception {
    Path dir = work.resolve("made/wago-backup-20260101T000000Z");
    Files.createDirectories(dir);
    Files.write(dir.resolve(file), content);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    Files.writeString(
        dir.resolve("MANIFEST"),
        "created: 2026-01-01T00:00:00Z\nfiles (sha256, bytes, name):\n"
            + sha
            + "  "
            + content.length
            + "  "
            + file
            + "\n");
    Path archive = work.resolve("made.tar");
    assertThat(
            finish(
                new ProcessBuilder(
                    "tar",
                    "-C",
                    dir.getParent().toString(),
                    "-cf",
                    archive.toString(),
                    dir.getFileName().toString())))
        .startsWith("0\n");
    return archive;
  }

  private byte[] gzippedTar(String name, byte[] content) throws Exception {
    Path tree = work.resolve("tree");
    Files.createDirectories(tree.resolve(name).getParent());
    Files.write(tree.resolve(name), content);
    Path tgz = work.resolve("tree.tar.gz");
    assertThat(
            finish(new ProcessBuilder("tar", "-C", tree.toString(), "-czf", tgz.toString(), ".")))
        .startsWith("0\n");
    return Files.readAllBytes(tgz);
  }

  @Test
  void aDamagedBackupIsRefusedBeforeAnythingIsTouched() throws Exception {
    Path dir = work.resolve("wago-backup-20260101T000000Z");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("grafana.db"), "original");
    String sha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("original".getBytes(StandardCharsets.UTF_8)));
    Files.writeString(
        dir.resolve("MANIFEST"),
        "created: 2026-01-01T00:00:00Z\nfiles (sha256, bytes, name):\n"
            + sha
            + "  8  grafana.db\n");
    Files.writeString(dir.resolve("grafana.db"), "tampered");
    Path archive = work.resolve("damaged.tar");
    assertThat(
            finish(
                new ProcessBuilder(
                    "tar",
                    "-C",
                    work.toString(),
                    "-cf",
                    archive.toString(),
                    dir.getFileName().toString())))
        .startsWith("0\n");
    Path target = work.resolve("live/grafana.db");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "live data");

    String result =
        finish(
            script("restore.sh", "--force", "--grafana-db", target.toString(), archive.toString()));
    assertThat(result).startsWith("1\n").contains("grafana.db fails its sha256 check");
    assertThat(target).hasContent("live data");
  }

  private static void deleteTree(Path root) throws Exception {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertThat(root).doesNotExist();
  }
}
