package dev.wagoexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic auth against the bcrypt hashes of {@code basic_auth_users}. bcrypt is slow on purpose
 * (~0.1 s at cost 10 on a Pi): a successful check is remembered as a SHA-256 of the password, so
 * Prometheus' scrape every 30 s costs one bcrypt per password change, not one per scrape. An
 * unknown user still costs one bcrypt, so timing does not tell which user names exist.
 */
final class BcryptAuthenticator extends BasicAuthenticator {
  /** Hash of a random password: the work for an unknown user. */
  private static final byte[] DUMMY_HASH =
      BCrypt.withDefaults().hash(10, "no such user".toCharArray());

  private final Map<String, byte[]> hashes;
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

  BcryptAuthenticator(String realm, Map<String, String> users) {
    super(realm, StandardCharsets.UTF_8);
    this.hashes = new ConcurrentHashMap<>();
    users.forEach((user, hash) -> hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public boolean checkCredentials(String user, String password) {
    byte[] hash = hashes.get(user);
    byte[] digest = sha256(user + '\0' + password);
    if (hash != null) {
      byte[] known = verified.get(user);
      if (known != null && MessageDigest.isEqual(known, digest)) {
        return true;
      }
    }
    byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
    boolean ok =
        BCrypt.verifyer().verify(passwordBytes, hash != null ? hash : DUMMY_HASH).verified
            && hash != null;
    if (ok) {
      verified.put(user, digest);
    }
    return ok;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
