package dev.chromatic.runtime.events;

/**
 * What drives the motors while the robot is armed: first the stand-up ramp, then the settle gate
 * holding the standing pose until the body is still, then the policy. {@code NONE} while disarmed
 * or safe. A separate field from the safety state, whose names stay {@code disarmed|armed|safe}.
 */
public enum Phase {
    NONE("none"),
    STAND_UP("stand_up"),
    SETTLE("settle"),
    POLICY("policy");

    private static final Phase[] VALUES = values();

    private final String wireName;

    Phase(String wireName) {
        this.wireName = wireName;
    }

    /** Lower-case name used in JSON. */
    public String wireName() {
        return wireName;
    }

    public static Phase of(int ordinal) {
        return VALUES[ordinal];
    }
}
