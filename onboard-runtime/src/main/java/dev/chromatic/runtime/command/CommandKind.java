package dev.chromatic.runtime.command;

/** The commands the robot accepts on its {@code cmd} topic; the wire name is the JSON {@code cmd}. */
public enum CommandKind {
    ARM("arm"),
    DISARM("disarm"),
    ESTOP("estop"),
    RESET("reset"),
    SET_RATE("set-rate"),
    /** Signed proof that the operator's link is alive; never queued for the loop. */
    HEARTBEAT("heartbeat");

    private static final CommandKind[] VALUES = values();

    private final String wireName;

    CommandKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static CommandKind of(int ordinal) {
        return VALUES[ordinal];
    }

    /** The kind with this wire name, or null. */
    public static CommandKind byWireName(String name) {
        for (CommandKind k : VALUES) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
