package dev.chromatic.runtime.events;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events raised off the loop thread (a rejected command, a broker problem), already as JSON text,
 * waiting for the {@link TelemetryAgent}. Bounded: when full, new events are dropped and counted.
 * Thread-safe; never used by the loop thread.
 */
public final class EventOutbox {

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final int capacity;

    public EventOutbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds an event; false (and counted) when the outbox is full. */
    public boolean offer(String json) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.add(json);
        return true;
    }

    /** The oldest event, or null. */
    public String poll() {
        String s = queue.poll();
        if (s != null) {
            size.decrementAndGet();
        }
        return s;
    }

    public long dropped() {
        return dropped.get();
    }
}
