package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.exec.ParallelFor;
import java.util.Arrays;

/**
 * The paper's ENAS controller network, shared by the REINFORCE ({@link LstmController}) and PPO
 * ({@link PpoController}) updates: a one-layer LSTM that walks the edges in a fixed order and,
 * autoregressively, picks each edge's color from {@code softmax(logits / T)}. The input at step t
 * is the learned embedding of edge t plus the learned embedding of the color chosen at step t-1 (a
 * start row for t = 0). Parameters start uniform in (-0.1, 0.1) (ENAS).
 *
 * <p>Both updates ascend one per-decision objective over a batch of B partitions of E edges,
 * <pre>
 *   J = 1/(B E) sum_i sum_t [ f_i,t(log p_t(c_i,t)) + beta H_t ],   H_t = -sum_m p_t,m log p_t,m
 * </pre>
 * where {@code f} is the update's surrogate ({@code A_i log p} for REINFORCE) and {@code H_t} is the
 * exact entropy of decision t's distribution along the teacher-forced path. Backpropagation through
 * time is written out by hand; {@code LstmControllerTest} checks it against finite differences.
 *
 * <p>This class runs batches: the parameters and their layout are {@link LstmWeights}, one path's
 * forward and backward pass is an {@link LstmPass}. Samples and gradients run on a
 * {@link ParallelFor}; every sample has its own random stream and gradients are summed in fixed
 * chunks of {@link #CHUNK} samples, so any thread count gives the same bits. Nothing is kept
 * between calls but the parameters. Not thread-safe.
 */
final class LstmPolicy {

    /** Samples per gradient chunk; fixed so the summation order does not depend on threads. */
    static final int CHUNK = 4;
    private static final long STREAM = 13;

    /** The per-decision surrogate {@code f(log p)} of an update and its slope {@code df / d log p}. */
    interface DecisionObjective {
        double value(int sample, int step, double logp);

        double slope(int sample, int step, double logp);
    }

    private final int edges;
    private final int colors;
    private final long seed;
    private final double temperature;
    private final ParallelFor parallel;
    private final LstmWeights weights;
    /** One pass per worker thread, made on first use. */
    private final LstmPass[] scratch;

    LstmPolicy(int edges, int colors, long seed, double temperature, int hidden, int emb, ParallelFor parallel) {
        if (edges < 1 || colors < 1) {
            throw new IllegalArgumentException("edges and colors must be >= 1");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        }
        this.edges = edges;
        this.colors = colors;
        this.seed = seed;
        this.temperature = temperature;
        this.parallel = parallel;
        this.weights = new LstmWeights(edges, colors, hidden, emb, Rng.derive(seed, STREAM, -1));
        this.scratch = new LstmPass[parallel.threads()];
    }

    int edges() {
        return edges;
    }

    int colors() {
        return colors;
    }

    /** The flat parameter vector, updated in place by the optimiser. */
    double[] params() {
        return weights.params;
    }

    private LstmPass scratch(int worker) {
        LstmPass t = scratch[worker];
        if (t == null) {
            t = new LstmPass(weights, temperature);
            scratch[worker] = t;
        }
        return t;
    }

    /**
     * Samples proposal {@code i} of {@code round} from stream {@code (seed, round, i)} into
     * {@code out[i]}; returns the mean entropy (nats) of the sampled decisions' distributions.
     */
    double sample(long round, int[][] out) {
        weights.project();
        double[] entropies = new double[out.length];
        parallel.run(out.length, (i, w) -> {
            LstmPass t = scratch(w);
            t.forward(out[i], Rng.derive(seed, STREAM, round, i), false);
            entropies[i] = t.entropySum();
        });
        return meanPerDecision(entropies);
    }

    /** The greedy (argmax at every step) coloring. */
    int[] greedy() {
        int[] p = new int[edges];
        weights.project();
        scratch(0).forward(p, null, true);
        return p;
    }

    /** {@code log p(P)} under the current parameters. */
    double logProbability(int[] partition) {
        weights.project();
        LstmPass t = scratch(0);
        t.forward(partition, null, false);
        double s = 0;
        for (int k = 0; k < edges; k++) {
            s += t.logp[k];
        }
        return s;
    }

    /** The objective {@code J} of the class comment for teacher-forced {@code partitions}. */
    double objective(int[][] partitions, DecisionObjective f, double entropyWeight) {
        weights.project();
        double[] terms = new double[partitions.length];
        parallel.run(partitions.length, (i, w) -> {
            LstmPass t = scratch(w);
            t.forward(partitions[i], null, false);
            terms[i] = pathObjective(t, i, f, entropyWeight);
        });
        double sum = 0;
        for (double v : terms) {
            sum += v;
        }
        return sum / ((double) partitions.length * edges);
    }

    /** {@code sum_t [f(log p_t) + beta H_t]} of the pass's last forward pass, sample {@code i}. */
    private double pathObjective(LstmPass t, int i, DecisionObjective f, double beta) {
        double s = 0;
        for (int k = 0; k < edges; k++) {
            s += f.value(i, k, t.logp[k]) + beta * t.entropy[k];
        }
        return s;
    }

    /**
     * Fills {@code grad} with {@code dJ / dparams} and returns the mean per-decision entropy of the
     * paths. When {@code logpOut} is given, {@code logpOut[i][t]} receives {@code log p_t} of sample
     * i before {@code f} is consulted (PPO records its old log-probabilities this way).
     */
    double gradient(int[][] partitions, DecisionObjective f, double entropyWeight, double[] grad, double[][] logpOut) {
        int n = partitions.length;
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[][] partial = new double[chunks][];
        double[] entropies = new double[n];
        double scale = 1.0 / ((double) n * edges);
        weights.project();
        parallel.run(chunks, (c, w) -> {
            double[] g = new double[weights.params.length];
            LstmPass t = scratch(w);
            Arrays.fill(t.dEdge, 0.0);
            Arrays.fill(t.dColor, 0.0);
            for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                t.forward(partitions[i], null, false);
                if (logpOut != null) {
                    System.arraycopy(t.logp, 0, logpOut[i], 0, edges);
                }
                for (int k = 0; k < edges; k++) {
                    t.slope[k] = scale * f.slope(i, k, t.logp[k]);
                }
                t.backward(scale * entropyWeight, g);
                entropies[i] = t.entropySum();
            }
            weights.foldInputGradient(t.dEdge, t.dColor, g);
            partial[c] = g;
        });
        Arrays.fill(grad, 0.0);
        for (double[] g : partial) {
            for (int j = 0; j < grad.length; j++) {
                grad[j] += g[j];
            }
        }
        return meanPerDecision(entropies);
    }

    private double meanPerDecision(double[] entropySums) {
        double sum = 0;
        for (double h : entropySums) {
            sum += h;
        }
        return entropySums.length == 0 ? Math.log(colors) : sum / (entropySums.length * (double) edges);
    }
}
