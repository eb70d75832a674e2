package dev.chromatic.trainer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Runs an iteration's rollouts on the members of a Hazelcast cluster. The broadcast is encoded
 * once per evaluation and travels with a member's chunks only until that member has answered one;
 * the specs go out in chunks of consecutive rollouts, at most {@code threads + 1} in flight per
 * member, and results are put back in spec order ({@link ChunkDispatch}). The members are those
 * offering threads when the evaluation starts: one that joins later is used from the next
 * evaluation, one that leaves has its unfinished chunks sent to the others. Since a result
 * depends only on (broadcast, spec), the outcome is bitwise the one of
 * {@link dev.chromatic.trainer.rollout.LocalRolloutEvaluator}. Not thread-safe.
 */
public final class HazelcastRolloutEvaluator implements RolloutEvaluator {

    /** Told of every finished chunk, on the evaluating thread (progress, tests). */
    @FunctionalInterface
    public interface ChunkListener {
        void onChunkDone(UUID member, int chunk);
    }

    private static final int CHUNKS_PER_THREAD = 2;

    private final ClusterMember local;
    private final boolean ownsLocal;
    private final IExecutorService executor;
    private final String runId = UUID.randomUUID().toString();
    private final LongSupplier nanoClock;
    private final int chunkSize;
    private ChunkListener listener;
    private EvaluationReport lastReport;
    private long sequence;

    /**
     * Uses {@code local} (the trainer's own member, which may offer no threads) to reach the
     * cluster. {@code chunkSize} 0 picks about two chunks per thread.
     */
    public HazelcastRolloutEvaluator(ClusterMember local, int chunkSize, LongSupplier nanoClock) {
        this(local, false, chunkSize, nanoClock);
    }

    private HazelcastRolloutEvaluator(ClusterMember local, boolean ownsLocal, int chunkSize, LongSupplier nanoClock) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunk-size: must be >= 0, was " + chunkSize);
        }
        this.local = local;
        this.ownsLocal = ownsLocal;
        this.chunkSize = chunkSize;
        this.nanoClock = nanoClock;
        this.executor = local.hazelcast().getExecutorService(ClusterSettings.EXECUTOR);
    }

    /** Starts the trainer's member from {@code settings} and closes it with the evaluator. */
    public static HazelcastRolloutEvaluator start(ClusterSettings settings, LongSupplier nanoClock) {
        return new HazelcastRolloutEvaluator(ClusterMember.start(settings), true, 0, nanoClock);
    }

    public void setChunkListener(ChunkListener listener) {
        this.listener = listener;
    }

    public ClusterMember localMember() {
        return local;
    }

    /** Where the last evaluation ran, or null before the first. */
    public EvaluationReport lastReport() {
        return lastReport;
    }

    /** Members offering rollout threads now, oldest first. */
    public List<Member> workers() {
        List<Member> out = new ArrayList<>();
        for (Member m : local.hazelcast().getCluster().getMembers()) {
            if (threadsOf(m) > 0) {
                out.add(m);
            }
        }
        return out;
    }

    private static int threadsOf(Member m) {
        String t = m.getAttribute(ClusterSettings.THREADS_ATTRIBUTE);
        try {
            return t == null ? 0 : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Total rollout threads of the members now in the cluster. */
    @Override
    public int parallelism() {
        int n = 0;
        for (Member m : workers()) {
            n += threadsOf(m);
        }
        return Math.max(1, n);
    }

    /**
     * @throws ClusterUnavailableException when no member offering threads is left
     * @throws IllegalStateException when a rollout itself failed on a member
     */
    @Override
    public List<RolloutResult> evaluate(IterationBroadcast broadcast, List<RolloutSpec> specs) {
        long startNs = nanoClock.getAsLong();
        int n = specs.size();
        if (n == 0) {
            return new ArrayList<>();
        }
        List<Member> members = workers();
        int threads = 0;
        for (Member m : members) {
            threads += threadsOf(m);
        }
        if (members.isEmpty()) {
            throw new ClusterUnavailableException("no cluster member offers rollout threads; start workers with "
                    + "'chromatic worker --join " + local.address() + "'");
        }
        int size = chunkSize > 0 ? chunkSize : Math.max(1, (n + CHUNKS_PER_THREAD * threads - 1) / (CHUNKS_PER_THREAD * threads));
        ChunkDispatch dispatch = new ChunkDispatch(executor, members, HazelcastRolloutEvaluator::threadsOf,
                runId + "/" + sequence++, BroadcastCodec.encode(broadcast), specs, size);
        RolloutResult[] results;
        try {
            results = dispatch.run(broadcast.iteration, local::isRunning, listener);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for rollouts", e);
        }
        lastReport = new EvaluationReport(dispatch.chunksByMember(), dispatch.chunks(), n, dispatch.reassigned(),
                nanoClock.getAsLong() - startNs);
        return Arrays.asList(results);
    }

    @Override
    public void close() {
        if (ownsLocal) {
            local.close();
        }
    }
}
