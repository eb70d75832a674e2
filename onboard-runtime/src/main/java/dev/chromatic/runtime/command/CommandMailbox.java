package dev.chromatic.runtime.command;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hands accepted commands from any thread to the loop: a preallocated bounded multi-producer,
 * single-consumer queue (Vyukov's sequence-per-cell design). {@link #offer} never blocks (false when
 * full); {@link #poll} is allocation-free and called only by the loop thread. E-stops bypass the
 * queue: {@link #requestEstop} bumps a counter the loop compares each cycle, so a full queue never
 * holds one back.
 */
public final class CommandMailbox {

    private final int mask;
    private final AtomicLongArray cellSequence;
    private final long[] commandSeq;
    private final long[] commandOp;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong estopRequests = new AtomicLong();
    private long head;

    public CommandMailbox(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
        }
        mask = capacity - 1;
        cellSequence = new AtomicLongArray(capacity);
        commandSeq = new long[capacity];
        commandOp = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            cellSequence.set(i, i);
        }
    }

    /** Packs a command: kind in bits 0-7, force flag bit 8, argument (e.g. rate in Hz) bits 32-63. */
    public static long op(CommandKind kind, int argument, boolean force) {
        return kind.ordinal() | (force ? 1L << 8 : 0L) | ((long) argument << 32);
    }

    public static CommandKind kindOf(long op) {
        return CommandKind.of((int) (op & 0xFF));
    }

    public static boolean forceOf(long op) {
        return (op & (1L << 8)) != 0;
    }

    public static int argumentOf(long op) {
        return (int) (op >>> 32);
    }

    /** Any thread: asks the loop to latch the E-stop at its next cycle; never fails, never blocks. */
    public void requestEstop() {
        estopRequests.incrementAndGet();
    }

    /** E-stop requests so far (the loop latches when this moves). */
    public long estopRequests() {
        return estopRequests.get();
    }

    /** Any thread: enqueues a command; false when the mailbox is full. */
    public boolean offer(long sequence, long op) {
        long pos = tail.get();
        while (true) {
            int idx = (int) (pos & mask);
            long cell = cellSequence.get(idx);
            long dif = cell - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    commandSeq[idx] = sequence;
                    commandOp[idx] = op;
                    cellSequence.lazySet(idx, pos + 1);
                    return true;
                }
                pos = tail.get();
            } else if (dif < 0) {
                return false;
            } else {
                pos = tail.get();
            }
        }
    }

    /** Loop thread: the next command's sequence number, or -1 when empty; then call {@link #pollOp()}. */
    public long peekSequence() {
        int idx = (int) (head & mask);
        if (cellSequence.get(idx) != head + 1) {
            return -1;
        }
        return commandSeq[idx];
    }

    /** Loop thread: removes the command announced by {@link #peekSequence()} and returns its op. */
    public long pollOp() {
        int idx = (int) (head & mask);
        long op = commandOp[idx];
        cellSequence.lazySet(idx, head + mask + 1);
        head++;
        return op;
    }
}
