package org.orleans4j.example.chaos;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The figures of one chaos run and the goals they are held to. Losses and duplicate activations must be
 * zero. Failed calls and the longest failure run are what the retry and at-most-once work of issue 12
 * brings down; their goals are printed beside them and only the recovery bound is asserted.
 */
record ChaosReport(
        Duration duration,
        long seed,
        int kills,
        int terminations,
        List<LoadStream> streams,
        int acknowledgedWords,
        int lostWords,
        int activations,
        List<ActivationLedger.Duplicate> duplicates,
        List<ActivationLedger.Handover> closestHandovers,
        UnaryOperator<String> siloEnding) {

    /** Goal: at most this share of calls fails while silos are killed and stopped every 20 s. */
    static final double FAILED_CALLS_GOAL = 0.01;
    /** Goal: no stream goes longer than this without a successful call. */
    static final Duration FAILURE_RUN_GOAL = Duration.ofSeconds(30);

    long calls() {
        return streams.stream().mapToLong(LoadStream::calls).sum();
    }

    long failedCalls() {
        return streams.stream().mapToLong(LoadStream::failedCalls).sum();
    }

    LoadStream longestFailureRun() {
        return streams.stream()
                .max(Comparator.comparingLong(LoadStream::longestFailureRunMillis))
                .orElseThrow();
    }

    /** The one-line summary. */
    String measured() {
        LoadStream longest = longestFailureRun();
        return String.format(
                "MEASURED: chaos %d s, 3 silos on PostgreSQL, seed %d: %d kill -9 and %d SIGTERM, each"
                        + " restarted on its ports; %d load streams: %d calls, %d failed (%.2f%%; goal <= %.0f%%), longest"
                        + " failure run %.1f s (%s; goal <= %d s); %d acknowledged words, %d lost; %d activations,"
                        + " %d duplicates, closest hand-over between silos %s",
                duration.toSeconds(),
                seed,
                kills,
                terminations,
                streams.size(),
                calls(),
                failedCalls(),
                100.0 * failedCalls() / Math.max(1, calls()),
                100 * FAILED_CALLS_GOAL,
                longest.longestFailureRunMillis() / 1000.0,
                longest.name(),
                FAILURE_RUN_GOAL.toSeconds(),
                acknowledgedWords,
                lostWords,
                activations,
                duplicates.size(),
                closestHandovers.isEmpty()
                        ? "none"
                        : String.format("%.1f ms", closestHandovers.get(0).gapMicros() / 1000.0));
    }

    /**
     * One line per stream, then the duplicates, if any, and the closest hand-overs, each with how its
     * silos ended: whether an activation's end was recorded or is its silo's end tells a slow recording
     * from an activation that outlived its registration.
     */
    String details() {
        StringBuilder details = new StringBuilder();
        for (LoadStream stream : streams) {
            details.append(String.format(
                    "  stream %-7s %6d calls, %4d failed, longest failure run %6.1f s%s%n",
                    stream.name(),
                    stream.calls(),
                    stream.failedCalls(),
                    stream.longestFailureRunMillis() / 1000.0,
                    stream.lastFailure() == null ? "" : ", last failure: " + stream.lastFailure()));
        }
        details.append(duplicateDetails());
        for (ActivationLedger.Handover handover : closestHandovers) {
            details.append(String.format(
                    "  hand-over after %d us:%n%s%s",
                    handover.gapMicros(), life(handover.before()), life(handover.after())));
        }
        return details.toString();
    }

    /** Each duplicate: both lives and how their silos ended. */
    String duplicateDetails() {
        StringBuilder details = new StringBuilder();
        for (ActivationLedger.Duplicate duplicate : duplicates) {
            details.append(String.format(
                    "  duplicate, overlap %d us:%n%s%s",
                    duplicate.overlapMicros(), life(duplicate.first()), life(duplicate.second())));
        }
        return details.toString();
    }

    private String life(ActivationLedger.Activation activation) {
        return String.format(
                "    %s on %s from %d to %d (%s; %s: %s)%n",
                activation.grain(),
                activation.silo(),
                activation.startedMicros(),
                activation.stoppedMicros(),
                activation.stopRecorded() ? "end recorded" : "end is its silo's",
                activation.silo(),
                siloEnding.apply(activation.silo()));
    }
}
