package dev.chromatic.trainer.cluster;

import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutWorker;
import dev.chromatic.trainer.rollout.StructureSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The rollout side of one member: a fixed set of {@link RolloutWorker}s (one per offered thread,
 * borrowed by a chunk for its whole run) and the broadcast of the current evaluation, fetched from
 * the first chunks of each evaluation and kept. A structure equal to the previous one is reused
 * by reference so workers do not rebuild their networks every iteration. Thread-safe.
 */
final class MemberRollouts implements AutoCloseable {

    static final String USER_CONTEXT_KEY = "chromatic.memberRollouts";
    private static final int CACHED_BROADCASTS = 4;

    private final BlockingQueue<RolloutWorker> idle;
    private final RolloutWorker[] all;
    /** The last few evaluations' broadcasts (several trainers may share a worker). */
    private final Map<String, IterationBroadcast> cache = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IterationBroadcast> eldest) {
            return size() > CACHED_BROADCASTS;
        }
    };
    private StructureSpec structure;
    private boolean closed;

    MemberRollouts(int threads) {
        all = new RolloutWorker[threads];
        idle = new ArrayBlockingQueue<>(Math.max(1, threads));
        for (int i = 0; i < threads; i++) {
            all[i] = new RolloutWorker();
            idle.add(all[i]);
        }
    }

    int threads() {
        return all.length;
    }

    /**
     * The broadcast of evaluation {@code key}: decoded from {@code payload} the first time, from
     * the cache after.
     *
     * @throws BroadcastMissingException when neither holds it
     */
    synchronized IterationBroadcast broadcast(String key, byte[] payload) {
        IterationBroadcast b = cache.get(key);
        if (b != null) {
            return b;
        }
        if (payload == null) {
            throw new BroadcastMissingException("broadcast " + key + " is not on this member");
        }
        b = BroadcastCodec.decode(payload, structure);
        structure = b.structure;
        cache.put(key, b);
        return b;
    }

    RolloutWorker borrow() throws InterruptedException {
        if (all.length == 0) {
            throw new IllegalStateException("this member offers no rollout threads");
        }
        return idle.take();
    }

    void giveBack(RolloutWorker w) {
        synchronized (this) {
            if (closed) {
                w.close();
                return;
            }
        }
        idle.add(w);
    }

    /** Closes the idle workers now and the busy ones when they are given back. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        RolloutWorker w;
        while ((w = idle.poll()) != null) {
            w.close();
        }
    }
}
