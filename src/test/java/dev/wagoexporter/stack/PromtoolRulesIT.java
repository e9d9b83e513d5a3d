package dev.wagoexporter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagoexporter.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus configuration and rules, checked by promtool (Debian package prometheus).
 */
class PromtoolRulesIT {
  private static ExternalTool promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = ExternalTool.require("promtool", "prometheus");
  }

  @Test
  void shippedConfigIsValidAndFindsEveryRuleFile() {
    ExternalTool.Result result =
        promtool.run(RepoPaths.PROMETHEUS_DIR, "check", "config", "prometheus.yml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("SUCCESS: " + RepoPaths.ruleFiles().length + " rule files found");
  }

  @Test
  void everyRuleFileIsValid() {
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    for (Path file : RepoPaths.ruleFiles()) {
      args.add(RepoPaths.PROMETHEUS_DIR.relativize(file).toString());
    }

    ExternalTool.Result result =
        promtool.run(RepoPaths.PROMETHEUS_DIR, args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    Path tests = RepoPaths.PROMETHEUS_DIR.resolve("tests/rules_test.yml");
    ExternalTool.Result result =
        promtool.run(RepoPaths.PROMETHEUS_DIR, "test", "rules", "tests/rules_test.yml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
    assertThat(Files.readString(tests))
        .contains("../rules/alerts.yml", "../rules/energy.yml", "../rules/site.yml");
  }

  @Test
  void everyAlertAndRecordingRuleHasAUnitTest() throws Exception {
    String tests = Files.readString(RepoPaths.PROMETHEUS_DIR.resolve("tests/rules_test.yml"));
    List<String> untested = new ArrayList<>();
    for (ShippedRules.Rule rule : ShippedRules.load()) {
      boolean tested =
          rule.isAlert()
              ? tests.contains("alertname: " + rule.name() + "\n")
              : tests.contains(rule.name());
      if (!tested) {
        untested.add(rule.name());
      }
    }
    assertThat(untested).as("rules without a test in tests/rules_test.yml").isEmpty();
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws Exception {
    String tests = Files.readString(RepoPaths.PROMETHEUS_DIR.resolve("tests/rules_test.yml"));
    for (ShippedRules.Rule rule : ShippedRules.load()) {
      if (!rule.isAlert()) {
        continue;
      }
      List<String> expectations = new ArrayList<>();
      for (String block : tests.split("- eval_time: ")) {
        if (block.contains("alertname: " + rule.name() + "\n")) {
          expectations.add(block.contains("exp_alerts: []") ? "silent" : "firing");
        }
      }
      assertThat(expectations).as(rule.name()).contains("silent", "firing");
    }
  }
}
