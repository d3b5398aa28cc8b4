package org.orleans4j.spring.kubernetes.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector ({@code a=b,c!=d,e,!f,g in (x,y),h notin (z)}). The fixture filters
 * lists and watches with it itself: fabric8's CRUD store silently ignores set-based requirements,
 * which would let a wrong selector pass a test, and watches need the same matching anyway.
 */
final class LabelSelector {

    static final LabelSelector EVERYTHING = new LabelSelector("", List.of());

    private static final String KEY = "[A-Za-z0-9][-A-Za-z0-9_./]*";
    private static final String VALUE = "[-A-Za-z0-9_.]*";
    private static final Pattern COMPARISON = Pattern.compile("(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")");
    private static final Pattern SET = Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)");
    private static final Pattern EXISTENCE = Pattern.compile("(!?)\\s*(" + KEY + ")");

    private final String text;
    private final List<Predicate<Map<String, String>>> requirements;

    private LabelSelector(String text, List<Predicate<Map<String, String>>> requirements) {
        this.text = text;
        this.requirements = requirements;
    }

    /**
     * Parses a selector; null or blank selects everything.
     *
     * @throws IllegalArgumentException for a requirement the API server would reject too
     */
    static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        for (String requirement : splitRequirements(text)) {
            requirements.add(requirement(requirement.trim()));
        }
        return new LabelSelector(text, List.copyOf(requirements));
    }

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(requirement -> requirement.test(labels));
    }

    @Override
    public String toString() {
        return text;
    }

    /** Splits on the commas between requirements, not those inside an {@code in (...)} list. */
    private static List<String> splitRequirements(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Predicate<Map<String, String>> requirement(String requirement) {
        Matcher comparison = COMPARISON.matcher(requirement);
        if (comparison.matches()) {
            String key = comparison.group(1);
            String value = comparison.group(3);
            // As in Kubernetes, "!=" also selects objects without the label.
            return comparison.group(2).equals("!=")
                    ? labels -> !value.equals(labels.get(key))
                    : labels -> value.equals(labels.get(key));
        }
        Matcher set = SET.matcher(requirement);
        if (set.matches()) {
            String key = set.group(1);
            Set<String> values =
                    Arrays.stream(set.group(3).split(",")).map(String::trim).collect(Collectors.toUnmodifiableSet());
            return set.group(2).equals("in")
                    ? labels -> labels.containsKey(key) && values.contains(labels.get(key))
                    : labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
        }
        Matcher existence = EXISTENCE.matcher(requirement);
        if (existence.matches()) {
            String key = existence.group(2);
            return existence.group(1).isEmpty()
                    ? labels -> labels.containsKey(key)
                    : labels -> !labels.containsKey(key);
        }
        throw new IllegalArgumentException("unable to parse requirement: " + requirement);
    }
}
