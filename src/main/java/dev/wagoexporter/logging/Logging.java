package dev.wagoexporter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * Logging without a config file: logback, set up in code to write one line per event to standard
 * error, in logfmt (the default) or JSON, at {@code --log.level}. Logback finds this class through
 * {@code META-INF/services}, so it never looks for (or parses) a logback.xml.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class Logging extends ContextAwareBase implements Configurator {
  /**
   * Libraries chatter at info (Netty, the Modbus library, Jetty's version and every start and
   * stop): only their warnings are shown; the exporter's own line says where it serves.
   */
  private static final String[] QUIET_LIBRARIES = {
    "io.netty", "com.digitalpetri", "org.eclipse.jetty"
  };

  private static LogLevel level = LogLevel.INFO;
  private static LogFormat format = LogFormat.LOGFMT;
  private static boolean levelChosen;

  public Logging() {
    // instantiated by logback's ServiceLoader
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    install(context, LogLevel.INFO, LogFormat.LOGFMT);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Applies {@code --log.level}. */
  public static synchronized void setLevel(LogLevel newLevel) {
    level = newLevel;
    levelChosen = true;
    install(context(), level, format);
  }

  /** Applies {@code --log.format}. */
  public static synchronized void setFormat(LogFormat newFormat) {
    format = newFormat;
    install(context(), level, format);
  }

  /**
   * For commands whose output is the product ({@code check}, {@code report}): log lines would mix
   * into it, so only warnings and errors are logged unless the user chose a level.
   */
  public static synchronized void quietUnlessChosen() {
    if (!levelChosen) {
      install(context(), LogLevel.WARN, format);
    }
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }

  private static void install(LoggerContext context, LogLevel level, LogFormat format) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    LogLineLayout layout = new LogLineLayout(format);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    root.addAppender(stderr);
    root.setLevel(level.logback);
    Level libraries = level.logback.isGreaterOrEqual(Level.WARN) ? level.logback : Level.WARN;
    for (String name : QUIET_LIBRARIES) {
      context.getLogger(name).setLevel(level == LogLevel.DEBUG ? Level.INFO : libraries);
    }
  }
}
