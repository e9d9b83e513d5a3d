package dev.wagoexporter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.report.MeterHistory;
import dev.wagoexporter.report.PrometheusClient;
import dev.wagoexporter.report.TimeSeries;
import dev.wagoexporter.testsupport.ExternalTool;
import dev.wagoexporter.testsupport.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
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
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", Path.of("scripts", name).toString()));
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
                  "--out",
                  work.resolve("backups").toString()));
      assertThat(result).startsWith("0\n");
      archive = Path.of(result.strip().lines().reduce((a, b) -> b).orElseThrow());
    }
    assertThat(archive).isRegularFile();
    assertThat(data.resolve("snapshots")).isEmptyDirectory();

    // the MANIFEST's checksums are those of the files in the archive
    Path unpacked = work.resolve("unpacked");
    Files.createDirectories(unpacked);
    assertThat(
            finish(new ProcessBuilder("tar", "-C", unpacked.toString(), "-xf", archive.toString())))
        .startsWith("0\n");
    Path inside = Files.list(unpacked).findFirst().orElseThrow();
    String manifest = Files.readString(inside.resolve("MANIFEST"));
    for (String file : List.of("prometheus.tar.gz", "grafana.db")) {
      byte[] bytes = Files.readAllBytes(inside.resolve(file));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(manifest).contains(sha + "  " + bytes.length + "  " + file);
    }
    assertThat(manifest)
        .contains("created: ")
        .contains("prometheus: 2.")
        .contains("prometheus blocks: ");

    deleteTree(data);
    Files.delete(grafanaDb);
    String restored =
        finish(
            script(
                "restore.sh",
                "--prometheus-data",
                data.toString(),
                "--grafana-db",
                grafanaDb.toString(),
                archive.toString()));
    assertThat(restored).startsWith("0\n").contains("files verified");

    try (PrometheusProcess prometheus = PrometheusProcess.startOnHistory(data, work, false)) {
      assertThat(query(prometheus)).isEqualTo(before);
    }
    assertThat(sqlite(grafanaDb, "select uid || '|' || title from dashboard;"))
        .isEqualTo("wago-energy|Energy");

    // restoring over data is refused without --force, and with it the old data is kept aside
    String refused =
        finish(script("restore.sh", "--prometheus-data", data.toString(), archive.toString()));
    assertThat(refused).startsWith("1\n").contains("already holds data");
    String forced =
        finish(
            script(
                "restore.sh", "--force", "--prometheus-data", data.toString(), archive.toString()));
    assertThat(forced).startsWith("0\n").contains("before-restore-");
  }

  @Test
  void aDamagedBackupIsRefusedBeforeAnythingIsTouched() throws Exception {
    Path dir = work.resolve("wago-backup-20260101T000000Z");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("grafana.db"), "original");
    String sha =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest("original".getBytes()));
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
