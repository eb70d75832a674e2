package dev.chromatic.sim;

import dev.chromatic.hal.RobotSpec;

/**
 * Draws the state a robot is in when it is switched on ({@link SimConfig.Start#POWERUP}): lying
 * (probability 1/2), crouched (1/4) or standing (1/4); per leg an extension from the posture's
 * range and a swing up to +-0.3 rad, both keeping the two motor angles inside the spec's position
 * limits; joint rates up to +-0.3 rad/s; base roll and pitch up to +-0.1 rad
 * (yaw 0, so the task's forward stays +x); base velocity up to +-0.05 m/s and angular velocity up to
 * +-0.1 rad/s per axis. The caller places the base so that its lowest point just touches the
 * ground. Fills preallocated arrays; not thread-safe.
 */
final class PowerUpStart {

    static final double LYING_PROBABILITY = 0.5;
    static final double CROUCHED_PROBABILITY = 0.25;
    /** Extension ranges: lying up to the linkage's fold, crouched, standing around the neutral pi/2. */
    static final double LYING_MIN_RAD = 2.4;
    static final double LYING_MAX_RAD = 2.85;
    static final double CROUCHED_MIN_RAD = 1.9;
    static final double CROUCHED_MAX_RAD = 2.4;
    static final double STANDING_MIN_RAD = 1.25;
    static final double STANDING_MAX_RAD = 1.9;
    /** Legs point roughly down, as a robot lies or is set down: swing up to +-0.3 rad. */
    static final double SWING_MAX_RAD = 0.3;
    static final double JOINT_RATE_MAX_RAD_PER_S = 0.3;
    static final double TILT_MAX_RAD = 0.1;
    static final double BASE_SPEED_MAX_MPS = 0.05;
    static final double BASE_RATE_MAX_RAD_PER_S = 0.1;

    StartPose pose = StartPose.STANDING;
    double rollRad;
    double pitchRad;
    final double[] extensionRad = new double[4];
    final double[] extensionRate = new double[4];
    final double[] swingRad = new double[4];
    final double[] swingRate = new double[4];
    final double[] velocityMps = new double[3];
    final double[] angularVelocityRadPerS = new double[3];

    /** Draws a start from {@code random}. */
    void draw(SeededRandom random, RobotSpec spec) {
        double u = random.nextDouble();
        pose = u < LYING_PROBABILITY ? StartPose.LYING
                : (u < LYING_PROBABILITY + CROUCHED_PROBABILITY ? StartPose.CROUCHED : StartPose.STANDING);
        double lo = switch (pose) {
            case LYING -> LYING_MIN_RAD;
            case CROUCHED -> CROUCHED_MIN_RAD;
            case STANDING -> STANDING_MIN_RAD;
        };
        double hi = switch (pose) {
            case LYING -> LYING_MAX_RAD;
            case CROUCHED -> CROUCHED_MAX_RAD;
            case STANDING -> STANDING_MAX_RAD;
        };
        rollRad = random.uniform(-TILT_MAX_RAD, TILT_MAX_RAD);
        pitchRad = random.uniform(-TILT_MAX_RAD, TILT_MAX_RAD);
        for (int leg = 0; leg < RobotSpec.LEG_COUNT; leg++) {
            double e = random.uniform(lo, hi);
            // mA = e - d s and mB = e + d s must both stay inside [min, max] position
            double room = Math.min(e - Math.max(spec.minPositionRad(2 * leg), spec.minPositionRad(2 * leg + 1)),
                    Math.min(spec.maxPositionRad(2 * leg), spec.maxPositionRad(2 * leg + 1)) - e);
            double swingMax = Math.max(0.0, Math.min(Math.min(room, SWING_MAX_RAD),
                    Math.min(spec.maxSwingRad(), -spec.minSwingRad())));
            extensionRad[leg] = e;
            swingRad[leg] = random.uniform(-swingMax, swingMax);
            extensionRate[leg] = random.uniform(-JOINT_RATE_MAX_RAD_PER_S, JOINT_RATE_MAX_RAD_PER_S);
            swingRate[leg] = random.uniform(-JOINT_RATE_MAX_RAD_PER_S, JOINT_RATE_MAX_RAD_PER_S);
        }
        for (int i = 0; i < 3; i++) {
            velocityMps[i] = random.uniform(-BASE_SPEED_MAX_MPS, BASE_SPEED_MAX_MPS);
            angularVelocityRadPerS[i] = random.uniform(-BASE_RATE_MAX_RAD_PER_S, BASE_RATE_MAX_RAD_PER_S);
        }
    }
}
