package dev.chromatic.runtime.events;

/** What happened in the loop; the wire name goes into the {@code events} topic. */
public enum EventKind {
    ARMED("armed"),
    ARM_REFUSED("arm_refused"),
    DISARMED("disarmed"),
    SAFE_STATE("safe_state"),
    RESET("reset"),
    RESET_REFUSED("reset_refused"),
    RATE_CHANGED("rate_changed"),
    RATE_REFUSED("rate_refused"),
    POLICY_INSTALLED("policy_installed"),
    HANDED_OVER("handed_over"),
    OVERRUN("overrun");

    private static final EventKind[] VALUES = values();

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
