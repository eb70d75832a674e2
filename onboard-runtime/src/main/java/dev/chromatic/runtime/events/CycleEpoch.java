package dev.chromatic.runtime.events;

/**
 * The named parts of a control cycle, in order, as the loop's watchdog times them; an overrun
 * event carries the ordinal of the part that overran.
 */
public enum CycleEpoch {
    WAKE, COMMANDS, READ, INFER, SAFETY, WRITE;

    private static final CycleEpoch[] VALUES = values();

    public static CycleEpoch of(int ordinal) {
        return VALUES[ordinal];
    }

    /** Lower-case name used in JSON events. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
