package dev.chromatic.trainer;

import dev.chromatic.runtime.inference.FixedPointNetwork;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.TrainingEnv;
import dev.chromatic.trainer.rollout.TrainingEnvs;

/**
 * Runs a policy file's own controller (its normalisation, action scaling and stack) in a training
 * environment, once with the float64 reference network and once with the robot's fixed-point
 * network, on the same episode seeds, so the two returns can be compared.
 */
public final class PolicyEvaluation {

    private static final long EVAL_STREAM = 5;
    /** The seed of `chromatic eval` and of the export check the trainer records as {@code eval_reward}. */
    public static final long DEFAULT_SEED = 1;

    /** Means over the episodes of one network kind. */
    public static final class Summary {
        public double meanReward;
        public double meanDistanceM;
        public double meanSteps;
        public int falls;
        public int episodes;
        public double meanSpeedMps;
    }

    /** Float and fixed-point summaries of the same episodes. */
    public static final class Report {
        public final Summary floating;
        public final Summary fixed;

        Report(Summary floating, Summary fixed) {
            this.floating = floating;
            this.fixed = fixed;
        }
    }

    private PolicyEvaluation() {
    }

    /**
     * Evaluates {@code policy} on {@code envId} for {@code episodes} episodes from seeds derived from
     * {@code seed}.
     *
     * @throws IllegalArgumentException when the policy does not fit the environment
     */
    public static Report run(Policy policy, String envId, EnvOptions options, int episodes, long seed, int maxSteps) {
        try (TrainingEnv env = TrainingEnvs.create(envId, options)) {
            if (env.observationDim() != policy.observationDim() || env.actionDim() != policy.actionDim()) {
                throw new IllegalArgumentException("policy is " + policy.observationDim() + "->" + policy.actionDim()
                        + " but env " + envId + " is " + env.observationDim() + "->" + env.actionDim());
            }
            env.setActionScaling(policy.actionScale(), policy.actionOffset());
            Summary f = summarise(env, policy, FloatNetwork.of(policy), episodes, seed, maxSteps);
            Summary q = summarise(env, policy, FixedPointNetwork.of(policy), episodes, seed, maxSteps);
            return new Report(f, q);
        }
    }

    private static Summary summarise(TrainingEnv env, Policy policy, NetworkEvaluator net, int episodes, long seed,
            int maxSteps) {
        Summary s = new Summary();
        TrainingEnv.Episode ep = new TrainingEnv.Episode();
        int limit = maxSteps > 0 ? maxSteps : env.maxSteps();
        for (int e = 0; e < episodes; e++) {
            env.run(Rng.deriveSeed(seed, EVAL_STREAM, e), net, policy.obsMean(), policy.obsStd(), policy.obsClip(),
                    limit, null, ep);
            s.meanReward += ep.totalReward / episodes;
            s.meanDistanceM += ep.distanceM / episodes;
            s.meanSteps += ep.steps / (double) episodes;
            s.meanSpeedMps += ep.distanceM / Math.max(1e-9, ep.steps * env.controlPeriodNs() * 1e-9) / episodes;
            if (ep.fell) {
                s.falls++;
            }
        }
        s.episodes = episodes;
        return s;
    }
}
