package dev.chromatic.trainer.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import dev.chromatic.trainer.rollout.RolloutWorker;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A run of consecutive rollout specs sent to one member: the broadcast's key (and the broadcast
 * itself while the member may not have it yet) and, per rollout,
 * five numbers (slot, perturbation, sign, partition, episode seed). Runs them on one of the
 * member's workers in order and returns their results.
 */
public final class RolloutChunk implements Callable<ChunkResults>, DataSerializable, HazelcastInstanceAware {

    private String broadcastKey;
    /** The encoded broadcast, sent until the member has answered a chunk of this evaluation; else null. */
    private byte[] broadcast;
    private int[] slot;
    private int[] perturbation;
    private int[] sign;
    private int[] partition;
    private long[] episodeSeed;
    private transient HazelcastInstance hz;

    /** For deserialization. */
    public RolloutChunk() {
    }

    RolloutChunk(String broadcastKey, byte[] broadcast, List<RolloutSpec> specs, int from, int to) {
        this.broadcastKey = broadcastKey;
        this.broadcast = broadcast;
        int n = to - from;
        slot = new int[n];
        perturbation = new int[n];
        sign = new int[n];
        partition = new int[n];
        episodeSeed = new long[n];
        for (int i = 0; i < n; i++) {
            RolloutSpec s = specs.get(from + i);
            slot[i] = s.slot;
            perturbation[i] = s.perturbation;
            sign[i] = s.sign;
            partition[i] = s.partitionIndex;
            episodeSeed[i] = s.episodeSeed;
        }
    }

    int size() {
        return slot.length;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hz = hazelcastInstance;
    }

    @Override
    public ChunkResults call() throws Exception {
        MemberRollouts rollouts = (MemberRollouts) hz.getUserContext().get(MemberRollouts.USER_CONTEXT_KEY);
        if (rollouts == null) {
            throw new IllegalStateException("member " + hz.getName() + " was not started as a rollout member");
        }
        IterationBroadcast b = rollouts.broadcast(broadcastKey, broadcast);
        RolloutResult[] out = new RolloutResult[slot.length];
        RolloutWorker w = rollouts.borrow();
        try {
            for (int i = 0; i < out.length; i++) {
                out[i] = w.run(b, new RolloutSpec(slot[i], perturbation[i], sign[i], partition[i], episodeSeed[i]));
            }
        } finally {
            rollouts.giveBack(w);
        }
        return new ChunkResults(out);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(broadcastKey);
        out.writeByteArray(broadcast);
        out.writeIntArray(slot);
        out.writeIntArray(perturbation);
        out.writeIntArray(sign);
        out.writeIntArray(partition);
        out.writeLongArray(episodeSeed);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        broadcastKey = in.readString();
        broadcast = in.readByteArray();
        slot = in.readIntArray();
        perturbation = in.readIntArray();
        sign = in.readIntArray();
        partition = in.readIntArray();
        episodeSeed = in.readLongArray();
    }
}
