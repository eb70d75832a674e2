package dev.chromatic.runtime.events;

import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.events.Reason;

/** The loop's events on their way to the {@code events} topic: an {@link EventSink} over a ring. */
public final class EventRing implements EventSink {

    private final SampleRing<LoopEvent> ring;

    public EventRing(int capacity) {
        ring = new SampleRing<>(capacity, LoopEvent::new);
    }

    @Override
    public void event(EventKind kind, Reason reason, long timeNs, long cycle, long value) {
        LoopEvent e = ring.claim();
        e.kind = kind.ordinal();
        e.reason = reason.ordinal();
        e.timeNs = timeNs;
        e.cycle = cycle;
        e.value = value;
        ring.commit();
    }

    /** Consumer side. */
    public boolean poll(LoopEvent out) {
        return ring.poll(out);
    }

    public long dropped() {
        return ring.dropped();
    }
}
