package dev.chromatic.trainer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * One evaluation's rollout chunks on a fixed set of members: at most {@code threads + 1} chunks in
 * flight per member, the encoded broadcast with a member's chunks until it has answered one, a
 * chunk sent again when its member left or had lost the broadcast, and results put back in spec
 * order. A rollout that fails on a member fails the evaluation. Lives for one evaluation; used
 * only by the evaluating thread (member callbacks only queue completions).
 */
final class ChunkDispatch {

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

    /** A chunk's answer from {@code target}: its results, or the failure that ended it. */
    private record Completion(Target target, int chunk, ChunkResults results, Throwable failure) {
    }

    private final IExecutorService executor;
    private final List<Target> targets = new ArrayList<>();
    private final String key;
    private final byte[] payload;
    private final List<RolloutSpec> specs;
    private final int size;
    private final int chunks;
    private final ArrayDeque<Integer> pending = new ArrayDeque<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private int reassigned;

    /**
     * {@code key} names the broadcast ({@code payload}, encoded) on the members; {@code specs} go
     * out in chunks of {@code size} consecutive rollouts.
     */
    ChunkDispatch(IExecutorService executor, List<Member> members, ToIntFunction<Member> threadsOf, String key,
            byte[] payload, List<RolloutSpec> specs, int size) {
        this.executor = executor;
        for (Member m : members) {
            targets.add(new Target(m, threadsOf.applyAsInt(m)));
        }
        this.key = key;
        this.payload = payload;
        this.specs = specs;
        this.size = size;
        this.chunks = (specs.size() + size - 1) / size;
        for (int c = 0; c < chunks; c++) {
            pending.add(c);
        }
    }

    /**
     * Runs every chunk and returns the results in spec order. {@code localRunning} says whether
     * the evaluating process's own member is still up; {@code iteration} names the evaluation in
     * messages.
     *
     * @throws ClusterUnavailableException when no member is left or the own member stopped
     * @throws IllegalStateException when a rollout itself failed on a member
     */
    RolloutResult[] run(long iteration, BooleanSupplier localRunning, HazelcastRolloutEvaluator.ChunkListener listener)
            throws InterruptedException {
        RolloutResult[] results = new RolloutResult[specs.size()];
        int done = 0;
        dispatch();
        while (done < chunks) {
            Completion c = completions.poll(1, TimeUnit.SECONDS);
            if (c == null) {
                if (!localRunning.getAsBoolean()) {
                    throw new ClusterUnavailableException("the trainer's cluster member stopped during evaluation "
                            + iteration);
                }
                continue;
            }
            c.target().inFlight--;
            if (c.failure() == null) {
                RolloutResult[] r = c.results().results();
                System.arraycopy(r, 0, results, c.chunk() * size, r.length);
                c.target().done++;
                c.target().hasBroadcast = true;
                done++;
                if (listener != null) {
                    listener.onChunkDone(c.target().member.getUuid(), c.chunk());
                }
            } else if (has(c.failure(), BroadcastMissingException.class)) {
                c.target().hasBroadcast = false;
                pending.addFirst(c.chunk());
            } else if (isMemberLoss(c.failure())) {
                c.target().lost = true;
                pending.addFirst(c.chunk());
                reassigned++;
            } else {
                throw new IllegalStateException("rollout chunk " + c.chunk() + " failed on member "
                        + c.target().member.getAddress() + ": " + rootMessage(c.failure()), c.failure());
            }
            if (done < chunks && targets.stream().allMatch(t -> t.lost)) {
                throw new ClusterUnavailableException("no cluster member left to run rollouts: all "
                        + targets.size() + " members of evaluation " + iteration + " left with "
                        + (chunks - done) + " of " + chunks + " chunks unfinished");
            }
            dispatch();
        }
        return results;
    }

    int chunks() {
        return chunks;
    }

    /** Chunks sent again because their member left. */
    int reassigned() {
        return reassigned;
    }

    /** Chunks each member finished, in the members' order. */
    Map<UUID, Integer> chunksByMember() {
        Map<UUID, Integer> byMember = new LinkedHashMap<>();
        for (Target t : targets) {
            byMember.put(t.member.getUuid(), t.done);
        }
        return byMember;
    }

    /** Sends pending chunks, one per member in turn, while some member has room. */
    private void dispatch() {
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
}
