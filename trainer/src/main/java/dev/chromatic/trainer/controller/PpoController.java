package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.Optimizer;
import dev.chromatic.trainer.exec.ParallelFor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The same {@link LstmPolicy} trained by PPO (Schulman et al. 2017), the update the authors' later
 * code uses for this controller: per batch, {@code epochs} Adam steps on the clipped surrogate
 * <pre>
 *   J = 1/(B E) sum_i sum_t [ min(rho A_i, clip(rho, 1 - eps, 1 + eps) A_i) + beta H_t ],
 *   rho = p_t(c_i,t) / p_t,old(c_i,t)
 * </pre>
 * with per-decision ratios (a whole-coloring ratio is a product of E of them and would be clipped
 * almost always), {@code A} z-scored within the batch as for {@link LstmController}, and the same
 * exact entropy regulariser. The old policy is the one that held when the batch was told; the first
 * epoch, at {@code rho = 1}, is exactly a REINFORCE step. Each epoch uses the whole batch, so the
 * result does not depend on how it is split. Not thread-safe.
 */
public final class PpoController implements PartitionController {

    /** Ratio clip epsilon (PPO's usual 0.2). */
    public static final double CLIP = 0.2;
    /** Optimisation epochs per batch. */
    public static final int EPOCHS = 4;
    /**
     * Adam step (ours): a quarter of REINFORCE's, as each batch takes {@link #EPOCHS} steps; higher
     * steps also follow pure reward noise faster (docs/trainer.md).
     */
    public static final double DEFAULT_LEARNING_RATE = 0.005;

    private final LstmPolicy policy;
    private final double entropyWeight;
    private final double clip;
    private final int epochs;
    private final Optimizer optimizer;
    private final double[] grad;
    private double lastEntropy;

    public PpoController(int edges, int colors, long seed, double learningRate, double entropyWeight,
            double temperature, ParallelFor parallel) {
        this(edges, colors, seed, learningRate, entropyWeight, temperature, CLIP, EPOCHS, parallel,
                LstmController.HIDDEN, LstmController.EMBEDDING);
    }

    PpoController(int edges, int colors, long seed, double learningRate, double entropyWeight, double temperature,
            double clip, int epochs, ParallelFor parallel, int hidden, int emb) {
        if (!(learningRate > 0) || !(entropyWeight >= 0) || !(clip > 0 && clip < 1) || epochs < 1) {
            throw new IllegalArgumentException("PPO needs lr > 0, entropy weight >= 0, clip in (0, 1) and epochs >= 1");
        }
        this.policy = new LstmPolicy(edges, colors, seed, temperature, hidden, emb, parallel);
        this.entropyWeight = entropyWeight;
        this.clip = clip;
        this.epochs = epochs;
        this.optimizer = new Optimizer.Adam(learningRate, policy.params().length);
        this.grad = new double[policy.params().length];
        this.lastEntropy = Math.log(colors);
    }

    @Override
    public String id() {
        return "ppo";
    }

    @Override
    public int edgeCount() {
        return policy.edges();
    }

    @Override
    public int colorCount() {
        return policy.colors();
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
        double[][] oldLogp = new double[partitions.length][policy.edges()];
        LstmPolicy.DecisionObjective surrogate = clipped(advantage, oldLogp, clip);
        // epoch 0 records log p_old as it goes, so its ratios are exactly 1
        lastEntropy = policy.gradient(partitions, surrogate, entropyWeight, grad, oldLogp);
        optimizer.ascend(policy.params(), grad);
        for (int epoch = 1; epoch < epochs; epoch++) {
            policy.gradient(partitions, surrogate, entropyWeight, grad, null);
            optimizer.ascend(policy.params(), grad);
        }
    }

    /**
     * The clipped surrogate {@code f_i,t(log p) = min(rho A_i, clip(rho) A_i)} with
     * {@code rho = exp(log p - oldLogp[i][t])}; its slope is {@code rho A_i} where the unclipped
     * term is the smaller and 0 where the clip holds.
     */
    static LstmPolicy.DecisionObjective clipped(double[] advantage, double[][] oldLogp, double clip) {
        return new LstmPolicy.DecisionObjective() {
            @Override
            public double value(int sample, int step, double logp) {
                double a = advantage[sample];
                double rho = Math.exp(logp - oldLogp[sample][step]);
                return Math.min(rho * a, clamp(rho, clip) * a);
            }

            @Override
            public double slope(int sample, int step, double logp) {
                double a = advantage[sample];
                double rho = Math.exp(logp - oldLogp[sample][step]);
                return rho * a <= clamp(rho, clip) * a ? rho * a : 0.0;
            }
        };
    }

    private static double clamp(double rho, double clip) {
        return Math.max(1 - clip, Math.min(1 + clip, rho));
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
