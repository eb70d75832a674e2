package dev.chromatic.runtime.command;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the loop knows of the operator's link: a count of authenticated messages (any signed command,
 * heartbeats included) and whether the broker connection is up. Written by the messaging threads,
 * read by the loop without allocating; the loop turns a count that stops moving while armed into
 * {@code link_lost}.
 */
public final class OperatorLink {

    private final AtomicLong contacts = new AtomicLong();
    private volatile boolean brokerConnected = true;

    /** Any thread: an authenticated message from an operator arrived. */
    public void contact() {
        contacts.incrementAndGet();
    }

    /** Authenticated operator messages so far. */
    public long contacts() {
        return contacts.get();
    }

    /** Any thread: the broker connection came up or went down. */
    public void brokerConnected(boolean connected) {
        brokerConnected = connected;
    }

    public boolean isBrokerConnected() {
        return brokerConnected;
    }
}
