package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.runtime.Silo;

/**
 * {@code orleans.directory.cache.hits} and {@code orleans.directory.cache.misses}: lookups of the
 * silo's directory cache. Only a cluster silo has the cache; a silo on its own registers nothing.
 */
public final class DirectoryCacheMetrics implements MeterBinder {

    private final Silo silo;

    public DirectoryCacheMetrics(Silo silo) {
        this.silo = silo;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        DirectoryCache cache = silo.directoryCache();
        if (cache == null) {
            return;
        }
        FunctionCounter.builder("orleans.directory.cache.hits", cache, DirectoryCache::hits)
                .description("Grain lookups answered by this silo's directory cache")
                .register(registry);
        FunctionCounter.builder("orleans.directory.cache.misses", cache, DirectoryCache::misses)
                .description("Grain lookups this silo's directory cache could not answer")
                .register(registry);
    }
}
