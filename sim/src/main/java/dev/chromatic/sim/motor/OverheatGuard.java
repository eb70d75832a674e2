package dev.chromatic.sim.motor;

import java.util.Arrays;

/**
 * Optional overheat cut-off of the reference model: a motor whose |torque| stays above 2.45 N.m
 * for more than 1 s is switched off for the rest of the episode. Not thread-safe.
 */
public final class OverheatGuard {

    public static final double TORQUE_THRESHOLD_NM = 2.45;
    public static final long SHUTDOWN_AFTER_NS = 1_000_000_000L;

    private final long[] overTorqueNs;
    private final boolean[] disabled;

    public OverheatGuard(int motorCount) {
        overTorqueNs = new long[motorCount];
        disabled = new boolean[motorCount];
    }

    public void reset() {
        Arrays.fill(overTorqueNs, 0L);
        Arrays.fill(disabled, false);
    }

    /** Records one substep of {@code torqueNm}; returns the torque to apply (0 once cut off). */
    public double filter(int motor, double torqueNm, long substepNs) {
        if (disabled[motor]) {
            return 0.0;
        }
        if (Math.abs(torqueNm) > TORQUE_THRESHOLD_NM) {
            overTorqueNs[motor] += substepNs;
            if (overTorqueNs[motor] > SHUTDOWN_AFTER_NS) {
                disabled[motor] = true;
                return 0.0;
            }
        } else {
            overTorqueNs[motor] = 0L;
        }
        return torqueNm;
    }

    public boolean isDisabled(int motor) {
        return disabled[motor];
    }
}
