package dev.chromatic.trainer.rollout;

import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.trainer.es.ObservationStats;

/**
 * A training environment: a simulator backend + a task + the controller stack the robot runs.
 * It runs whole episodes of a network with given (frozen) normalisation and reports the return.
 * One instance per worker thread (one physics space each). Not thread-safe.
 */
public interface TrainingEnv extends AutoCloseable {

    /** Environment id, e.g. {@code pendulum}, {@code minitaur-pmtg}. */
    String id();

    int observationDim();

    int actionDim();

    /** Episode length limit in steps. */
    int maxSteps();

    /** Default action scaling written into the policy: {@code a = offset + scale * y}. */
    double[] actionScale();

    double[] actionOffset();

    long controlPeriodNs();

    /** Replaces the action scaling (e.g. with a policy file's own) for the following episodes. */
    void setActionScaling(double[] scale, double[] offset);

    /** Robot model id written into the policy ({@code none} for classic tasks). */
    String robot();

    /** Controller stack id written into the policy ({@code plain} for classic tasks). */
    String stack();

    /** Task id written into the policy. */
    String task();

    /**
     * Runs one episode from {@code seed} for at most {@code maxSteps} steps with {@code network}
     * on inputs {@code clip((s - mean) / std, -clip, clip)}; every raw observation is added to
     * {@code stats} (may be null). Fills and returns {@code out}.
     */
    Episode run(long seed, NetworkEvaluator network, double[] obsMean, double[] obsStd, double obsClip,
            int maxSteps, ObservationStats stats, Episode out);

    @Override
    void close();

    /** What one episode did. */
    final class Episode {
        public double totalReward;
        public int steps;
        /** Forward distance of the robot base (0 for classic tasks). */
        public double distanceM;
        /** The episode ended early because the robot fell (or left the track). */
        public boolean fell;

        public void clear() {
            totalReward = 0;
            steps = 0;
            distanceM = 0;
            fell = false;
        }
    }
}
