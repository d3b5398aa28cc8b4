package org.orleans4j.membership;

import java.time.Instant;
import org.orleans4j.cluster.SiloAddress;

/** One silo's vote that another is dead, with when it was cast (votes expire). */
public record SuspectVote(SiloAddress voter, Instant time) {}
