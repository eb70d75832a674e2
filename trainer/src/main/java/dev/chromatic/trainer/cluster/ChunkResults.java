package dev.chromatic.trainer.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.chromatic.trainer.rollout.RolloutResult;
import java.io.IOException;

/** The results of one {@link RolloutChunk}, in its order, as plain numbers on the wire. */
public final class ChunkResults implements DataSerializable {

    private RolloutResult[] results;

    /** For deserialization. */
    public ChunkResults() {
    }

    ChunkResults(RolloutResult[] results) {
        this.results = results;
    }

    RolloutResult[] results() {
        return results;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(results.length);
        for (RolloutResult r : results) {
            out.writeInt(r.slot);
            out.writeDouble(r.totalReward);
            out.writeInt(r.steps);
            out.writeDouble(r.distanceM);
            out.writeBoolean(r.fell);
            out.writeDouble(r.keptFraction);
            out.writeLong(r.obsCount);
            out.writeDoubleArray(r.obsSum);
            out.writeDoubleArray(r.obsSumSq);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        results = new RolloutResult[in.readInt()];
        for (int i = 0; i < results.length; i++) {
            results[i] = new RolloutResult(in.readInt(), in.readDouble(), in.readInt(), in.readDouble(),
                    in.readBoolean(), in.readDouble(), in.readLong(), in.readDoubleArray(), in.readDoubleArray());
        }
    }
}
