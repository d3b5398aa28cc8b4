package org.orleans4j.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * CPU time of the processes a workload runs in (this JVM and the far one), so a throughput figure
 * comes with what each call cost in CPU: on a shared machine calls per second swing with the
 * neighbours, the CPU a call takes much less. Read from the operating system (user plus system time
 * of every thread, garbage collection and compilation included).
 */
final class CpuMeter {

    private final List<ProcessHandle> processes;
    private long startNanos;

    private CpuMeter(List<ProcessHandle> processes) {
        this.processes = processes;
    }

    /** A meter of this JVM and of the process {@code farPid}. */
    static CpuMeter thisJvmAnd(long farPid) {
        return new CpuMeter(List.of(
                ProcessHandle.current(),
                ProcessHandle.of(farPid).orElseThrow(() -> new IllegalStateException("no process " + farPid))));
    }

    /** Starts a measurement. */
    void start() {
        startNanos = totalNanos();
    }

    /** Microseconds of CPU per unit of work since {@link #start}, given how many units were done. */
    double microsPer(long units) {
        return units == 0 ? Double.NaN : (totalNanos() - startNanos) / 1000.0 / units;
    }

    private long totalNanos() {
        long total = 0;
        for (ProcessHandle process : processes) {
            total += process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
        }
        return total;
    }
}
