package dev.chromatic.runtime.events;

/** Why the robot entered the safe state, or why a command was refused. Names are the wire form. */
public enum Reason {
    NONE("none"),
    ROLL_LIMIT("roll_limit"),
    PITCH_LIMIT("pitch_limit"),
    NON_FINITE_ACTION("non_finite_action"),
    SENSORS_INVALID("sensors_invalid"),
    SENSORS_STALE("sensors_stale"),
    OVERRUNS("overruns"),
    ESTOP_COMMAND("estop_command"),
    ESTOP_INPUT("estop_input"),
    NO_POLICY("no_policy"),
    POLICY_UNVERIFIED("policy_unverified"),
    IN_SAFE_STATE("in_safe_state"),
    ALREADY_ARMED("already_armed"),
    NOT_DISARMED("not_disarmed"),
    RATE_OUT_OF_RANGE("rate_out_of_range"),
    RATE_MISMATCH("rate_mismatch"),
    RATE_FORCED("rate_forced"),
    CONTROLLER_FAULT("controller_fault"),
    HARDWARE_FAULT("hardware_fault"),
    SETTLE_TIMEOUT("settle_timeout"),
    STAND_UP_FAILED("stand_up_failed"),
    LINK_LOST("link_lost"),
    LOCAL_RESET_REQUIRED("local_reset_required");

    private static final Reason[] VALUES = values();

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    /** Lower-case name used in JSON events and the state topic. */
    public String wireName() {
        return wireName;
    }

    public static Reason of(int ordinal) {
        return VALUES[ordinal];
    }
}
