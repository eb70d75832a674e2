package dev.chromatic.hal.device;

/**
 * Complementary filter for roll and pitch: the gyro integrated over short times, the gravity
 * direction of the accelerometer over long times, blended with {@code alpha = tau / (tau + dt)}:
 * <pre>
 *   roll  = alpha * (roll  + wx * dt) + (1 - alpha) * atan2(ay, az)
 *   pitch = alpha * (pitch + wy * dt) + (1 - alpha) * atan2(-ax, sqrt(ay^2 + az^2))
 *   yaw   = yaw + wz * dt                      (gyro only: drifts)
 * </pre>
 * Axes x forward, y left, z up. The first update takes the accelerometer angles directly.
 * Not thread-safe.
 */
public final class AttitudeFilter {

    /** Longest step integrated; a longer gap (a stall, a bus error) counts as this long. */
    public static final double MAX_STEP_S = 0.1;

    private final double timeConstantS;
    private boolean initialised;
    private double rollRad;
    private double pitchRad;
    private double yawRad;

    public AttitudeFilter(double timeConstantS) {
        if (!(timeConstantS > 0) || Double.isInfinite(timeConstantS)) {
            throw new IllegalArgumentException("imu.filterTimeConstantS must be > 0, was " + timeConstantS);
        }
        this.timeConstantS = timeConstantS;
    }

    /** Folds in one IMU sample taken {@code dtS} after the previous one. */
    public void update(double ax, double ay, double az, double wx, double wy, double wz, double dtS) {
        double accelRoll = Math.atan2(ay, az);
        double accelPitch = Math.atan2(-ax, Math.sqrt(ay * ay + az * az));
        if (!initialised) {
            rollRad = accelRoll;
            pitchRad = accelPitch;
            yawRad = 0.0;
            initialised = true;
            return;
        }
        double dt = dtS < 0 ? 0 : Math.min(dtS, MAX_STEP_S);
        double alpha = timeConstantS / (timeConstantS + dt);
        rollRad = alpha * (rollRad + wx * dt) + (1 - alpha) * accelRoll;
        pitchRad = alpha * (pitchRad + wy * dt) + (1 - alpha) * accelPitch;
        yawRad += wz * dt;
    }

    /** Forgets the state; the next update starts from the accelerometer. */
    public void reset() {
        initialised = false;
        rollRad = 0;
        pitchRad = 0;
        yawRad = 0;
    }

    public double rollRad() {
        return rollRad;
    }

    public double pitchRad() {
        return pitchRad;
    }

    public double yawRad() {
        return yawRad;
    }
}
