package dev.wagoexporter.config;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How {@code /metrics} is served: plain HTTP, or TLS, and optionally behind basic auth. Read from
 * {@code --web.config.file}, in the format the Prometheus exporters share (exporter-toolkit):
 * {@code tls_server_config: {cert_file, key_file}} and {@code basic_auth_users: {name: bcrypt
 * hash}}.
 *
 * @param tls the certificate and key; none for plain HTTP
 * @param basicAuthUsers user name to bcrypt hash; empty for no authentication
 */
public record WebConfig(@Nullable TlsServerConfig tls, Map<String, String> basicAuthUsers) {
  /** Plain HTTP, no authentication: what runs without {@code --web.config.file}. */
  public static final WebConfig NONE = new WebConfig(null, Map.of());

  static final List<String> KEYS = List.of("tls_server_config", "basic_auth_users");

  /** exporter-toolkit keys that wago-exporter does not implement. */
  static final List<String> UNSUPPORTED = List.of("http_server_config", "rate_limit");

  /**
   * Modular crypt format of bcrypt: $2a$, $2b$ or $2y$, a two-digit cost, 22 salt and 31 hash
   * characters. Not $2x$: it marks hashes made by a PHP bug that weakened passwords with 8-bit
   * characters.
   */
  private static final Pattern BCRYPT_HASH =
      Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

  /**
   * Below 10 a hash is cheap to crack; every step above doubles each first check of a password
   * (cost 10 is ~0.1 s on a Raspberry Pi, 14 ~1.6 s, 16 ~7 s there and 17 s on a busy x86), and an
   * unknown user costs the highest configured cost too.
   */
  static final int MIN_COST = 10;

  static final int MAX_COST = 14;

  static final String HASH_FIX =
      "give a bcrypt hash, e.g. from: htpasswd -nBC 10 \"\" | tr -d ':\\n'";

  public WebConfig {
    basicAuthUsers = Map.copyOf(Objects.requireNonNull(basicAuthUsers, "basicAuthUsers"));
  }

  public boolean tlsEnabled() {
    return tls != null;
  }

  public boolean basicAuthEnabled() {
    return !basicAuthUsers.isEmpty();
  }

  /** Rejects anything that is not a bcrypt hash, such as a password written in clear. */
  static void checkUser(String user, String hash) {
    if (user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "user name '" + user + "' is empty or contains ':' (basic auth cannot carry it)");
    }
    if (!BCRYPT_HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException(
          "the password of '" + user + "' is not a bcrypt hash (" + HASH_FIX + ")");
    }
    // Parsed only: verifying would run bcrypt at the hash's cost during start-up.
    BCrypt.HashData parsed;
    try {
      parsed = BCrypt.Version.VERSION_2A.parser.parse(hash.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalBCryptFormatException e) {
      throw new IllegalArgumentException(
          "the bcrypt hash of '"
              + user
              + "' is malformed: "
              + e.getMessage()
              + " ("
              + HASH_FIX
              + ")",
          e);
    }
    if (parsed.cost < MIN_COST || parsed.cost > MAX_COST) {
      throw new IllegalArgumentException(
          "the bcrypt hash of '"
              + user
              + "' has cost "
              + parsed.cost
              + "; use a cost from "
              + MIN_COST
              + " to "
              + MAX_COST
              + ", e.g. htpasswd -nBC 10 \"\" | tr -d ':\\n'");
    }
  }

  static WebConfig read(YamlMapping yaml, Path directory) throws ConfigException {
    yaml.rejectUnsupported(
        UNSUPPORTED,
        "remove it; wago-exporter supports tls_server_config (cert_file, key_file) "
            + "and basic_auth_users, see docs/security.md");
    yaml.allowOnly(KEYS);
    TlsServerConfig tls = null;
    var tlsMapping =
        yaml.optionalMapping(
            "tls_server_config",
            "give cert_file and key_file under it, e.g. tls_server_config: {cert_file: server.crt, key_file: server.key}");
    if (tlsMapping.isPresent()) {
      tls = TlsServerConfig.read(tlsMapping.get(), directory);
    }
    Map<String, String> users =
        yaml.textEntries(
            "basic_auth_users",
            WebConfig::checkUser,
            "list users as name: bcrypt-hash lines, e.g. prometheus: $2y$10$...");
    if (yaml.has("basic_auth_users") && users.isEmpty()) {
      // An empty list would turn auth off without a word: a typo must not open the door.
      throw yaml.invalid(
          "basic_auth_users",
          "lists no users, which would leave /metrics without a password (add a user as name:"
              + " bcrypt-hash, e.g. prometheus: $2y$10$..., or remove basic_auth_users to turn"
              + " auth off)");
    }
    return new WebConfig(tls, users);
  }
}
