package org.orleans4j.cluster;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a silo hosts, as it publishes it in its membership row: the grain types it can activate and
 * the version of each grain interface they implement, with the application version of its build.
 * Placement reads it so that, while silos of two builds run side by side, a grain goes only to a
 * silo that has its class and a compatible version of the interface it was called through.
 *
 * @param appVersion the application version of the silo's build ({@code orleans.silo.app-version})
 * @param grainTypes the grain type names it can activate
 * @param interfaceVersions grain interface class name to its version on this silo (see
 *     {@link org.orleans4j.grain.Version})
 */
public record SiloManifest(String appVersion, Set<String> grainTypes, Map<String, Integer> interfaceVersions) {

    /** Longest manifest text read back: a row is bounded, whoever wrote it. */
    public static final int MAX_TEXT_CHARS = 1_000_000;

    public SiloManifest {
        appVersion = appVersion == null ? "" : appVersion;
        grainTypes = Set.copyOf(grainTypes);
        interfaceVersions = Map.copyOf(interfaceVersions);
    }

    /** Whether the silo can activate grains of {@code grainType}. */
    public boolean hosts(String grainType) {
        return grainTypes.contains(grainType);
    }

    /**
     * Whether the silo's activations can serve a call made through version {@code version} of
     * {@code grainInterface}: they have that version or a later one.
     */
    public boolean serves(String grainInterface, int version) {
        Integer local = interfaceVersions.get(grainInterface);
        return local != null && local >= version;
    }

    /**
     * The grain types and interface versions as text for a membership row (the app version has a column
     * of its own): {@code types=A,B} and {@code interfaces=I@2,J@0}, one per line. A reader ignores lines
     * it does not know, so a later build may add some.
     */
    public String toText() {
        return "types=" + String.join(",", new TreeSet<>(grainTypes)) + "\ninterfaces="
                + String.join(
                        ",",
                        new TreeMap<>(interfaceVersions)
                                .entrySet().stream()
                                        .map(e -> e.getKey() + "@" + e.getValue())
                                        .toList());
    }

    /**
     * Reads what {@link #toText()} wrote.
     *
     * @throws IllegalArgumentException if the text is too long or malformed
     */
    public static SiloManifest fromText(String appVersion, String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("a silo manifest of " + text.length() + " characters is too long");
        }
        Set<String> types = new TreeSet<>();
        Map<String, Integer> versions = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("types=")) {
                for (String type : items(line.substring("types=".length()))) {
                    types.add(type);
                }
            } else if (line.startsWith("interfaces=")) {
                for (String item : items(line.substring("interfaces=".length()))) {
                    int at = item.lastIndexOf('@');
                    if (at <= 0) {
                        throw new IllegalArgumentException("malformed interface version '" + item + "'");
                    }
                    try {
                        versions.put(item.substring(0, at), Integer.parseInt(item.substring(at + 1)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("malformed interface version '" + item + "'", e);
                    }
                }
            }
        }
        return new SiloManifest(appVersion, types, versions);
    }

    private static String[] items(String list) {
        return list.isEmpty() ? new String[0] : list.split(",");
    }
}
