package dev.chromatic.trainer.rollout;

import java.io.Serializable;

/**
 * What a rollout returns: its return, length, distance, whether it fell, the fraction of edges the
 * evaluated parameters kept (masked networks), and the (count, sum, sum of squares) of the raw
 * observations it saw, for the ARS-V2 statistics merge.
 */
public final class RolloutResult implements Serializable {

    private static final long serialVersionUID = 1L;

    public final int slot;
    public final double totalReward;
    public final int steps;
    public final double distanceM;
    public final boolean fell;
    public final double keptFraction;
    public final long obsCount;
    public final double[] obsSum;
    public final double[] obsSumSq;

    public RolloutResult(int slot, double totalReward, int steps, double distanceM, boolean fell, double keptFraction,
            long obsCount, double[] obsSum, double[] obsSumSq) {
        this.slot = slot;
        this.totalReward = totalReward;
        this.steps = steps;
        this.distanceM = distanceM;
        this.fell = fell;
        this.keptFraction = keptFraction;
        this.obsCount = obsCount;
        this.obsSum = obsSum;
        this.obsSumSq = obsSumSq;
    }
}
