package org.orleans4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SerializationPropertiesTest {

    public static final class Outer {
        public record Inner(String value) {}
    }

    private static final ClassLoader LOADER = SerializationPropertiesTest.class.getClassLoader();

    @Test
    void aNestedTypeMayBeNamedEitherWay() {
        String binary = Outer.Inner.class.getName();
        String canonical = Outer.Inner.class.getCanonicalName();
        assertThat(binary).contains("$");
        assertThat(new OrleansProperties.Serialization(List.of(binary, " " + canonical + " ")).allowedClasses(LOADER))
                .containsExactly(Outer.Inner.class, Outer.Inner.class);
    }

    @Test
    void aNameThatIsNoClassNamesTheProperty() {
        assertThatThrownBy(() -> new OrleansProperties.Serialization(List.of("com.example.Missing.Inner"))
                        .allowedClasses(LOADER))
                .hasMessageContaining("orleans.serialization.allowed-types")
                .hasMessageContaining("com.example.Missing.Inner");
    }
}
