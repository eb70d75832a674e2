package dev.chromatic.runtime.telemetry;

import dev.chromatic.runtime.agent.SampleRing;

/**
 * One control cycle as telemetry sees it: timing, state, observation, action, motor targets and
 * readings. Preallocated with fixed capacities; lengths say how much of each array is used.
 */
public final class TelemetrySample extends SampleRing.Slot<TelemetrySample> {

    public long cycle;
    public long timeNs;
    public long latenessNs;
    public long cycleNs;
    public int state;
    public int reason;
    /** {@link dev.chromatic.runtime.events.Phase} ordinal. */
    public int phase;
    public double rollRad;
    public double pitchRad;
    /** Body rates read this cycle (gyro), rad/s. */
    public double rollRateRadS;
    public double pitchRateRadS;
    public int observationLength;
    public int actionLength;
    public final double[] observation;
    public final double[] action;
    public final double[] motorTargetRad;
    public final double[] motorAngleRad;

    public TelemetrySample(int observationCapacity, int actionCapacity, int motorCount) {
        observation = new double[observationCapacity];
        action = new double[actionCapacity];
        motorTargetRad = new double[motorCount];
        motorAngleRad = new double[motorCount];
    }

    /** Copies up to the capacity of {@code src} into the observation (null leaves it empty). */
    public void setObservation(double[] src) {
        observationLength = copy(src, observation);
    }

    /** Copies up to the capacity of {@code src} into the action (null leaves it empty). */
    public void setAction(double[] src) {
        actionLength = copy(src, action);
    }

    private static int copy(double[] src, double[] dst) {
        if (src == null) {
            return 0;
        }
        int n = Math.min(src.length, dst.length);
        System.arraycopy(src, 0, dst, 0, n);
        return n;
    }

    @Override
    public void copyTo(TelemetrySample out) {
        out.cycle = cycle;
        out.timeNs = timeNs;
        out.latenessNs = latenessNs;
        out.cycleNs = cycleNs;
        out.state = state;
        out.reason = reason;
        out.phase = phase;
        out.rollRad = rollRad;
        out.pitchRad = pitchRad;
        out.rollRateRadS = rollRateRadS;
        out.pitchRateRadS = pitchRateRadS;
        out.observationLength = Math.min(observationLength, out.observation.length);
        out.actionLength = Math.min(actionLength, out.action.length);
        System.arraycopy(observation, 0, out.observation, 0, out.observationLength);
        System.arraycopy(action, 0, out.action, 0, out.actionLength);
        System.arraycopy(motorTargetRad, 0, out.motorTargetRad, 0, Math.min(motorTargetRad.length, out.motorTargetRad.length));
        System.arraycopy(motorAngleRad, 0, out.motorAngleRad, 0, Math.min(motorAngleRad.length, out.motorAngleRad.length));
    }
}
