package dev.chromatic.trainer;

import dev.chromatic.runtime.policy.CompactPolicyCodec;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses the policy a run exports. During the run it keeps the best {@code --candidates}
 * unperturbed evaluations (each with the partition and normalisation it was evaluated with); at
 * the end it re-evaluates them, plus the final weights, on the same {@code --eval-episodes} seeds
 * and builds the policy of the best (a masked network: of its final weights). Not thread-safe.
 */
final class CandidateSelection {

    private static final long EVAL_STREAM = 4;

    private final TrainConfig cfg;
    private final RolloutEvaluator evaluator;
    private final EnvProfile env;
    private final StructuredNetwork network;
    /** Best first; equal scores: earlier iteration first. */
    private final List<Candidate> kept = new ArrayList<>();

    CandidateSelection(TrainConfig cfg, RolloutEvaluator evaluator, EnvProfile env, StructuredNetwork network) {
        this.cfg = cfg;
        this.evaluator = evaluator;
        this.env = env;
        this.network = network;
    }

    /**
     * Offers iteration {@code k}'s unperturbed evaluations, slots {@code firstExact} on: with
     * learned partitions each slot with its own partition and return; for a fixed structure, whose
     * exact slots are all alike, one candidate scored by the pivot.
     */
    void offer(int k, double[] theta, int[][] partitions, double[] obsMean, double[] obsStd, double[] returns,
            int firstExact, double pivot) {
        for (int s = firstExact; s < returns.length; s++) {
            if (partitions == null && s > firstExact) {
                break;
            }
            double score = partitions == null ? pivot : returns[s];
            offer(new Candidate(theta, partitions == null ? null : partitions[s].clone(), obsMean, obsStd, score, k));
        }
    }

    private void offer(Candidate c) {
        kept.add(c);
        kept.sort((x, y) -> x.score != y.score ? Double.compare(y.score, x.score) : Integer.compare(x.iteration, y.iteration));
        while (kept.size() > cfg.candidates) {
            kept.remove(kept.size() - 1);
        }
    }

    /** The candidates kept so far, best first (for checkpoints). */
    List<Candidate> kept() {
        return kept;
    }

    /** Replaces the kept candidates with a checkpoint's. */
    void restore(List<Candidate> candidates) {
        kept.clear();
        kept.addAll(candidates);
    }

    /**
     * Re-evaluates the kept candidates and {@code last} (the final weights with the controller's
     * most likely partition) and exports the best, the first of equals. A masked network exports
     * its final weights: they are where the annealed objective (return and sparsity) ends, and a
     * choice among earlier candidates by return alone would undo the pruning it bought.
     */
    TrainResult finish(Candidate last, int iterations, double bestMean, double bestMax, Map<String, String> metadata)
            throws PolicyFormatException {
        List<Candidate> pool = new ArrayList<>();
        if (network.structure().kind() != StructureKind.MASKED) {
            pool.addAll(kept);
        }
        pool.add(last);
        double bestScore = Double.NEGATIVE_INFINITY;
        Candidate best = null;
        for (Candidate c : pool) {
            double score = evaluate(c);
            if (best == null || score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        Policy policy = export(best, bestScore, iterations, metadata);
        int weightParams = network.structure().weightParams(best.theta);
        double[][] matrices = network.weightMatrices(best.theta, best.partition);
        return new TrainResult(policy, bestScore, bestMean, bestMax, iterations, weightParams,
                weightParams + policy.biasParamCount(), network.displacementRanks(matrices, false),
                network.displacementRanks(matrices, true));
    }

    /** Mean return of a candidate over the evaluation seeds. */
    private double evaluate(Candidate c) {
        IterationBroadcast b = new IterationBroadcast(env.id, cfg.envOptions.toText(), network.spec(), -1, cfg.seed, 0.0, c.theta,
                c.partition == null ? null : new int[][] {c.partition}, c.obsMean, c.obsStd, cfg.obsClip, cfg.maxSteps);
        List<RolloutSpec> specs = new ArrayList<>();
        for (int e = 0; e < cfg.evalEpisodes; e++) {
            specs.add(new RolloutSpec(e, -1, 0, 0, Rng.deriveSeed(cfg.seed, EVAL_STREAM, e)));
        }
        double sum = 0;
        for (RolloutResult r : evaluator.evaluate(b, specs)) {
            sum += r.totalReward;
        }
        return sum / cfg.evalEpisodes;
    }

    /**
     * The policy of {@code best}: everything inference needs, and how it was selected, every number
     * rounded to float32 so that its full and compact files load to the same numbers (the selection
     * reward is the float64 candidate's).
     */
    private Policy export(Candidate best, double score, int iterations, Map<String, String> metadata)
            throws PolicyFormatException {
        int[] layerSizes = network.layerSizes();
        double[] weights = new double[network.structure().poolSize()];
        double[][] biases = new double[layerSizes.length - 1][];
        Policy.Builder pb = Policy.builder();
        pb.edgeColors = network.colors(best.theta, best.partition, weights, biases);
        pb.structure = network.structure().kind();
        pb.layerSizes = layerSizes.clone();
        pb.activations = network.structure().activations();
        pb.colorCount = network.structure().poolSize();
        pb.sharedWeights = weights;
        pb.biases = biases;
        pb.outputBias = false;
        pb.obsMean = best.obsMean.clone();
        pb.obsStd = best.obsStd.clone();
        pb.obsClip = cfg.obsClip;
        pb.actionScale = env.actionScale();
        pb.actionOffset = env.actionOffset();
        pb.controlPeriodNs = env.controlPeriodNs;
        pb.robot = env.robot;
        pb.stack = env.stack;
        pb.task = env.task;
        pb.metadata.put("trainer", cfg.describe());
        pb.metadata.put("seed", Long.toString(cfg.seed));
        pb.metadata.put("iterations", Integer.toString(iterations));
        pb.metadata.put("selection_reward", Double.toString(score));
        pb.metadata.put("selection_episodes", Integer.toString(cfg.evalEpisodes));
        pb.metadata.put("env_options", cfg.envOptions.toText());
        pb.metadata.put("selected_from_iteration", Integer.toString(best.iteration));
        if (metadata != null) {
            pb.metadata.putAll(metadata);
        }
        return CompactPolicyCodec.toFloat32(pb.build());
    }
}
