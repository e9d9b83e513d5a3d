package dev.wagoexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One good web config and one small file per kind of bad input, each with the one line it must
 * print.
 */
class WebConfigLoaderTest {
  private static final Path DIR = directory();

  private static Path directory() {
    try {
      return Path.of(WebConfigLoaderTest.class.getResource("/webconfig/good.yml").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsTlsAndUsersWithPathsRelativeToTheFile() throws ConfigException {
    WebConfig web = WebConfigLoader.load(DIR.resolve("good.yml"));

    assertThat(web.tlsEnabled()).isTrue();
    assertThat(web.tls().certFile()).isEqualTo(DIR.resolve("server.crt"));
    assertThat(web.tls().keyFile()).isEqualTo(DIR.resolve("server.key"));
    assertThat(web.tls().context().getProtocol()).isEqualTo("TLS");
    assertThat(web.basicAuthUsers()).containsOnlyKeys("prometheus");
    assertThat(web.basicAuthUsers().get("prometheus")).startsWith("$2y$10$");
  }

  @Test
  void anEmptyFileMeansPlainHttpWithoutAuth(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("web.yml"), "# nothing yet\n");
    assertThat(WebConfigLoader.load(empty)).isEqualTo(WebConfig.NONE);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of(
            "bad-empty-users.yml",
            ":2:19: basic_auth_users: lists no users, which would leave /metrics without a password (add a user as name: bcrypt-hash, e.g. prometheus: $2y$10$..., or remove basic_auth_users to turn auth off)"),
        Arguments.of(
            "bad-plaintext-password.yml",
            ":2:15: basic_auth_users.prometheus: the password of 'prometheus' is not a bcrypt hash (give a bcrypt hash, e.g. from: htpasswd -nBC 10"),
        Arguments.of(
            "bad-hash-truncated.yml",
            ":2:15: basic_auth_users.prometheus: the password of 'prometheus' is not a bcrypt hash"),
        Arguments.of(
            "bad-hash-2x.yml",
            ":2:15: basic_auth_users.prometheus: the password of 'prometheus' is not a bcrypt hash"),
        Arguments.of(
            "bad-cost-low.yml",
            ":2:15: basic_auth_users.prometheus: the bcrypt hash of 'prometheus' has cost 9; use a cost from 10 to 14"),
        Arguments.of(
            "bad-cost-high.yml",
            ":2:15: basic_auth_users.prometheus: the bcrypt hash of 'prometheus' has cost 31; use a cost from 10 to 14"),
        Arguments.of(
            "bad-unknown-key.yml",
            ":1:1: basic_auth_user: unknown key 'basic_auth_user' (did you mean 'basic_auth_users'?"),
        Arguments.of(
            "bad-unsupported-tls-option.yml",
            ":4:3: tls_server_config.min_version: 'min_version' is not supported by wago-exporter (remove it;"),
        Arguments.of(
            "bad-unsupported-http-config.yml",
            ":1:1: http_server_config: 'http_server_config' is not supported by wago-exporter"),
        Arguments.of(
            "bad-missing-key-file.yml",
            ":2:3: tls_server_config.key_file: missing (give the PEM private key file"),
        Arguments.of(
            "bad-cert-not-found.yml",
            ":2:14: tls_server_config.cert_file: "
                + DIR.resolve("no-such.crt")
                + " is not a readable file"),
        Arguments.of(
            "bad-pkcs1-key.yml",
            ":3:13: tls_server_config.key_file: "
                + DIR.resolve("rsa-pkcs1.key")
                + " holds a key as RSA PRIVATE KEY, which is not supported: only unencrypted PKCS#8 (BEGIN PRIVATE KEY) is (convert it with: openssl pkcs8 -topk8"),
        Arguments.of(
            "bad-key-not-matching.yml",
            ":3:13: tls_server_config.key_file: the key in "
                + DIR.resolve("other.key")
                + " does not belong to the certificate in "
                + DIR.resolve("server.crt")),
        Arguments.of(
            "bad-key-as-cert.yml",
            ":2:14: tls_server_config.cert_file: "
                + DIR.resolve("server.key")
                + " is not a PEM certificate"),
        Arguments.of(
            "bad-tls-not-mapping.yml",
            ":1:20: tls_server_config: expected a mapping, got 'server.crt'"));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void badInputGivesOneLineWithFileAndLine(String file, String expected) {
    Path path = DIR.resolve(file);
    assertThatThrownBy(() -> WebConfigLoader.load(path))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).startsWith(path + expected);
              assertThat(e.getMessage()).doesNotContain("\n");
            });
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = DIR.resolve("absent.yml");
    assertThatThrownBy(() -> WebConfigLoader.load(missing))
        .hasMessage(missing + ": cannot read web config file: no such file");
  }
}
