package dev.chromatic.tools.dashboard;

/**
 * Counts JSON telemetry messages that never arrived. The robot spaces them evenly in its own
 * {@code timestamp}, so the spacing is the median gap among the last {@value #WINDOW} messages;
 * a gap of {@code k} spacings means {@code k - 1} slots without a message (lost on the way: broker,
 * network, QoS 0; or skipped by a robot that fell behind). A late message followed by an early one
 * (the robot catching up) loses nothing: a gap counts only from 1.75 spacings on. A step backwards
 * in time (the robot restarted) starts over. Allocates nothing. Not thread-safe: one caller (the
 * MQTT thread).
 */
final class TelemetryLoss {

    static final int WINDOW = 64;

    private final double[] gapsS = new double[WINDOW];
    private final double[] sortedS = new double[WINDOW];
    private int gapCount;
    private int next;
    private double lastS = Double.NaN;
    private long received;
    private long missed;

    /** Records a message stamped {@code timestampS} (robot clock, seconds). */
    void add(double timestampS) {
        received++;
        if (!Double.isFinite(timestampS)) {
            return;
        }
        if (Double.isNaN(lastS) || timestampS <= lastS) {
            lastS = timestampS;
            gapCount = 0;
            next = 0;
            return;
        }
        double gapS = timestampS - lastS;
        lastS = timestampS;
        gapsS[next] = gapS;
        next = (next + 1) % WINDOW;
        gapCount = Math.min(WINDOW, gapCount + 1);
        if (gapCount >= 8) {
            System.arraycopy(gapsS, 0, sortedS, 0, gapCount);
            java.util.Arrays.sort(sortedS, 0, gapCount);
            double spacingS = sortedS[gapCount / 2];
            long lost = (long) Math.floor(gapS / spacingS - 0.75);
            if (lost > 0) {
                missed += lost;
            }
        }
    }

    long received() {
        return received;
    }

    long missed() {
        return missed;
    }
}
