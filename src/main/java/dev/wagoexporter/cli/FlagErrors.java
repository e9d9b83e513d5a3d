package dev.wagoexporter.cli;

import dev.wagoexporter.config.ValueText;
import java.lang.reflect.AnnotatedElement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one-line message for a bad flag: {@code --from: '2026-02-30' is not a date; ...}. A value
 * that came from an environment variable (Compose's {@code WAGO_POLL_INTERVAL=30}) is named by that
 * variable, not by a flag the user never typed.
 */
final class FlagErrors {
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

  /** picocli's prefix for a value its converter rejected. */
  private static final Pattern INVALID_VALUE =
      Pattern.compile("^Invalid value for option '([^']+)': (.*)$", Pattern.DOTALL);

  private FlagErrors() {}

  static String describe(ParameterException ex, String[] args) {
    String badBoolean = valueAfterBooleanFlag(ex, args);
    if (badBoolean != null) {
      return badBoolean;
    }
    Matcher invalid = INVALID_VALUE.matcher(ex.getMessage());
    ArgSpec spec = ex.getArgSpec();
    if (spec == null && invalid.matches()) {
      // a default value (an environment variable) that failed conversion comes without its option
      spec = ex.getCommandLine().getCommandSpec().findOption(invalid.group(1));
    }
    String variable = variableBehind(spec, args);
    if (variable != null) {
      return variable
          + "="
          + System.getenv(variable)
          + ": "
          + (invalid.matches() ? invalid.group(2) : ex.getMessage());
    }
    if (invalid.matches()) {
      return typedName(spec, args, invalid.group(1)) + ": " + invalid.group(2);
    }
    return ex.getMessage()
        + " (see "
        + ex.getCommandLine().getCommandSpec().qualifiedName()
        + " --help)";
  }

  /**
   * {@code --legacy-metrics yes}: a flag that may stand alone for true takes only true or false
   * after it, so picocli calls "yes" an unmatched argument; it is said as a bad boolean, as in the
   * file.
   */
  private static @Nullable String valueAfterBooleanFlag(ParameterException ex, String[] args) {
    if (!(ex instanceof UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return null;
    }
    String value = unmatched.getUnmatched().get(0);
    for (int i = 1; i < args.length; i++) {
      OptionSpec option = ex.getCommandLine().getCommandSpec().findOption(args[i - 1]);
      if (args[i].equals(value)
          && option != null
          && (option.type() == Boolean.class || option.type() == boolean.class)) {
        return args[i - 1]
            + ": "
            + ValueText.notBoolean(ValueText.quoted(value))
            + " ("
            + ValueText.BOOLEAN_FIX
            + ", or give "
            + args[i - 1]
            + " alone for true)";
      }
    }
    return null;
  }

  /**
   * The name the user typed for an option with several ({@code --listen} or {@code
   * --web.listen-address}); picocli names the longest.
   */
  private static String typedName(@Nullable ArgSpec spec, String[] args, String picocliName) {
    if (!(spec instanceof OptionSpec option)) {
      return picocliName;
    }
    String typed = picocliName;
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          typed = name;
        }
      }
    }
    return typed;
  }

  /**
   * The environment variable the option's value came from: the option has one as its default, it is
   * set, and the option is not on the command line.
   */
  static @Nullable String variableBehind(@Nullable ArgSpec spec, String[] args) {
    if (!(spec instanceof OptionSpec option)) {
      return null;
    }
    // picocli hands out the default already interpolated: the annotation has it as written
    String raw =
        option.userObject() instanceof AnnotatedElement element
                && element.getAnnotation(Option.class) != null
            ? element.getAnnotation(Option.class).defaultValue()
            : option.defaultValue();
    Matcher m = raw == null ? null : ENV_DEFAULT.matcher(raw);
    if (m == null || !m.find() || System.getenv(m.group(1)) == null) {
      return null;
    }
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          return null;
        }
      }
    }
    return m.group(1);
  }
}
