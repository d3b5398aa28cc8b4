package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata of Kubernetes hosting: every {@code orleans.kubernetes.*} property is
 * described, and the health indicator's switch, which no properties record holds, is listed.
 */
class KubernetesConfigurationMetadataTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(String group) throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        JsonMapper mapper = JsonMapper.builder().build();
        for (URL url : Collections.list(KubernetesConfigurationMetadataTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                Object list = mapper.readValue(in, Map.class).get(group);
                if (list != null) {
                    all.addAll((List<Map<String, Object>>) list);
                }
            }
        }
        return all;
    }

    @Test
    void everyKubernetesPropertyHasADescription() throws IOException {
        List<Map<String, Object>> kubernetes = entries("properties").stream()
                .filter(p -> String.valueOf(p.get("name")).startsWith("orleans.kubernetes."))
                .toList();
        assertThat(kubernetes)
                .extracting(p -> p.get("name"))
                .contains("orleans.kubernetes.enabled", "orleans.kubernetes.max-agents");
        assertThat(kubernetes)
                .allSatisfy(p -> assertThat(String.valueOf(p.get("description")))
                        .as("description of %s", p.get("name"))
                        .isNotBlank()
                        .isNotEqualTo("null"));
    }

    @Test
    void theHealthIndicatorSwitchAndTheEnabledHintAreListed() throws IOException {
        assertThat(entries("properties"))
                .filteredOn(p -> "management.health.orleans-kubernetes.enabled".equals(p.get("name")))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.get("type")).isEqualTo("java.lang.Boolean");
                    assertThat(p.get("defaultValue")).isEqualTo(true);
                });
        assertThat(entries("hints")).extracting(h -> h.get("name")).contains("orleans.kubernetes.enabled");
    }
}
