package dev.chromatic.trainer.rollout;

import java.io.Serializable;

/**
 * What every worker needs once per iteration: the environment, the structure, the mean
 * parameters, the noise seed and sigma (a worker regenerates {@code eps_i} itself), the
 * partitions of the iteration's slots (chromatic only), and the frozen normalisation.
 * Serializable so a cluster evaluator can ship it; immutable by convention.
 */
public final class IterationBroadcast implements Serializable {

    private static final long serialVersionUID = 1L;

    public final String envId;
    /** {@link EnvOptions#toText()} of the run. */
    public final String envOptions;
    public final StructureSpec structure;
    public final long iteration;
    public final long noiseSeed;
    public final double sigma;
    public final double[] theta;
    /** Partitions referenced by {@link RolloutSpec#partitionIndex}; null when none are learned. */
    public final int[][] partitions;
    public final double[] obsMean;
    public final double[] obsStd;
    public final double obsClip;
    public final int maxSteps;

    public IterationBroadcast(String envId, String envOptions, StructureSpec structure, long iteration, long noiseSeed, double sigma,
            double[] theta, int[][] partitions, double[] obsMean, double[] obsStd, double obsClip, int maxSteps) {
        this.envId = envId;
        this.envOptions = envOptions;
        this.structure = structure;
        this.iteration = iteration;
        this.noiseSeed = noiseSeed;
        this.sigma = sigma;
        this.theta = theta;
        this.partitions = partitions;
        this.obsMean = obsMean;
        this.obsStd = obsStd;
        this.obsClip = obsClip;
        this.maxSteps = maxSteps;
    }
}
