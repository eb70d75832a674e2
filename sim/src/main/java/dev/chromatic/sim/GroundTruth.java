package dev.chromatic.sim;

/**
 * The simulated robot's true state at one instant (no latency, noise or bias), filled in place by
 * {@link MinitaurSim#groundTruth(GroundTruth)}: what an episode driver, a task or a test judges the
 * robot by. Preallocated; not thread-safe.
 */
public final class GroundTruth {

    /** Simulated time since the episode's reset. */
    public long timeNs;
    /** Base centre of mass, world frame (z up, x forward at the start), m. */
    public final double[] positionM = new double[3];
    /** Base linear velocity, world frame, m/s. */
    public final double[] velocityMps = new double[3];
    /** Z-Y-X Euler angles of the base. */
    public double rollRad;
    public double pitchRad;
    public double yawRad;
    /** Base angular velocity in the base frame (what a perfect gyro reads): roll, pitch, yaw rate. */
    public final double[] bodyRateRadPerS = new double[3];
    public final double[] motorAngleRad = new double[8];
    public final double[] motorVelocityRadPerS = new double[8];
    /** Shaft torques applied in the last substep. */
    public final double[] motorTorqueNm = new double[8];
    /** Toes touching the ground (leg order of {@code RobotSpec}). */
    public final boolean[] footContact = new boolean[4];
    /** External push on the base now, world frame, N (zero between pushes). */
    public final double[] pushForceN = new double[3];

    /** Base height above the ground, m. */
    public double heightM() {
        return positionM[2];
    }
}
