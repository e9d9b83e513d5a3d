package dev.wagoexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * HTTP basic auth against the bcrypt hashes of {@code basic_auth_users}. bcrypt is slow on purpose
 * (~0.1 s at cost 10 on a Pi): a successful check is remembered as a SHA-256 of user and password,
 * so Prometheus' scrape every 30 s costs one bcrypt per password change, not one per scrape, and
 * {@link #remembered} answers on the server's thread; only {@link #verify} costs a bcrypt and runs
 * on a small pool of its own (see {@link ExporterHttpServer}). An unknown user costs one bcrypt of
 * the configured users' cost, so timing does not tell which user names exist.
 */
final class BcryptAuthenticator {
  /** A user name and password from an {@code Authorization: Basic} header. */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[" + user + "]";
    }

    /** The credentials of a header; none when it is absent or not basic auth. */
    static @Nullable Credentials parse(@Nullable String header) {
      if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      return colon < 0
          ? null
          : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
  }

  private final Map<String, byte[]> hashes = new ConcurrentHashMap<>();
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

  /** Hash of a random password at the highest configured cost: the work for an unknown user. */
  private final byte[] dummyHash;

  BcryptAuthenticator(Map<String, String> users) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("basic auth needs at least one user");
    }
    users.forEach((user, hash) -> hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII)));
    int cost = users.values().stream().mapToInt(BcryptAuthenticator::cost).max().orElseThrow();
    this.dummyHash = BCrypt.withDefaults().hash(cost, "no such user".toCharArray());
  }

  /** The cost of a modular-crypt bcrypt hash, {@code $2y$COST$...}. */
  static int cost(String hash) {
    return Integer.parseInt(hash.substring(hash.indexOf('$', 1) + 1, hash.indexOf('$', 1) + 3));
  }

  /** True when these credentials were verified before: a hash lookup, no bcrypt. */
  boolean remembered(Credentials c) {
    byte[] known = verified.get(c.user());
    return known != null && MessageDigest.isEqual(known, digest(c)) && hashes.containsKey(c.user());
  }

  /** Checks the credentials with bcrypt: slow on purpose. */
  boolean verify(Credentials c) {
    byte[] hash = hashes.get(c.user());
    boolean ok =
        BCrypt.verifyer()
                .verify(
                    c.password().getBytes(StandardCharsets.UTF_8), hash != null ? hash : dummyHash)
                .verified
            && hash != null;
    if (ok) {
      verified.put(c.user(), digest(c));
    }
    return ok;
  }

  private static byte[] digest(Credentials c) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest((c.user() + '\0' + c.password()).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
