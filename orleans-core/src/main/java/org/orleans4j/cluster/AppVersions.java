package org.orleans4j.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Orders application versions as release numbers: {@code 1.10.0} after {@code 1.9.3}, {@code 2.0.0}
 * after {@code 2.0.0-RC1}, {@code RC10} after {@code RC2}, and any version after none. Runs of digits
 * compare as numbers and other runs as text, so image tags such as {@code v42} order too; a blank
 * version is the oldest.
 */
public final class AppVersions {

    /** The order of application versions, oldest first. */
    public static final Comparator<String> ORDER = AppVersions::compare;

    private AppVersions() {}

    /**
     * Those of {@code items} whose version is the newest among them, in their order; {@code items} itself when
     * all have the same version (the common case allocates nothing).
     */
    public static <T> List<T> newestOf(List<T> items, Function<T, String> version) {
        String newest = null;
        boolean mixed = false;
        for (T item : items) {
            String v = version.apply(item);
            if (newest == null) {
                newest = v;
            } else if (!v.equals(newest)) {
                mixed = true;
                if (compare(v, newest) > 0) {
                    newest = v;
                }
            }
        }
        if (!mixed) {
            return items;
        }
        List<T> newestOnly = new ArrayList<>(items.size());
        for (T item : items) {
            if (version.apply(item).equals(newest)) {
                newestOnly.add(item);
            }
        }
        return newestOnly;
    }

    public static int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isBlank() || b.isBlank()) {
            return a.isBlank() ? (b.isBlank() ? 0 : -1) : 1;
        }
        a = withoutV(a);
        b = withoutV(b);
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        String baseA = dashA < 0 ? a : a.substring(0, dashA);
        String baseB = dashB < 0 ? b : b.substring(0, dashB);
        int byBase = compareParts(baseA, baseB);
        if (byBase != 0) {
            return byBase;
        }
        if (dashA < 0 || dashB < 0) {
            return dashA < 0 ? (dashB < 0 ? 0 : 1) : -1; // a release after its pre-releases
        }
        return compareParts(a.substring(dashA + 1), b.substring(dashB + 1));
    }

    /** {@code v1.2} is {@code 1.2}, as image tags often spell it. */
    private static String withoutV(String version) {
        return version.length() > 1
                        && (version.charAt(0) == 'v' || version.charAt(0) == 'V')
                        && Character.isDigit(version.charAt(1))
                ? version.substring(1)
                : version;
    }

    private static int compareParts(String a, String b) {
        String[] partsA = a.split("[.\\-]");
        String[] partsB = b.split("[.\\-]");
        for (int i = 0; i < Math.min(partsA.length, partsB.length); i++) {
            int byPart = comparePart(partsA[i], partsB[i]);
            if (byPart != 0) {
                return byPart;
            }
        }
        return Integer.compare(partsA.length, partsB.length);
    }

    /** Runs of digits numerically, other runs as text; a number after text ("2" after "rc"). */
    private static int comparePart(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int endA = runEnd(a, i);
            int endB = runEnd(b, j);
            String runA = a.substring(i, endA);
            String runB = b.substring(j, endB);
            boolean digitsA = Character.isDigit(a.charAt(i));
            boolean digitsB = Character.isDigit(b.charAt(j));
            int byRun;
            if (digitsA && digitsB) {
                String numberA = runA.replaceFirst("^0+(?=.)", "");
                String numberB = runB.replaceFirst("^0+(?=.)", "");
                byRun = numberA.length() != numberB.length()
                        ? Integer.compare(numberA.length(), numberB.length())
                        : numberA.compareTo(numberB);
            } else if (digitsA != digitsB) {
                byRun = digitsA ? 1 : -1;
            } else {
                byRun = runA.compareTo(runB);
            }
            if (byRun != 0) {
                return byRun;
            }
            i = endA;
            j = endB;
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int runEnd(String text, int start) {
        boolean digits = Character.isDigit(text.charAt(start));
        int end = start + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end)) == digits) {
            end++;
        }
        return end;
    }
}
