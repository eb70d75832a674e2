package dev.chromatic.sim;

import dev.chromatic.hal.RobotSpec;

/**
 * Draws the state a robot is in when it is switched on ({@link SimConfig.Start#POWERUP}), as an
 * operator leaves it: lying (probability 1/2), crouched (1/4) or standing (1/4). Lying, the legs
 * are folded each to its own extension in the range and the base is tilted by up to +-0.1 rad in
 * roll and pitch. Crouched or standing, the robot was set down on its four feet: one extension
 * from the posture's range for the whole robot, each leg within +-0.1 rad of it, and the caller
 * levels the base so that all four toes rest on the ground ({@link #setDown()}); independent leg
 * lengths would instead drop it onto its longest legs and topple it sideways as the unpowered
 * legs fold, which no operator's start does. Per leg a swing up to +-0.3 rad, both motor angles
 * inside the spec's position limits; joint rates up to +-0.3 rad/s; base velocity up to
 * +-0.05 m/s and angular velocity up to +-0.1 rad/s per axis; yaw 0 (so the task's forward stays
 * +x). The caller places the base so that its lowest point just touches the ground. Fills
 * preallocated arrays; not thread-safe.
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
    /** Set down on its feet, each leg's extension within this of the robot's. */
    static final double LEG_SPREAD_RAD = 0.1;
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
        double common = random.uniform(lo, hi);
        for (int leg = 0; leg < RobotSpec.LEG_COUNT; leg++) {
            double v = random.nextDouble();
            double e = setDown() ? Math.max(lo, Math.min(hi, common + (2 * v - 1) * LEG_SPREAD_RAD)) : lo + v * (hi - lo);
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

    /** Crouched or standing: set down on its feet, the base to be levelled on its toes. */
    boolean setDown() {
        return pose != StartPose.LYING;
    }
}
