package org.orleans4j.spring.membership;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.membership.SuspectVote;

/** Suspect votes in one column: {@code host:port@generation;epochMillis} joined by {@code |}. */
final class SuspectVotesCodec {

    private SuspectVotesCodec() {}

    static String encode(List<SuspectVote> votes) {
        if (votes.isEmpty()) {
            return null;
        }
        return votes.stream()
                .map(v -> v.voter() + ";" + v.time().toEpochMilli())
                .collect(Collectors.joining("|"));
    }

    static List<SuspectVote> decode(String text) {
        List<SuspectVote> votes = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return votes;
        }
        for (String vote : text.split("\\|")) {
            int separator = vote.lastIndexOf(';');
            if (separator < 0) {
                throw new IllegalStateException("Malformed suspect vote in the membership table: '" + vote + "'");
            }
            votes.add(new SuspectVote(
                    SiloAddress.parse(vote.substring(0, separator)),
                    Instant.ofEpochMilli(Long.parseLong(vote.substring(separator + 1)))));
        }
        return votes;
    }
}
