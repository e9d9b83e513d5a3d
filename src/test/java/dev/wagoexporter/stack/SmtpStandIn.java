package dev.wagoexporter.stack;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the user's mail server: plain SMTP on loopback that accepts every message (no TLS,
 * no login) and keeps it, so that a test can read the e-mail Alertmanager sent.
 */
final class SmtpStandIn implements AutoCloseable {
  /** One received e-mail: its header lines and its text with quoted-printable decoded. */
  record Mail(List<String> headers, String text) {
    String subject() {
      return headers.stream()
          .filter(h -> h.startsWith("Subject: "))
          .map(h -> h.substring("Subject: ".length()))
          .findFirst()
          .orElse("");
    }
  }

  private final ServerSocket server;
  private final List<Mail> mails = new CopyOnWriteArrayList<>();

  private SmtpStandIn(ServerSocket server) {
    this.server = server;
  }

  static SmtpStandIn start() throws IOException {
    SmtpStandIn standIn =
        new SmtpStandIn(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread thread = new Thread(standIn::serve, "smtp-stand-in");
    thread.setDaemon(true);
    thread.start();
    return standIn;
  }

  String hostPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  List<Mail> mails() {
    return List.copyOf(mails);
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(30_000);
        session(socket);
      } catch (IOException e) {
        // closed by the test, or a client that went away: wait for the next one
      }
    }
  }

  private void session(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    reply(out, "220 stand-in ESMTP");
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO", "HELO" -> reply(out, "250 stand-in");
        case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 ok");
        case "DATA" -> {
          reply(out, "354 end with a dot");
          List<String> lines = new ArrayList<>();
          while ((line = in.readLine()) != null && !line.equals(".")) {
            lines.add(line.startsWith("..") ? line.substring(1) : line);
          }
          mails.add(parse(lines));
          reply(out, "250 queued");
        }
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        default -> reply(out, "502 not implemented");
      }
    }
  }

  private static void reply(Writer out, String line) throws IOException {
    out.write(line + "\r\n");
    out.flush();
  }

  private static Mail parse(List<String> lines) {
    int blank = lines.indexOf("");
    List<String> headers = blank < 0 ? lines : lines.subList(0, blank);
    String body = blank < 0 ? "" : String.join("\n", lines.subList(blank + 1, lines.size()));
    return new Mail(List.copyOf(headers), decodeQuotedPrintable(body));
  }

  /** RFC 2045 quoted-printable, which Alertmanager uses for the text part. */
  static String decodeQuotedPrintable(String text) {
    String joined = text.replace("=\n", "");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < joined.length(); i++) {
      char c = joined.charAt(i);
      if (c == '='
          && i + 2 < joined.length()
          && isHex(joined.charAt(i + 1))
          && isHex(joined.charAt(i + 2))) {
        bytes.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
