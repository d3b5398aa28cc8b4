package org.orleans4j.runtime;

import org.jspecify.annotations.Nullable;
import org.orleans4j.internal.OptionChecks;

/**
 * This silo's name (in Kubernetes: the pod name) and its role, which silo-role-based placement
 * matches against grain keys ({@code null} role: the silo name).
 */
public record SiloOptions(String siloName, @Nullable String roleName) {

    public SiloOptions {
        OptionChecks.requireText(siloName, "siloName");
    }

    public String effectiveRole() {
        return roleName == null || roleName.isBlank() ? siloName : roleName;
    }
}
