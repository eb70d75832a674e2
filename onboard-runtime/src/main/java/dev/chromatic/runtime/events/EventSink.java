package dev.chromatic.runtime.events;

import dev.chromatic.runtime.events.Reason;

/** Where the loop reports transitions. Implementations never block, allocate or throw. */
public interface EventSink {

    /**
     * Records one event.
     *
     * @param value a number that goes with the event (command sequence, rate in Hz, epoch ordinal)
     */
    void event(EventKind kind, Reason reason, long timeNs, long cycle, long value);

    /** A sink that forgets everything. */
    EventSink NONE = (kind, reason, timeNs, cycle, value) -> { };
}
