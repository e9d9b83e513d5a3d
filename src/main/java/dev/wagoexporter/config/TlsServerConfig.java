package dev.wagoexporter.config;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The exporter's TLS certificate and key, read and checked when the web config file is loaded, so a
 * wrong file is an error at start rather than at the first scrape.
 *
 * @param certFile PEM certificate, optionally followed by its chain
 * @param keyFile PEM private key in PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA, EC or Ed25519
 * @param context the server context made of them
 */
public record TlsServerConfig(Path certFile, Path keyFile, SSLContext context) {
  static final List<String> KEYS = List.of("cert_file", "key_file");

  /**
   * exporter-toolkit TLS settings that wago-exporter does not implement: ignoring them would
   * protect less than asked.
   */
  static final List<String> UNSUPPORTED =
      List.of(
          "client_auth_type",
          "client_ca_file",
          "client_allowed_sans",
          "min_version",
          "max_version",
          "cipher_suites",
          "prefer_server_cipher_suites",
          "curve_preferences",
          "cert",
          "key");

  static TlsServerConfig read(YamlMapping yaml, Path directory) throws ConfigException {
    yaml.rejectUnsupported(
        UNSUPPORTED,
        "remove it; wago-exporter supports cert_file and key_file (TLS 1.2 and 1.3 "
            + "with the JDK's defaults), see docs/security.md");
    yaml.allowOnly(KEYS);
    String certFix =
        "give the PEM certificate file, relative to this file, e.g. cert_file: server.crt";
    String keyFix =
        "give the PEM private key file, relative to this file, e.g. key_file: server.key";
    Path cert =
        yaml.requiredParsed(
            "cert_file", certFix, text -> PemCredentials.certificateFile(directory, text));
    Path key =
        yaml.requiredParsed("key_file", keyFix, text -> PemCredentials.keyFile(directory, text));
    SSLContext context =
        yaml.requiredParsed("key_file", keyFix, text -> PemCredentials.serverContext(cert, key));
    return new TlsServerConfig(cert, key, context);
  }
}
