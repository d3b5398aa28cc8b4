package org.orleans4j.spring.silo.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

/** Keeps references to other grains in its stored state. */
public interface FriendsGrain extends GrainWithStringKey {

    /** Adds {@code friend} and writes the state. */
    CompletableFuture<Void> befriend(GreeterGrain friend);

    /** Calls every friend read from the state. */
    CompletableFuture<List<String>> greetAll();
}
