package dev.chromatic.hal;

import java.util.Arrays;

/**
 * One reading of every sensor of the robot, preallocated and filled in place by
 * {@link Hardware#read(SensorFrame)}. Angles in radians, rates in rad/s, accelerations in m/s^2,
 * torques in N.m. Each group of fields has a validity bit in {@link #validMask}; consumers must
 * check it (the safety supervisor decides what an invalid or stale frame means).
 *
 * <p>Not thread-safe: owned by the control thread; copy with {@link #copyFrom} to hand it over.
 */
public final class SensorFrame {

    /** Motor angles are valid. */
    public static final int VALID_MOTOR_ANGLES = 1;
    /** Motor velocities are valid. */
    public static final int VALID_MOTOR_VELOCITIES = 1 << 1;
    /** Estimated motor torques are valid. */
    public static final int VALID_MOTOR_TORQUES = 1 << 2;
    /** IMU roll, pitch and yaw are valid. */
    public static final int VALID_ATTITUDE = 1 << 3;
    /** IMU angular rates are valid. */
    public static final int VALID_RATES = 1 << 4;
    /** IMU linear accelerations are valid. */
    public static final int VALID_ACCEL = 1 << 5;
    /** Everything a walking controller needs. */
    public static final int VALID_ALL = VALID_MOTOR_ANGLES | VALID_MOTOR_VELOCITIES | VALID_MOTOR_TORQUES
            | VALID_ATTITUDE | VALID_RATES | VALID_ACCEL;

    /** Number of motors described. */
    public final int motorCount;

    /** Time the data was sampled, on the backend's clock (simulated or monotonic). */
    public long timestampNs;
    /** Backend sequence number of this reading (increments per read; HIL: server step). */
    public long sequence;
    /** Bitwise OR of the {@code VALID_*} flags. */
    public int validMask;

    public final double[] motorAngleRad;
    public final double[] motorVelocityRadPerS;
    public final double[] motorTorqueNm;

    public double rollRad;
    public double pitchRad;
    public double yawRad;
    public double rollRateRadPerS;
    public double pitchRateRadPerS;
    public double yawRateRadPerS;
    public double accelXMps2;
    public double accelYMps2;
    public double accelZMps2;

    /** The hardware E-stop input is pressed (always false where no button is wired). */
    public boolean estopPressed;

    /** The local reset input is pressed (always false where none is wired). */
    public boolean resetPressed;

    public SensorFrame(int motorCount) {
        if (motorCount <= 0) {
            throw new IllegalArgumentException("motorCount must be > 0, was " + motorCount);
        }
        this.motorCount = motorCount;
        this.motorAngleRad = new double[motorCount];
        this.motorVelocityRadPerS = new double[motorCount];
        this.motorTorqueNm = new double[motorCount];
    }

    /** True when every flag of {@code mask} is set. */
    public boolean isValid(int mask) {
        return (validMask & mask) == mask;
    }

    /** Copies every field of {@code other} (same motor count) into this frame. No allocation. */
    public void copyFrom(SensorFrame other) {
        if (other.motorCount != motorCount) {
            throw new IllegalArgumentException("motor count " + other.motorCount + " != " + motorCount);
        }
        timestampNs = other.timestampNs;
        sequence = other.sequence;
        validMask = other.validMask;
        System.arraycopy(other.motorAngleRad, 0, motorAngleRad, 0, motorCount);
        System.arraycopy(other.motorVelocityRadPerS, 0, motorVelocityRadPerS, 0, motorCount);
        System.arraycopy(other.motorTorqueNm, 0, motorTorqueNm, 0, motorCount);
        rollRad = other.rollRad;
        pitchRad = other.pitchRad;
        yawRad = other.yawRad;
        rollRateRadPerS = other.rollRateRadPerS;
        pitchRateRadPerS = other.pitchRateRadPerS;
        yawRateRadPerS = other.yawRateRadPerS;
        accelXMps2 = other.accelXMps2;
        accelYMps2 = other.accelYMps2;
        accelZMps2 = other.accelZMps2;
        estopPressed = other.estopPressed;
        resetPressed = other.resetPressed;
    }

    /** Resets every value to zero and every validity flag to false. */
    public void clear() {
        timestampNs = 0;
        sequence = 0;
        validMask = 0;
        Arrays.fill(motorAngleRad, 0.0);
        Arrays.fill(motorVelocityRadPerS, 0.0);
        Arrays.fill(motorTorqueNm, 0.0);
        rollRad = pitchRad = yawRad = 0.0;
        rollRateRadPerS = pitchRateRadPerS = yawRateRadPerS = 0.0;
        accelXMps2 = accelYMps2 = accelZMps2 = 0.0;
        estopPressed = false;
        resetPressed = false;
    }
}
