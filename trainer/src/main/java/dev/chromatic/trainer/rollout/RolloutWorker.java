package dev.chromatic.trainer.rollout;

import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.trainer.es.EsStrategy;
import dev.chromatic.trainer.es.ObservationStats;
import dev.chromatic.trainer.structure.Parameterization;

/**
 * Runs rollouts for one thread: owns one environment (one physics space) and one float64
 * network, rebuilt only when the environment or structure changes. Turns a spec into
 * {@code theta + sign * sigma * eps_i} (eps regenerated from the noise seed), applies the
 * partition, runs the episode and reports the result. Not thread-safe.
 */
public final class RolloutWorker implements AutoCloseable {

    private TrainingEnv env;
    private String envOptions;
    private StructureSpec structureSpec;
    private Parameterization structure;
    private FloatNetwork network;
    private double[] params;
    private double[] eps;
    private int[][] colors;
    private double[] weights;
    private double[][] biases;
    private final TrainingEnv.Episode episode = new TrainingEnv.Episode();

    private void prepare(IterationBroadcast b) {
        if (env == null || !env.id().equals(b.envId) || !b.envOptions.equals(envOptions)) {
            if (env != null) {
                env.close();
            }
            env = TrainingEnvs.create(b.envId, EnvOptions.fromText(b.envOptions));
            envOptions = b.envOptions;
            structureSpec = null;
        }
        if (structureSpec != b.structure) {
            structureSpec = b.structure;
            structure = b.structure.build();
            int[] sizes = structure.layerSizes();
            network = new FloatNetwork(sizes, structure.activations());
            params = new double[structure.parameterCount()];
            eps = new double[structure.parameterCount()];
            colors = new int[sizes.length - 1][];
            biases = new double[sizes.length - 1][];
            for (int l = 0; l < sizes.length - 1; l++) {
                colors[l] = new int[sizes[l] * sizes[l + 1]];
                biases[l] = new double[sizes[l + 1]];
            }
            weights = new double[structure.poolSize()];
            network.setParameters(colors, weights, biases);
        }
    }

    public RolloutResult run(IterationBroadcast b, RolloutSpec spec) {
        prepare(b);
        System.arraycopy(b.theta, 0, params, 0, params.length);
        if (spec.perturbation >= 0) {
            EsStrategy.perturbation(b.noiseSeed, b.iteration, spec.perturbation, eps);
            double s = spec.sign * b.sigma;
            for (int j = 0; j < params.length; j++) {
                params[j] += s * eps[j];
            }
        }
        int[] partition = b.partitions == null ? null : b.partitions[spec.partitionIndex];
        structure.apply(params, partition, colors, weights, biases);
        ObservationStats stats = new ObservationStats(env.observationDim());
        int maxSteps = b.maxSteps > 0 ? b.maxSteps : env.maxSteps();
        env.run(spec.episodeSeed, network, b.obsMean, b.obsStd, b.obsClip, maxSteps, stats, episode);
        return new RolloutResult(spec.slot, episode.totalReward, episode.steps, episode.distanceM, episode.fell,
                structure.keptFraction(params), stats.count(), stats.sum(), stats.sumSq());
    }

    @Override
    public void close() {
        if (env != null) {
            env.close();
            env = null;
        }
    }
}
