package dev.chromatic.sim;

/** The posture an episode began in (see {@link SimConfig.Start}). */
public enum StartPose {
    /** Legs folded, belly on or near the ground. */
    LYING,
    /** Legs half folded. */
    CROUCHED,
    /** Legs near the neutral extension. */
    STANDING
}
