package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipSnapshot;

class SiloPodMatcherTest {

    private final Map<SiloAddress, ClusterMember> members = new LinkedHashMap<>();

    private SiloAddress member(String pod, String ip, long generation, SiloStatus status) {
        SiloAddress silo = new SiloAddress(ip, 11111, generation);
        members.put(silo, new ClusterMember(silo, status, pod, null));
        return silo;
    }

    private ClusterMembershipSnapshot snapshot() {
        return new ClusterMembershipSnapshot(members, 7);
    }

    @Test
    void anActiveSiloWhosePodIsNotListedHasNoPod() {
        SiloAddress self = member("pod-a", "10.0.0.1", 100, SiloStatus.ACTIVE);
        member("pod-b", "10.0.0.2", 101, SiloStatus.ACTIVE);
        SiloAddress gone = member("pod-c", "10.0.0.3", 102, SiloStatus.ACTIVE);

        assertThat(SiloPodMatcher.activeSilosWithoutPod(snapshot(), Set.of("pod-a", "pod-b"), self))
                .extracting(ClusterMember::silo)
                .containsExactly(gone);
    }

    @Test
    void siloShuttingDownOrStoppingOrDeadIsNeverASiloWithoutPod() {
        SiloAddress self = member("pod-a", "10.0.0.1", 100, SiloStatus.ACTIVE);
        member("pod-b", "10.0.0.2", 101, SiloStatus.SHUTTING_DOWN);
        member("pod-c", "10.0.0.3", 102, SiloStatus.STOPPING);
        member("pod-d", "10.0.0.4", 103, SiloStatus.DEAD);
        member("pod-e", "10.0.0.5", 104, SiloStatus.JOINING);

        assertThat(SiloPodMatcher.activeSilosWithoutPod(snapshot(), Set.of("pod-a"), self))
                .isEmpty();
    }

    @Test
    void thisSiloIsNeverDeclaredWithoutPod() {
        SiloAddress self = member("pod-a", "10.0.0.1", 100, SiloStatus.ACTIVE);

        assertThat(SiloPodMatcher.activeSilosWithoutPod(snapshot(), Set.of(), self))
                .isEmpty();
    }

    @Test
    void podMatchesTheNewestGenerationOfItsName() {
        member("pod-a", "10.0.0.1", 100, SiloStatus.DEAD);
        SiloAddress restarted = member("pod-a", "10.0.0.1", 250, SiloStatus.ACTIVE);
        member("pod-b", "10.0.0.2", 300, SiloStatus.ACTIVE);

        assertThat(SiloPodMatcher.siloOfPod(snapshot(), "pod-a"))
                .map(ClusterMember::silo)
                .contains(restarted);
        assertThat(SiloPodMatcher.siloOfPod(snapshot(), "pod-z")).isEmpty();
    }

    @Test
    void anOlderActiveGenerationInAPodThatRunsANewerSiloHasNoPod() {
        SiloAddress self = member("pod-b", "10.0.0.2", 90, SiloStatus.ACTIVE);
        SiloAddress old = member("pod-a", "10.0.0.1", 100, SiloStatus.ACTIVE);
        member("pod-a", "10.0.0.1", 250, SiloStatus.JOINING);

        assertThat(SiloPodMatcher.activeSilosWithoutPod(snapshot(), Set.of("pod-a", "pod-b"), self))
                .extracting(ClusterMember::silo)
                .containsExactly(old);
    }

    @Test
    void podOfADeadSiloIsDefunctOnlyWhenItsNewestGenerationIsDead() {
        member("pod-a", "10.0.0.1", 100, SiloStatus.DEAD);
        member("pod-a", "10.0.0.1", 250, SiloStatus.ACTIVE);
        member("pod-b", "10.0.0.2", 120, SiloStatus.DEAD);
        member("pod-c", "10.0.0.3", 130, SiloStatus.ACTIVE);

        assertThat(SiloPodMatcher.podsOfDeadSilos(snapshot(), Set.of("pod-a", "pod-b", "pod-c", "unknown")))
                .containsExactly("pod-b");
    }

    @Test
    void watchersAreTheOldestActiveSilos() {
        SiloAddress youngest = member("pod-a", "10.0.0.1", 300, SiloStatus.ACTIVE);
        SiloAddress oldest = member("pod-b", "10.0.0.9", 100, SiloStatus.ACTIVE);
        member("pod-c", "10.0.0.3", 50, SiloStatus.SHUTTING_DOWN);
        SiloAddress second = member("pod-d", "10.0.0.4", 200, SiloStatus.ACTIVE);

        assertThat(SiloPodMatcher.watchers(snapshot(), 2)).containsExactly(oldest, second);
        assertThat(SiloPodMatcher.watchers(snapshot(), 5)).containsExactly(oldest, second, youngest);
    }
}
