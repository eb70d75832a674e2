package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.Optimizer;
import dev.chromatic.trainer.exec.ParallelFor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The paper's ENAS controller trained by REINFORCE: the {@link LstmPolicy} network (64 hidden)
 * and one Adam step per batch on
 * <pre>
 *   J = 1/(B E) sum_i sum_t [ A_i log p_t(c_i,t) + beta H_t ],   A = zscore(R) within the batch
 * </pre>
 * The entropy is a regulariser on each decision's distribution (its exact gradient enters the
 * step), not a bonus added to the reward: a bonus reaches the parameters only through the score
 * function, as noise. The baseline is the batch mean ({@link Advantages}). A batch whose rewards
 * are all equal carries no signal and is skipped. Not thread-safe.
 */
public final class LstmController implements PartitionController {

    /** Hidden units (paper, Appendix A.1). */
    public static final int HIDDEN = 64;
    /** Edge and color embedding width (not given in the paper; ours). */
    public static final int EMBEDDING = 16;
    /** Adam step (ours; the paper's 1e-3 barely moves in the updates that fit here, docs/trainer.md). */
    public static final double DEFAULT_LEARNING_RATE = 0.02;

    private final LstmPolicy policy;
    private final double entropyWeight;
    private final Optimizer optimizer;
    private final double[] grad;
    private double lastEntropy;

    public LstmController(int edges, int colors, long seed, double learningRate, double entropyWeight,
            double temperature, ParallelFor parallel) {
        this(edges, colors, seed, learningRate, entropyWeight, temperature, parallel, HIDDEN, EMBEDDING);
    }

    LstmController(int edges, int colors, long seed, double learningRate, double entropyWeight,
            double temperature, ParallelFor parallel, int hidden, int emb) {
        if (!(learningRate > 0) || !(entropyWeight >= 0)) {
            throw new IllegalArgumentException("learning rate must be > 0 and entropy weight >= 0");
        }
        this.policy = new LstmPolicy(edges, colors, seed, temperature, hidden, emb, parallel);
        this.entropyWeight = entropyWeight;
        this.optimizer = new Optimizer.Adam(learningRate, policy.params().length);
        this.grad = new double[policy.params().length];
        this.lastEntropy = Math.log(colors);
    }

    @Override
    public String id() {
        return "lstm";
    }

    @Override
    public int edgeCount() {
        return policy.edges();
    }

    @Override
    public int colorCount() {
        return policy.colors();
    }

    public int parameterCount() {
        return policy.params().length;
    }

    /** The network (internal: tests check its gradients). */
    LstmPolicy policy() {
        return policy;
    }

    @Override
    public void ask(long round, int[][] out) {
        lastEntropy = policy.sample(round, out);
    }

    @Override
    public void tell(long round, int[][] partitions, double[] rewards) {
        double[] advantage = Advantages.zScore(rewards);
        if (advantage == null) {
            return;
        }
        lastEntropy = policy.gradient(partitions, reinforce(advantage), entropyWeight, grad, null);
        optimizer.ascend(policy.params(), grad);
    }

    /** The REINFORCE surrogate {@code f_i(log p) = A_i log p}. */
    static LstmPolicy.DecisionObjective reinforce(double[] advantage) {
        return new LstmPolicy.DecisionObjective() {
            @Override
            public double value(int sample, int step, double logp) {
                return advantage[sample] * logp;
            }

            @Override
            public double slope(int sample, int step, double logp) {
                return advantage[sample];
            }
        };
    }

    @Override
    public double entropy() {
        return lastEntropy;
    }

    @Override
    public int[] mostLikely() {
        return policy.greedy();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        Io.writeDoubles(out, policy.params());
        optimizer.save(out);
        out.writeDouble(lastEntropy);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        Io.readDoubles(in, policy.params());
        optimizer.load(in);
        lastEntropy = in.readDouble();
    }
}
