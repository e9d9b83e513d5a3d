package dev.wagoexporter.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The container's health check over TLS (deploy/docker/healthcheck.sh runs it when the exporter
 * speaks TLS; plain HTTP needs no JVM): {@code GET https://127.0.0.1:PORT/healthz}, exit 0 on 200,
 * else one line and exit 1. It asks its own exporter over loopback, by IP, so it checks neither the
 * certificate nor its names: a web config's certificate is for the names Prometheus uses, and the
 * question here is only whether the server answers.
 */
public final class HealthCheckClient {
  private static final int TIMEOUT_MS = 4_000;

  private HealthCheckClient() {}

  public static void main(String[] args) {
    if (args.length != 1 || !args[0].startsWith("https://127.0.0.1:")) {
      System.err.println("usage: HealthCheckClient https://127.0.0.1:PORT/healthz");
      System.exit(2);
    }
    try {
      HttpsURLConnection connection =
          (HttpsURLConnection) URI.create(args[0]).toURL().openConnection();
      connection.setSSLSocketFactory(trustingAnyCertificate().getSocketFactory());
      connection.setHostnameVerifier((host, session) -> true);
      connection.setConnectTimeout(TIMEOUT_MS);
      connection.setReadTimeout(TIMEOUT_MS);
      int status = connection.getResponseCode();
      try (InputStream body =
          status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      if (status != 200) {
        System.err.println("healthcheck: " + args[0] + " answered " + status);
        System.exit(1);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      System.err.println("healthcheck: " + args[0] + ": " + e);
      System.exit(1);
    }
  }

  private static SSLContext trustingAnyCertificate() throws GeneralSecurityException {
    TrustManager anyCertificate =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {anyCertificate}, null);
    return context;
  }
}
