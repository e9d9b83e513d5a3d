package dev.wagoexporter.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Reads the PEM files of {@code tls_server_config} with the JDK alone: X.509 certificates, and a
 * PKCS#8 private key (RSA, EC or Ed25519). Other key encodings get an error that says how to
 * convert them. Every problem is an {@link IllegalArgumentException} whose message the config
 * loader prints with the file and line.
 */
final class PemCredentials {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519");
  private static final String TO_PKCS8 =
      "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8";

  private PemCredentials() {}

  static Path certificateFile(Path directory, String name) {
    Path file = readableFile(directory, name);
    certificates(file);
    return file;
  }

  static Path keyFile(Path directory, String name) {
    Path file = readableFile(directory, name);
    privateKey(file);
    return file;
  }

  /**
   * A TLS server context with the key and certificate chain; checks that the key belongs to the
   * certificate.
   */
  static SSLContext serverContext(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!belongTogether(key, chain.get(0))) {
      throw new IllegalArgumentException(
          "the key in "
              + keyFile
              + " does not belong to the certificate in "
              + certFile
              + " (give the key the certificate was issued for)");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot make a TLS context of "
              + certFile
              + " and "
              + keyFile
              + ": "
              + e.getMessage()
              + " (check that both are PEM files of one RSA, EC or Ed25519 key pair)");
    }
  }

  static Path readableFile(Path directory, String name) {
    Path file;
    try {
      file = directory.resolve(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a file path (give the path relative to this file)");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          file
              + " is not a readable file (check the path, relative to this file, "
              + "and that the exporter's user may read it)");
    }
    return file;
  }

  static List<X509Certificate> certificates(Path file) {
    try (var in = new ByteArrayInputStream(Files.readAllBytes(file))) {
      List<X509Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(
            file
                + " holds no certificate (give a PEM file starting with "
                + "-----BEGIN CERTIFICATE-----)");
      }
      return chain;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          file
              + " is not a PEM certificate: "
              + e.getMessage()
              + " (give a PEM file starting with -----BEGIN CERTIFICATE-----)");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + ": " + e.getMessage() + " (check its permissions)");
    }
  }

  static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + ": " + e.getMessage() + " (check its permissions)");
    }
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      String type = block.group(1);
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, Base64.getMimeDecoder().decode(block.group(2)));
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                file
                    + " holds a key as "
                    + type
                    + ", which is not supported: only unencrypted PKCS#8 (BEGIN PRIVATE KEY) is ("
                    + TO_PKCS8
                    + ")");
        default -> {
          // a certificate or parameters block in the same file: keep looking for the key
        }
      }
    }
    throw new IllegalArgumentException(
        file
            + " holds no PEM private key (give a PKCS#8 file starting with "
            + "-----BEGIN PRIVATE KEY-----; "
            + TO_PKCS8
            + ")");
  }

  private static PrivateKey pkcs8(Path file, byte[] der) {
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next key type
      }
    }
    throw new IllegalArgumentException(
        file
            + " holds a PKCS#8 key that is not RSA, EC or Ed25519, or is damaged "
            + "(make an RSA or EC key, e.g. openssl req -x509 -newkey rsa:2048 -nodes ...)");
  }

  /**
   * Signs a probe with the key and verifies it with the certificate: true only for a matching pair.
   */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "wago-exporter".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
