package dev.chromatic.tools.dashboard;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open pages' server-sent-event streams: at most {@code maxStreams}, each with a queue of at most
 * {@code queueLength} messages. A page that reads slower than the robot publishes loses its oldest
 * messages (counted), so neither a slow page nor a long run grows the server's memory. Thread-safe.
 */
final class EventStreams {

    /** One page's stream: its bounded queue and the messages it lost. */
    static final class Stream {
        private final ArrayBlockingQueue<String> queue;
        private final AtomicLong dropped = new AtomicLong();

        private Stream(int queueLength) {
            this.queue = new ArrayBlockingQueue<>(queueLength);
        }

        /** Queues one SSE frame; drops the oldest one when full. */
        void offer(String frame) {
            while (!queue.offer(frame)) {
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
        }

        /** The next frame, or null after {@code timeoutMs}. */
        String next(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        long dropped() {
            return dropped.get();
        }
    }

    private final int maxStreams;
    private final int queueLength;
    private final CopyOnWriteArrayList<Stream> streams = new CopyOnWriteArrayList<>();

    EventStreams(int maxStreams, int queueLength) {
        if (maxStreams < 1 || queueLength < 1) {
            throw new IllegalArgumentException("maxStreams and queueLength must be >= 1");
        }
        this.maxStreams = maxStreams;
        this.queueLength = queueLength;
    }

    /** A new stream, or null when {@code maxStreams} are open. */
    synchronized Stream open() {
        if (streams.size() >= maxStreams) {
            return null;
        }
        Stream s = new Stream(queueLength);
        streams.add(s);
        return s;
    }

    synchronized void close(Stream s) {
        streams.remove(s);
    }

    int openCount() {
        return streams.size();
    }

    /** Sends {@code data} (one line of JSON) as an SSE event named {@code event} to every open stream. */
    void publish(String event, String data) {
        if (streams.isEmpty()) {
            return;
        }
        String frame = frame(event, data);
        for (Stream s : streams) {
            s.offer(frame);
        }
    }

    /** One SSE frame; {@code data} must hold no line break (compact JSON never does). */
    static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }
}
