package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodEnvironmentTest {

    @TempDir
    Path serviceAccount;

    private static KubernetesHostingProperties pod(String namespace, String name, String ip) {
        return new KubernetesHostingProperties(
                true,
                namespace,
                name,
                ip,
                2,
                false,
                true,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(1));
    }

    @Test
    void namespaceComesFromTheServiceAccountFileWhenPodNamespaceIsUnset() throws Exception {
        Path file = Files.writeString(serviceAccount.resolve("namespace"), "shop\n");

        PodEnvironment pod = PodEnvironment.resolve(pod(null, "cart-0", "10.0.0.3"), file);

        assertThat(pod).isEqualTo(new PodEnvironment("shop", "cart-0", "10.0.0.3"));
    }

    @Test
    void podNamespaceWinsOverTheServiceAccountFile() throws Exception {
        Path file = Files.writeString(serviceAccount.resolve("namespace"), "shop");

        assertThat(PodEnvironment.resolve(pod("prod", "cart-0", null), file).namespace())
                .isEqualTo("prod");
    }

    @Test
    void advertisedAddressIsThePodIpElseWhatThePodNameResolvesTo() {
        Path none = serviceAccount.resolve("absent");
        assertThat(PodEnvironment.resolve(pod("prod", "localhost", "10.0.0.3"), none)
                        .advertisedAddress())
                .isEqualTo("10.0.0.3");
        assertThat(PodEnvironment.resolve(pod("prod", "localhost", " "), none).advertisedAddress())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void anUnresolvablePodNameWithoutPodIpFailsNamingTheVariable() {
        PodEnvironment pod =
                PodEnvironment.resolve(pod("prod", "no-such-pod.invalid", null), serviceAccount.resolve("absent"));

        assertThatThrownBy(pod::advertisedAddress)
                .hasMessageContaining("POD_IP is not set")
                .hasMessageContaining("status.podIP");
    }
}
