package dev.chromatic.hal;

import java.util.Arrays;

/**
 * Targets for every motor, preallocated and filled in place by the controller stack and the
 * safety supervisor, then handed to {@link Hardware#write(MotorCommand)}.
 *
 * <p>{@link Mode#POSITION}: each motor tracks {@link #positionRad} with the backend's PD gains,
 * or with {@link #kp}/{@link #kd} when {@link #customGains} is set, plus {@link #feedforwardTorqueNm}.
 * {@link Mode#DAMP}: position targets are ignored and motors only resist motion (the safe state).
 * {@link Mode#OFF}: no torque at all.
 *
 * <p>Not thread-safe: owned by the control thread.
 */
public final class MotorCommand {

    /** How the motors are driven. */
    public enum Mode {
        /** Track position targets. */
        POSITION,
        /** Passive damping only: the latched safe state. */
        DAMP,
        /** Motors unpowered. */
        OFF
    }

    public final int motorCount;

    public Mode mode = Mode.OFF;
    /** Sequence number of the cycle that produced this command. */
    public long sequence;
    public final double[] positionRad;
    /** Used only when {@link #customGains} is true. Units of the backend's PD law. */
    public final double[] kp;
    /** Used only when {@link #customGains} is true. */
    public final double[] kd;
    public final double[] feedforwardTorqueNm;
    public boolean customGains;

    public MotorCommand(int motorCount) {
        if (motorCount <= 0) {
            throw new IllegalArgumentException("motorCount must be > 0, was " + motorCount);
        }
        this.motorCount = motorCount;
        this.positionRad = new double[motorCount];
        this.kp = new double[motorCount];
        this.kd = new double[motorCount];
        this.feedforwardTorqueNm = new double[motorCount];
    }

    /** Copies every field of {@code other} (same motor count). No allocation. */
    public void copyFrom(MotorCommand other) {
        if (other.motorCount != motorCount) {
            throw new IllegalArgumentException("motor count " + other.motorCount + " != " + motorCount);
        }
        mode = other.mode;
        sequence = other.sequence;
        customGains = other.customGains;
        System.arraycopy(other.positionRad, 0, positionRad, 0, motorCount);
        System.arraycopy(other.kp, 0, kp, 0, motorCount);
        System.arraycopy(other.kd, 0, kd, 0, motorCount);
        System.arraycopy(other.feedforwardTorqueNm, 0, feedforwardTorqueNm, 0, motorCount);
    }

    /** Mode OFF, zero targets and gains. */
    public void clear() {
        mode = Mode.OFF;
        sequence = 0;
        customGains = false;
        Arrays.fill(positionRad, 0.0);
        Arrays.fill(kp, 0.0);
        Arrays.fill(kd, 0.0);
        Arrays.fill(feedforwardTorqueNm, 0.0);
    }
}
