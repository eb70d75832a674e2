package dev.chromatic.trainer.cluster;

import com.hazelcast.map.IMap;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutWorker;
import dev.chromatic.trainer.rollout.StructureSpec;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The rollout side of one member: a fixed set of {@link RolloutWorker}s (one per offered thread,
 * borrowed by a chunk for its whole run) and the broadcast of the current evaluation, fetched from
 * the broadcast map once per evaluation and kept. A structure equal to the previous one is reused
 * by reference so workers do not rebuild their networks every iteration. Thread-safe.
 */
final class MemberRollouts implements AutoCloseable {

    static final String USER_CONTEXT_KEY = "chromatic.memberRollouts";

    private final BlockingQueue<RolloutWorker> idle;
    private final RolloutWorker[] all;
    private String cachedKey;
    private IterationBroadcast cached;
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
     * The broadcast stored under {@code key}, from the cache or the map.
     *
     * @throws IllegalStateException when the map no longer holds it
     */
    synchronized IterationBroadcast broadcast(String key, IMap<String, IterationBroadcast> map) {
        if (key.equals(cachedKey)) {
            return cached;
        }
        IterationBroadcast b = map.get(key);
        if (b == null) {
            throw new IllegalStateException("broadcast " + key + " is not in the cluster map");
        }
        if (structure != null && sameStructure(structure, b.structure)) {
            b = new IterationBroadcast(b.envId, structure, b.iteration, b.noiseSeed, b.sigma, b.theta, b.partitions,
                    b.obsMean, b.obsStd, b.obsClip, b.maxSteps);
        } else {
            structure = b.structure;
        }
        cachedKey = key;
        cached = b;
        return b;
    }

    private static boolean sameStructure(StructureSpec a, StructureSpec b) {
        return a.structure.equals(b.structure) && a.colors == b.colors && Arrays.equals(a.layerSizes, b.layerSizes)
                && Arrays.deepEquals(a.fixedColoring, b.fixedColoring);
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
