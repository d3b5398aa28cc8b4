package org.orleans4j.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/** A held route answers until its entry leaves the cache, however it leaves. */
class DirectoryCacheTest {

    private static final SiloAddress LOCAL = new SiloAddress("127.0.0.1", 11111, 1);
    private static final SiloAddress REMOTE = new SiloAddress("127.0.0.1", 11112, 1);
    private static final SiloAddress OTHER = new SiloAddress("127.0.0.1", 11113, 1);

    private final DirectoryCache cache = new DirectoryCache(LOCAL, 100);

    private static GrainAddress address(String key, SiloAddress silo, String activation) {
        return new GrainAddress(GrainId.ofString("account", key), silo, activation);
    }

    private DirectoryCache.Route held(GrainAddress address) {
        cache.remember(address);
        DirectoryCache.Route route = cache.route(address.grainId());
        assertThat(route).isNotNull();
        assertThat(cache.address(route)).isEqualTo(address);
        return route;
    }

    @Test
    void aHeldRouteAnswersAndCountsAsAHitWhileItsEntryIsCached() {
        DirectoryCache.Route route = held(address("a", REMOTE, "1"));
        long hits = cache.hits();

        assertThat(cache.address(route)).isEqualTo(address("a", REMOTE, "1"));
        assertThat(cache.hits()).isEqualTo(hits + 1);
    }

    @Test
    void aHeldRouteGoesStaleWhenItsEntryIsInvalidated() {
        DirectoryCache.Route any = held(address("a", REMOTE, "1"));
        DirectoryCache.Route exact = held(address("b", REMOTE, "1"));

        cache.invalidate(GrainId.ofString("account", "a"), null);
        cache.invalidate(GrainId.ofString("account", "b"), address("b", REMOTE, "1"));

        assertThat(cache.address(any)).isNull();
        assertThat(cache.address(exact)).isNull();
    }

    @Test
    void invalidatingAnotherAddressLeavesTheHeldRouteCurrent() {
        DirectoryCache.Route route = held(address("a", REMOTE, "1"));

        cache.invalidate(GrainId.ofString("account", "a"), address("a", OTHER, "2"));

        assertThat(cache.address(route)).isEqualTo(address("a", REMOTE, "1"));
    }

    @Test
    void aHeldRouteGoesStaleWhenANewerAddressReplacesIt() {
        DirectoryCache.Route old = held(address("a", REMOTE, "1"));

        cache.remember(address("a", OTHER, "2"));

        assertThat(cache.address(old)).isNull();
        DirectoryCache.Route current = cache.route(GrainId.ofString("account", "a"));
        assertThat(current).isNotNull();
        assertThat(cache.address(current)).isEqualTo(address("a", OTHER, "2"));
    }

    @Test
    void aHeldRouteGoesStaleWhenItsSiloDies() {
        DirectoryCache.Route onDead = held(address("a", REMOTE, "1"));
        DirectoryCache.Route onLive = held(address("b", OTHER, "1"));

        cache.deadSilos(Set.of(REMOTE));

        assertThat(cache.address(onDead)).isNull();
        assertThat(cache.address(onLive)).isNotNull();
    }

    @Test
    void aHeldRouteGoesStaleWhenItsEntryIsEvicted() {
        DirectoryCache small = new DirectoryCache(LOCAL, 10);
        small.remember(address("first", REMOTE, "1"));
        DirectoryCache.Route first = small.route(GrainId.ofString("account", "first"));
        for (int i = 0; i < 10; i++) {
            small.remember(address("k" + i, REMOTE, "1"));
        }

        assertThat(small.size()).isLessThanOrEqualTo(10);
        assertThat(small.address(first)).isNull();
    }

    @Test
    void aRouteOfAnotherCacheIsNotTaken() {
        DirectoryCache.Route route = held(address("a", REMOTE, "1"));
        DirectoryCache other = new DirectoryCache(LOCAL, 100);
        other.remember(address("a", REMOTE, "1"));

        assertThat(other.address(route)).isNull();
        assertThat(List.of(cache.address(route))).containsExactly(address("a", REMOTE, "1"));
    }
}
