package org.orleans4j.membership;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/** Another silo asked to probe a suspected silo for this one (indirect probing; a typed system target). */
public interface RemoteProber {

    /** Whether the silo answering reaches {@code target}. */
    CompletableFuture<Boolean> probe(SiloAddress target);
}
