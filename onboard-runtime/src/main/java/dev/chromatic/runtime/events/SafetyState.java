package dev.chromatic.runtime.events;

/** The supervisor's state: motors off, motors driven by the policy, or latched safe posture. */
public enum SafetyState {
    DISARMED("disarmed"),
    ARMED("armed"),
    SAFE("safe");

    private static final SafetyState[] VALUES = values();

    private final String wireName;

    SafetyState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SafetyState of(int ordinal) {
        return VALUES[ordinal];
    }
}
