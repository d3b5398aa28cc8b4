package org.orleans4j.metadata;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A silo's grain manifest as a cluster client asks its gateway for it (a typed system target, the
 * only one open to clients): the grain types implementing each grain interface.
 */
public interface RemoteManifest {

    /** Grain interface class name to the type names of the grain classes implementing it. */
    CompletableFuture<Map<String, List<String>>> manifest();
}
