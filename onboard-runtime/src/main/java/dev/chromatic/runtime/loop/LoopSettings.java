package dev.chromatic.runtime.loop;

/**
 * How the control loop runs, checked once at construction.
 *
 * @param periodNs control period: 1 ms (1 kHz) to 20 ms (50 Hz)
 * @param telemetryDecimation publish every n-th cycle to telemetry (1..1000)
 * @param commandsPerCycle at most this many queued commands are applied per cycle (bounds the work)
 * @param forceRate accept a period different from the policy's control period
 */
public record LoopSettings(long periodNs, int telemetryDecimation, int commandsPerCycle, boolean forceRate) {

    public static final long MIN_PERIOD_NS = 1_000_000L;
    public static final long MAX_PERIOD_NS = 20_000_000L;

    public LoopSettings {
        if (periodNs < MIN_PERIOD_NS || periodNs > MAX_PERIOD_NS) {
            throw new IllegalArgumentException("rate must be 50..1000 Hz (period 1..20 ms), period was " + periodNs + " ns");
        }
        if (telemetryDecimation < 1 || telemetryDecimation > 1000) {
            throw new IllegalArgumentException("telemetry decimation must be in 1..1000, was " + telemetryDecimation);
        }
        if (commandsPerCycle < 1 || commandsPerCycle > 64) {
            throw new IllegalArgumentException("commands per cycle must be in 1..64, was " + commandsPerCycle);
        }
    }

    /** Period of a rate in Hz, rounded to the nanosecond: {@code periodNs = 1e9 / hz}. */
    public static long periodOfHz(double hz) {
        return Math.round(1e9 / hz);
    }

    /** True when two periods agree within 0.1 %. */
    public static boolean samePeriod(long aNs, long bNs) {
        return Math.abs(aNs - bNs) * 1000 <= Math.max(aNs, bNs);
    }
}
