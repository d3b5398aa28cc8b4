package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiloManifestTest {

    @Test
    void aManifestSurvivesItsTextForm() {
        SiloManifest manifest = new SiloManifest(
                "2.0.0", Set.of("Cart", "a.b.Gift$Inner"), Map.of("a.b.CartGrain", 3, "a.b.GiftGrain", 0));
        SiloManifest read = SiloManifest.fromText("2.0.0", manifest.toText());
        assertThat(read).isEqualTo(manifest);
        assertThat(read.hosts("Cart")).isTrue();
        assertThat(read.hosts("Order")).isFalse();
        assertThat(read.serves("a.b.CartGrain", 2))
                .as("a later version serves an earlier")
                .isTrue();
        assertThat(read.serves("a.b.CartGrain", 4)).isFalse();
        assertThat(read.serves("a.b.Unknown", 0)).isFalse();
        SiloManifest empty = new SiloManifest("", Set.of(), Map.of());
        assertThat(SiloManifest.fromText("", empty.toText())).isEqualTo(empty);
    }

    @Test
    void linesALaterBuildAddsAreIgnoredAndMalformedOnesRefused() {
        assertThat(SiloManifest.fromText("1", "types=A\nfuture=x,y\ninterfaces=I@1")
                        .interfaceVersions())
                .isEqualTo(Map.of("I", 1));
        assertThatThrownBy(() -> SiloManifest.fromText("1", "interfaces=I@x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("I@x");
        assertThatThrownBy(() -> SiloManifest.fromText("1", "types=" + "A".repeat(SiloManifest.MAX_TEXT_CHARS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void appVersionsOrderAsReleaseNumbers() {
        List<String> ordered =
                List.of("", "0.9", "1.2", "1.2.1", "1.9.3", "1.10.0-RC1", "1.10.0", "v11", "v42", "42.1");
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                assertThat(Integer.signum(AppVersions.compare(ordered.get(i), ordered.get(j))))
                        .as("%s vs %s", ordered.get(i), ordered.get(j))
                        .isEqualTo(Integer.signum(Integer.compare(i, j)));
            }
        }
        assertThat(AppVersions.compare("sha-abc", "sha-abd")).isNegative();
        assertThat(AppVersions.compare("2.0.0-RC2", "2.0.0-RC10")).isNegative();
    }
}
