package dev.chromatic.runtime.operator;

/**
 * How the robot screens its {@code cmd} topic, checked once at start.
 *
 * @param keys operator public keys; none: only {@code estop} is accepted
 * @param counters last accepted counter per key (a file on the robot)
 * @param maxBytes command size cap; a longer message is refused unread ({@code too_large})
 * @param maxPerSecond token bucket for everything but {@code estop} (burst of the same size)
 * @param maxVerifiesPerSecond signature verifications per second, capped separately
 */
public record CommandSettings(OperatorKeys keys, CounterStore counters, int maxBytes, int maxPerSecond,
                              int maxVerifiesPerSecond) {

    public static final int DEFAULT_MAX_BYTES = 1024;
    public static final int DEFAULT_MAX_PER_SECOND = 200;
    public static final int DEFAULT_MAX_VERIFIES_PER_SECOND = 50;

    public CommandSettings {
        if (keys == null || counters == null) {
            throw new IllegalArgumentException("command settings need keys and a counter store");
        }
        if (maxBytes < 64 || maxBytes > 4096) {
            throw new IllegalArgumentException("cmd.max_bytes must be in 64..4096, was " + maxBytes);
        }
        if (maxPerSecond < 1 || maxPerSecond > 100_000) {
            throw new IllegalArgumentException("mqtt.max_commands_per_s must be in 1..100000, was " + maxPerSecond);
        }
        if (maxVerifiesPerSecond < 1 || maxVerifiesPerSecond > 10_000) {
            throw new IllegalArgumentException("cmd.max_verifies_per_s must be in 1..10000, was " + maxVerifiesPerSecond);
        }
    }

    /** No operator keys, counters in memory: only {@code estop} is accepted (tools without an operator). */
    public static CommandSettings estopOnly() {
        return new CommandSettings(OperatorKeys.none(), CounterStore.inMemory(), DEFAULT_MAX_BYTES,
                DEFAULT_MAX_PER_SECOND, DEFAULT_MAX_VERIFIES_PER_SECOND);
    }

    /** These keys and counters with the default caps. */
    public static CommandSettings of(OperatorKeys keys, CounterStore counters) {
        return new CommandSettings(keys, counters, DEFAULT_MAX_BYTES, DEFAULT_MAX_PER_SECOND,
                DEFAULT_MAX_VERIFIES_PER_SECOND);
    }

    public CommandSettings withMaxPerSecond(int perSecond) {
        return new CommandSettings(keys, counters, maxBytes, perSecond, maxVerifiesPerSecond);
    }

    public CommandSettings withMaxVerifiesPerSecond(int perSecond) {
        return new CommandSettings(keys, counters, maxBytes, maxPerSecond, perSecond);
    }
}
