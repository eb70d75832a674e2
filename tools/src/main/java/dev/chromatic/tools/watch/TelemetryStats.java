package dev.chromatic.tools.watch;

import dev.chromatic.runtime.events.Reason;
import org.HdrHistogram.Histogram;

/**
 * Running figures over received telemetry: loop rate from sample cycles and times, lateness
 * percentiles, lost batches (gaps in the batch counter), the robot's own overrun, missed and
 * dropped counters, and the last safety state. Not thread-safe.
 */
public final class TelemetryStats {

    private final Histogram latenessNs = new Histogram(10_000_000_000L, 3);
    private long samples;
    private long batches;
    private long lostBatches;
    private long badBatches;
    private long lastBatch = -1;
    private long firstCycle = -1;
    private long firstTimeNs;
    private long lastCycle;
    private long lastTimeNs;
    private long overruns;
    private long missed;
    private long dropped;
    private int lastState = -1;
    private int lastReason;

    void add(TelemetryBatch b) {
        batches++;
        if (lastBatch >= 0 && b.batch() > lastBatch + 1) {
            lostBatches += b.batch() - lastBatch - 1;
        }
        lastBatch = b.batch();
        overruns = b.overruns();
        missed = b.missed();
        dropped = b.dropped();
        for (TelemetryBatch.Sample s : b.samples()) {
            samples++;
            latenessNs.recordValue(Math.max(0, Math.min(s.latenessNs(), latenessNs.getHighestTrackableValue())));
            if (firstCycle < 0) {
                firstCycle = s.cycle();
                firstTimeNs = s.timeNs();
            }
            lastCycle = s.cycle();
            lastTimeNs = s.timeNs();
            lastState = s.state();
            lastReason = s.reason();
        }
    }

    void addBad() {
        badBatches++;
    }

    public long samples() {
        return samples;
    }

    public long batches() {
        return batches;
    }

    public long lostBatches() {
        return lostBatches;
    }

    public long badBatches() {
        return badBatches;
    }

    /** Loop rate: cycles between the first and last sample over the loop time between them. */
    public double rateHz() {
        long dt = lastTimeNs - firstTimeNs;
        return dt > 0 ? (lastCycle - firstCycle) * 1e9 / dt : Double.NaN;
    }

    public long latenessPercentileNs(double p) {
        return latenessNs.getTotalCount() == 0 ? 0 : latenessNs.getValueAtPercentile(p);
    }

    public long latenessMaxNs() {
        return latenessNs.getTotalCount() == 0 ? 0 : latenessNs.getMaxValue();
    }

    public long overruns() {
        return overruns;
    }

    public long missed() {
        return missed;
    }

    public long dropped() {
        return dropped;
    }

    /** {@code disarmed}, {@code armed}, {@code safe(reason)} or {@code unknown}. */
    public String state() {
        return stateName(lastState, lastReason);
    }

    static String stateName(int state, int reason) {
        return switch (state) {
            case 0 -> "disarmed";
            case 1 -> "armed";
            case 2 -> "safe(" + reasonName(reason) + ")";
            default -> "unknown";
        };
    }

    static String reasonName(int reason) {
        return reason >= 0 && reason < Reason.values().length ? Reason.of(reason).wireName() : "reason#" + reason;
    }

    /** The live one-line summary. */
    public String line() {
        return String.format("rate %7.1f Hz | lateness p50 %5d us p99 %5d us max %6d us | %-22s | batches %d (lost %d, bad %d)"
                        + " | overruns %d missed %d dropped %d",
                rateHz(), latenessPercentileNs(50) / 1000, latenessPercentileNs(99) / 1000, latenessMaxNs() / 1000,
                state(), batches, lostBatches, badBatches, overruns, missed, dropped);
    }
}
