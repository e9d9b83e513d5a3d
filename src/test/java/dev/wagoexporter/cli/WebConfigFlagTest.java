package dev.wagoexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code --web.config.file} with bad content ends the program at start: exit code 2, one line with
 * file and line.
 */
class WebConfigFlagTest {
  @Test
  void badWebConfigIsBadInput() throws Exception {
    Path bad = Path.of(getClass().getResource("/webconfig/bad-plaintext-password.yml").toURI());
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit =
          Main.commandLine()
              .execute("run", "--gateway", "127.0.0.1:1502", "--web.config.file", bad.toString());
    } finally {
      System.setErr(original);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "error: "
                + bad
                + ":2:15: basic_auth_users.prometheus: the password of 'prometheus' is not a bcrypt hash");
  }
}
