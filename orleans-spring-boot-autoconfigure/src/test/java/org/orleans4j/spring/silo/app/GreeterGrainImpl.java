package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.placement.HashBasedPlacement;

/** Found by scanning (no stereotype); constructor injection of an ordinary bean. */
@HashBasedPlacement
public class GreeterGrainImpl extends GrainBase implements GreeterGrain {

    static final AtomicInteger INSTANCES = new AtomicInteger();

    private final GrainTestApplication.Greeting greeting;
    private final int number = INSTANCES.incrementAndGet();

    public GreeterGrainImpl(GrainTestApplication.Greeting greeting) {
        this.greeting = greeting;
    }

    @Override
    public CompletableFuture<String> greet() {
        return CompletableFuture.completedFuture(greeting.word() + ", " + primaryKeyString());
    }

    @Override
    public CompletableFuture<Integer> instanceNumber() {
        return CompletableFuture.completedFuture(number);
    }
}
