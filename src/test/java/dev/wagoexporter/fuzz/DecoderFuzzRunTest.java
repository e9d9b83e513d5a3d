package dev.wagoexporter.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.config.Durations;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, coverage-guided fuzzing run of every decoder with the Jazzer driver, in a child JVM: the
 * fuzzer owns its process (libFuzzer, a Java agent, exit on the first finding). Duration from
 * {@code -Dfuzz.duration} (default 5s; {@code -Dfuzz.duration=30m} for a long run, see
 * docs/faults.md). A finding fails this test and leaves the input and a reproducer under {@code
 * target/fuzz-findings/}.
 *
 * <p>The {@code @FuzzTest} methods also run as ordinary tests on every seed in {@code
 * src/test/resources} (Jazzer's regression mode), so each seed and each committed finding is
 * checked in every build.
 */
class DecoderFuzzRunTest {
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);

  @Test
  void noDecoderFindingWithinTheFuzzDuration(@TempDir Path corpus) throws Exception {
    Duration duration =
        Durations.parse(System.getProperty("fuzz.duration", Durations.format(DEFAULT_DURATION)));
    seedCorpus(corpus);
    Path findings = Files.createDirectories(Paths.get("target", "fuzz-findings"));
    Path log = findings.resolve("fuzz.log");

    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + DecoderFuzzTarget.class.getName(),
                "--instrumentation_includes=dev.wagoexporter.**",
                // hooks in our classes only: instrumenting the YAML parser and JUnit costs start
                // time and memory for nothing
                "--custom_hook_includes=dev.wagoexporter.**",
                "--reproducer_path=" + findings,
                "-artifact_prefix=" + findings + "/",
                "-max_total_time=" + Math.max(1, duration.toSeconds()),
                // The JVM's resident size (heap, metaspace, JIT code, the agent) is no finding:
                // -Xmx bounds the heap, and a
                // Java OutOfMemoryError in a decoder is reported as a finding anyway.
                "-rss_limit_mb=0",
                corpus.toString()));
    Process fuzzer =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = fuzzer.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS);
    if (!ended) {
      fuzzer.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(ended)
        .as("fuzzer ended within its time plus two minutes to start; log: %s", log)
        .isTrue();
    assertThat(fuzzer.exitValue())
        .as("Jazzer found a failing input (see %s):%n%s", findings, tail(output))
        .isZero();
    assertThat(output).as("the fuzzer ran: %s", log).containsPattern("Done \\d+ runs");
  }

  /**
   * One corpus for the combined target: each seed of each decoder, prefixed with that decoder's
   * selector byte.
   */
  private static void seedCorpus(Path corpus) throws IOException, URISyntaxException {
    Path inputs = Paths.get(DecoderFuzzTarget.class.getResource("/dev/wagoexporter").toURI());
    for (int selector = 0; selector < DecoderFuzzTarget.TARGETS.size(); selector++) {
      Path dir = inputs.resolve(DecoderFuzzTarget.TARGETS.get(selector));
      assertThat(dir).as("seed corpus of decoder %d", selector).isDirectory();
      try (Stream<Path> seeds = Files.list(dir)) {
        for (Path seed : seeds.toList()) {
          byte[] bytes = Files.readAllBytes(seed);
          byte[] prefixed = new byte[bytes.length + 1];
          prefixed[0] = (byte) selector;
          System.arraycopy(bytes, 0, prefixed, 1, bytes.length);
          Files.write(corpus.resolve(selector + "-" + seed.getFileName()), prefixed);
        }
      }
    }
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
