package dev.chromatic.trainer;

import dev.chromatic.runtime.policy.Policy;

/** The outcome of a run: the selected policy and the numbers a report needs. */
public final class TrainResult {
    /** The exported policy (float weights; the file adds the envelope). */
    public final Policy policy;
    /** Mean return of the selected policy over the final evaluation episodes. */
    public final double reward;
    /** Highest mean-over-slots return of any iteration. */
    public final double bestMeanReward;
    /** Highest single-rollout return of the run. */
    public final double maxReward;
    public final int iterations;
    public final int weightParams;
    public final int totalParams;
    /** Displacement rank of each weight matrix of the selected policy, Toeplitz pair (Z_1, Z_-1). */
    public final int[] displacementRanks;
    /** The same with the Toeplitz-Hankel pair (Y_00, Y_11). */
    public final int[] displacementRanksToeplitzHankel;

    TrainResult(Policy policy, double reward, double bestMeanReward, double maxReward, int iterations,
            int weightParams, int totalParams, int[] displacementRanks, int[] displacementRanksToeplitzHankel) {
        this.policy = policy;
        this.reward = reward;
        this.bestMeanReward = bestMeanReward;
        this.maxReward = maxReward;
        this.iterations = iterations;
        this.weightParams = weightParams;
        this.totalParams = totalParams;
        this.displacementRanks = displacementRanks;
        this.displacementRanksToeplitzHankel = displacementRanksToeplitzHankel;
    }

    /** The same result with another policy (e.g. with check figures added to its metadata). */
    public TrainResult withPolicy(Policy other) {
        return new TrainResult(other, reward, bestMeanReward, maxReward, iterations, weightParams, totalParams,
                displacementRanks, displacementRanksToeplitzHankel);
    }
}
