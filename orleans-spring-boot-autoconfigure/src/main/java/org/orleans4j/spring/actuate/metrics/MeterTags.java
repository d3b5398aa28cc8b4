package org.orleans4j.spring.actuate.metrics;

import java.util.Locale;

/** Tag keys and values shared by the silo's meters. Every value is bounded: never a grain id. */
final class MeterTags {

    /** The grain type name: one value per grain class of the silo. */
    static final String GRAIN_TYPE = "grain.type";

    private MeterTags() {}

    /** {@code SHUTTING_DOWN} becomes {@code shutting-down}, the style of Micrometer's own enum tags. */
    static String value(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
