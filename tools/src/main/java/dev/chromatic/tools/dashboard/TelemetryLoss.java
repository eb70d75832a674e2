package dev.chromatic.tools.dashboard;

/**
 * Counts JSON telemetry messages that never arrived. The robot spaces them evenly in its own
 * {@code timestamp}, so the spacing is the smallest gap among the last {@value #WINDOW} messages;
 * a gap of {@code k} spacings means {@code k - 1} messages lost on the way (broker, network, QoS 0).
 * A step backwards in time (the robot restarted) starts over. Not thread-safe: one caller (the MQTT
 * thread).
 */
final class TelemetryLoss {

    static final int WINDOW = 64;

    private final double[] gapsS = new double[WINDOW];
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
        double spacingS = Double.MAX_VALUE;
        for (int i = 0; i < gapCount; i++) {
            spacingS = Math.min(spacingS, gapsS[i]);
        }
        if (gapCount >= 8) {
            long lost = Math.round(gapS / spacingS) - 1;
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
