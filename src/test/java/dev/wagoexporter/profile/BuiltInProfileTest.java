package dev.wagoexporter.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The built-in profile, written in Java so that a start parses no YAML, against the YAML file users
 * copy as the reference: both must give the same profile, every metric, point and bound alike.
 */
class BuiltInProfileTest {
  private static Profile shippedYaml() throws IOException, ProfileException {
    String resource = "/profiles/" + ProfileLoader.BUILT_IN + ".yaml";
    try (InputStream in = ProfileLoader.class.getResourceAsStream(resource)) {
      assertThat(in).as("%s in the jar", resource).isNotNull();
      return ProfileLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    }
  }

  @Test
  void theBuiltInProfileIsWhatTheShippedYamlSays() throws Exception {
    Profile yaml = shippedYaml();
    Profile java = ProfileLoader.load(ProfileLoader.BUILT_IN);
    assertThat(java.name()).isEqualTo(yaml.name());
    assertThat(java.description()).isEqualTo(yaml.description());
    assertThat(java.functionCode()).isEqualTo(yaml.functionCode());
    assertThat(java.identity()).isEqualTo(yaml.identity());
    // metric by metric first, so that a difference names the metric
    assertThat(java.metrics()).hasSameSizeAs(yaml.metrics());
    for (int i = 0; i < yaml.metrics().size(); i++) {
      assertThat(java.metrics().get(i)).as("metrics[%d]", i).isEqualTo(yaml.metrics().get(i));
    }
    assertThat(java).isEqualTo(yaml);
  }

  @Test
  void loadingTheBuiltInProfileParsesNoYaml() throws Exception {
    // a fresh class loader that sees the exporter's classes but not SnakeYAML: the built-in profile
    // must load without it (a start without --config keeps the YAML parser off the class path)
    ClassLoader parent = ClassLoader.getPlatformClassLoader();
    var urls =
        new java.net.URL[] {
          ProfileLoader.class.getProtectionDomain().getCodeSource().getLocation()
        };
    try (var loader = new java.net.URLClassLoader(urls, parent)) {
      Class<?> yamlClass = null;
      try {
        yamlClass = Class.forName("org.snakeyaml.engine.v2.api.LoadSettings", false, loader);
      } catch (ClassNotFoundException expected) {
        // as intended: SnakeYAML is not visible to this loader
      }
      assertThat(yamlClass).isNull();
      Object profile =
          Class.forName(ProfileLoader.class.getName(), true, loader)
              .getMethod("load", String.class)
              .invoke(null, ProfileLoader.BUILT_IN);
      assertThat(profile.toString()).contains("wago_voltage_volts");
    }
  }
}
