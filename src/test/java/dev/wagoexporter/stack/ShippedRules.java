package dev.wagoexporter.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The recording and alerting rules in deploy/prometheus/rules, read from their YAML. */
final class ShippedRules {
  record Rule(Path file, String name, String expr, boolean isAlert) {}

  private ShippedRules() {}

  @SuppressWarnings("unchecked")
  static List<Rule> load() throws IOException {
    List<Rule> rules = new ArrayList<>();
    for (Path file : RepoPaths.ruleFiles()) {
      Map<String, Object> doc =
          (Map<String, Object>)
              new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          boolean alert = rule.containsKey("alert");
          String name = (String) (alert ? rule.get("alert") : rule.get("record"));
          rules.add(new Rule(file, name, ((String) rule.get("expr")).strip(), alert));
        }
      }
    }
    return rules;
  }
}
