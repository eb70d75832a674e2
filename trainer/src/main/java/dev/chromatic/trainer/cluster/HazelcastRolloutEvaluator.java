package dev.chromatic.trainer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs an iteration's rollouts on the members of a Hazelcast cluster. The broadcast is encoded
 * once per evaluation and travels with a member's chunks only until that member has answered one;
 * the specs go out in chunks of consecutive rollouts, at most {@code threads + 1} in flight per
 * member, and results are put back in spec order. The members are those offering threads when the evaluation starts: one
 * that joins later is used from the next evaluation, one that leaves has its unfinished chunks
 * sent to the others. Since a result depends only on (broadcast, spec), the outcome is bitwise
 * the one of {@link dev.chromatic.trainer.rollout.LocalRolloutEvaluator}. Not thread-safe.
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

    private static final class Target {
        final Member member;
        final int maxInFlight;
        int inFlight;
        int done;
        boolean lost;
        /** It answered a chunk of this evaluation, so it holds the broadcast. */
        boolean hasBroadcast;

        Target(Member member, int threads) {
            this.member = member;
            this.maxInFlight = threads + 1;
        }
    }

    private static final class Completion {
        final Target target;
        final int chunk;
        final ChunkResults results;
        final Throwable failure;

        Completion(Target target, int chunk, ChunkResults results, Throwable failure) {
            this.target = target;
            this.chunk = chunk;
            this.results = results;
            this.failure = failure;
        }
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
        List<Target> targets = new ArrayList<>();
        int threads = 0;
        for (Member m : workers()) {
            targets.add(new Target(m, threadsOf(m)));
            threads += threadsOf(m);
        }
        if (targets.isEmpty()) {
            throw new ClusterUnavailableException("no cluster member offers rollout threads; start workers with "
                    + "'chromatic worker --join " + local.address() + "'");
        }
        int size = chunkSize > 0 ? chunkSize : Math.max(1, (n + CHUNKS_PER_THREAD * threads - 1) / (CHUNKS_PER_THREAD * threads));
        int chunks = (n + size - 1) / size;
        String key = runId + "/" + sequence++;
        byte[] payload = BroadcastCodec.encode(broadcast);
        RolloutResult[] results = new RolloutResult[n];
        ArrayDeque<Integer> pending = new ArrayDeque<>();
        for (int c = 0; c < chunks; c++) {
            pending.add(c);
        }
        BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
        int done = 0;
        int reassigned = 0;
        try {
            dispatch(targets, pending, completions, key, payload, specs, size);
            while (done < chunks) {
                Completion c = completions.poll(1, TimeUnit.SECONDS);
                if (c == null) {
                    if (!local.isRunning()) {
                        throw new ClusterUnavailableException("the trainer's cluster member stopped during evaluation "
                                + broadcast.iteration);
                    }
                    continue;
                }
                c.target.inFlight--;
                if (c.failure == null) {
                    RolloutResult[] r = c.results.results();
                    System.arraycopy(r, 0, results, c.chunk * size, r.length);
                    c.target.done++;
                    c.target.hasBroadcast = true;
                    done++;
                    if (listener != null) {
                        listener.onChunkDone(c.target.member.getUuid(), c.chunk);
                    }
                } else if (has(c.failure, BroadcastMissingException.class)) {
                    c.target.hasBroadcast = false;
                    pending.addFirst(c.chunk);
                } else if (isMemberLoss(c.failure)) {
                    c.target.lost = true;
                    pending.addFirst(c.chunk);
                    reassigned++;
                } else {
                    throw new IllegalStateException("rollout chunk " + c.chunk + " failed on member "
                            + c.target.member.getAddress() + ": " + rootMessage(c.failure), c.failure);
                }
                if (done < chunks && targets.stream().allMatch(t -> t.lost)) {
                    throw new ClusterUnavailableException("no cluster member left to run rollouts: all "
                            + targets.size() + " members of evaluation " + broadcast.iteration + " left with "
                            + (chunks - done) + " of " + chunks + " chunks unfinished");
                }
                dispatch(targets, pending, completions, key, payload, specs, size);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for rollouts", e);
        }
        Map<UUID, Integer> byMember = new LinkedHashMap<>();
        for (Target t : targets) {
            byMember.put(t.member.getUuid(), t.done);
        }
        lastReport = new EvaluationReport(byMember, chunks, n, reassigned, nanoClock.getAsLong() - startNs);
        return Arrays.asList(results);
    }

    private void dispatch(List<Target> targets, ArrayDeque<Integer> pending, BlockingQueue<Completion> completions,
            String key, byte[] payload, List<RolloutSpec> specs, int size) {
        boolean sent = true;
        while (!pending.isEmpty() && sent) {
            sent = false;
            for (Target t : targets) {
                if (pending.isEmpty()) {
                    break;
                }
                if (t.lost || t.inFlight >= t.maxInFlight) {
                    continue;
                }
                int chunk = pending.poll();
                int from = chunk * size;
                RolloutChunk task = new RolloutChunk(key, t.hasBroadcast ? null : payload, specs, from, Math.min(specs.size(), from + size));
                t.inFlight++;
                sent = true;
                try {
                    executor.submitToMember(task, t.member, new ExecutionCallback<ChunkResults>() {
                        @Override
                        public void onResponse(ChunkResults response) {
                            completions.add(new Completion(t, chunk, response, null));
                        }

                        @Override
                        public void onFailure(Throwable error) {
                            completions.add(new Completion(t, chunk, null, error));
                        }
                    });
                } catch (RuntimeException e) {
                    completions.add(new Completion(t, chunk, null, e));
                }
            }
        }
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** True when the failure says the member is gone, not that the rollout failed. */
    static boolean isMemberLoss(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MemberLeftException || c instanceof TargetNotMemberException
                    || c instanceof TargetDisconnectedException || c instanceof HazelcastInstanceNotActiveException
                    || c instanceof RejectedExecutionException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + (r.getMessage() == null ? "" : ": " + r.getMessage());
    }

    @Override
    public void close() {
        if (ownsLocal) {
            local.close();
        }
    }
}
