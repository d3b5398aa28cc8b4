package org.orleans4j.spring.kubernetes.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod verbs the caller's (pretend) RBAC role currently lacks. Tests flip them while clients
 * run, hence a concurrent set.
 */
final class ForbiddenVerbs {

    private final Set<String> verbs = ConcurrentHashMap.newKeySet();

    void forbid(String verb) {
        verbs.add(checked(verb));
    }

    void allow(String verb) {
        verbs.remove(checked(verb));
    }

    void allowAll() {
        verbs.clear();
    }

    boolean forbids(String verb) {
        return verbs.contains(verb);
    }

    /** Rejects a misspelt verb, which would otherwise make a test pass for the wrong reason. */
    private static String checked(String verb) {
        if (!ApiRequest.VERBS.contains(verb)) {
            throw new IllegalArgumentException("not a pod verb: " + verb + " (one of " + ApiRequest.VERBS + ")");
        }
        return verb;
    }
}
