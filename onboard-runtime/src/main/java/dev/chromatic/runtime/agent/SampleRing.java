package dev.chromatic.runtime.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A preallocated single-producer, single-consumer ring of reusable slots in which the producer never
 * waits: when the consumer falls behind, the oldest entries are overwritten and the consumer counts
 * them as dropped. Each slot carries a sequence stamp (odd while being written, a seqlock) so the
 * consumer detects an entry overwritten while it copied it.
 *
 * <p>Producer side ({@link #claim()}, {@link #commit()}): one thread, no allocation. Consumer side
 * ({@link #poll}): one other thread.
 *
 * @param <T> the slot type, copied out with {@link Slot#copyTo}
 */
public final class SampleRing<T extends SampleRing.Slot<T>> {

    /** A reusable entry. */
    public abstract static class Slot<T> {
        volatile long stamp;

        /** Copies every field into {@code out} (no allocation). */
        public abstract void copyTo(T out);
    }

    private static final VarHandle STAMP;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(Slot.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Slot<T>[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private long writePosition;
    private long readPosition;
    private volatile long dropped;

    @SuppressWarnings("unchecked")
    public SampleRing(int capacity, Supplier<T> factory) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
        }
        slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = factory.get();
        }
        mask = capacity - 1;
    }

    public int capacity() {
        return slots.length;
    }

    /** Producer: the slot to fill next, marked as being written. Follow with {@link #commit()}. */
    @SuppressWarnings("unchecked")
    public T claim() {
        Slot<T> s = slots[(int) (writePosition & mask)];
        STAMP.setVolatile(s, 2 * writePosition + 1);
        VarHandle.storeStoreFence();
        return (T) s;
    }

    /** Producer: publishes the claimed slot. */
    public void commit() {
        Slot<T> s = slots[(int) (writePosition & mask)];
        STAMP.setRelease(s, 2 * writePosition + 2);
        writePosition++;
        head.lazySet(writePosition);
    }

    /** Consumer: copies the oldest unread entry into {@code out}; false when there is none. */
    public boolean poll(T out) {
        while (true) {
            long h = head.get();
            if (readPosition >= h) {
                return false;
            }
            if (h - readPosition > slots.length) {
                dropped = dropped + (h - slots.length - readPosition);
                readPosition = h - slots.length;
            }
            Slot<T> s = slots[(int) (readPosition & mask)];
            long expected = 2 * readPosition + 2;
            long before = (long) STAMP.getAcquire(s);
            if (before == expected) {
                s.copyTo(out);
                VarHandle.loadLoadFence();
                long after = (long) STAMP.getVolatile(s);
                readPosition++;
                if (after == expected) {
                    return true;
                }
                dropped = dropped + 1;
            } else if (before - expected > 0) {
                dropped = dropped + 1;
                readPosition++;
            } else {
                return false;
            }
        }
    }

    /** Consumer: entries overwritten before they were read. */
    public long dropped() {
        return dropped;
    }

    /** Entries published so far (any thread). */
    public long published() {
        return head.get();
    }
}
