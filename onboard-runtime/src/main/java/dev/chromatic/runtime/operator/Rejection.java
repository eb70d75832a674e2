package dev.chromatic.runtime.operator;

/** Why a command message was not applied; the wire name is the {@code reason} of a {@code command_rejected} event. */
public enum Rejection {
    TOO_LARGE("too_large"),
    MALFORMED("malformed"),
    RETAINED("retained"),
    RATE_LIMITED("rate_limited"),
    FORBIDDEN("forbidden"),
    UNSIGNED("unsigned"),
    WRONG_ROBOT("wrong_robot"),
    UNKNOWN_KEY("unknown_key"),
    REPLAY("replay"),
    BAD_SIGNATURE("bad_signature"),
    COUNTER_NOT_SAVED("counter_not_saved"),
    QUEUE_FULL("queue_full");

    private final String wireName;

    Rejection(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
