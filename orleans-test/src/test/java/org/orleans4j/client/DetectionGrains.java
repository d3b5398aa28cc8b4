package org.orleans4j.client;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.ReadOnly;

/** The grain of the failure detection process test: says which silo it lives on. */
public final class DetectionGrains {

    private DetectionGrains() {}

    public interface LocatedGrain extends GrainWithStringKey {
        /** The name of the silo this activation runs on; read-only, so a caller may retry it after a lost connection. */
        @ReadOnly
        CompletableFuture<String> siloName();
    }

    public static class LocatedGrainImpl extends GrainBase implements LocatedGrain {
        /** Set once by the silo JVM's main: one silo per JVM. */
        static volatile String siloName = "?";

        @Override
        public CompletableFuture<String> siloName() {
            return CompletableFuture.completedFuture(siloName);
        }
    }
}
