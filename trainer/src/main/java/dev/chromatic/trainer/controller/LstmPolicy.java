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
 * <p>Samples and gradients run on a {@link ParallelFor}; every sample has its own random stream and
 * gradients are summed in fixed chunks of {@link #CHUNK} samples, so any thread count gives the
 * same bits. Nothing is kept between calls but the parameters. Not thread-safe.
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
    private final int hidden;
    private final int emb;
    private final long seed;
    private final double temperature;
    private final ParallelFor parallel;

    // offsets into the flat parameter vector
    private final int oEdge;
    private final int oColor;
    private final int oWx;
    private final int oWh;
    private final int oB;
    private final int oWo;
    private final int oBo;
    private final double[] params;
    /**
     * The input side of the gates, {@code b + Wx e_edge(t)} per edge and {@code Wx e_color(c)} per
     * color (and the start row), refreshed from the parameters at the start of every call: the
     * input at step t is the sum of two embeddings, so {@code Wx x_t} is the sum of two rows here.
     */
    private final double[] inEdge;
    private final double[] inColor;
    private final Trajectory[] scratch;

    LstmPolicy(int edges, int colors, long seed, double temperature, int hidden, int emb, ParallelFor parallel) {
        if (edges < 1 || colors < 1) {
            throw new IllegalArgumentException("edges and colors must be >= 1");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        }
        this.edges = edges;
        this.colors = colors;
        this.hidden = hidden;
        this.emb = emb;
        this.seed = seed;
        this.temperature = temperature;
        this.parallel = parallel;
        int g = 4 * hidden;
        oEdge = 0;
        oColor = oEdge + edges * emb;
        oWx = oColor + (colors + 1) * emb;
        oWh = oWx + g * emb;
        oB = oWh + g * hidden;
        oWo = oB + g;
        oBo = oWo + colors * hidden;
        params = new double[oBo + colors];
        inEdge = new double[edges * g];
        inColor = new double[(colors + 1) * g];
        Rng rng = Rng.derive(seed, STREAM, -1);
        for (int i = 0; i < params.length; i++) {
            params[i] = -0.1 + 0.2 * rng.nextDouble();
        }
        scratch = new Trajectory[parallel.threads()];
    }

    int edges() {
        return edges;
    }

    int colors() {
        return colors;
    }

    /** The flat parameter vector, updated in place by the optimiser. */
    double[] params() {
        return params;
    }

    /** Recomputes {@link #inEdge} and {@link #inColor} from the current parameters. */
    private void project() {
        int g4 = 4 * hidden;
        for (int t = 0; t < edges; t++) {
            for (int r = 0; r < g4; r++) {
                inEdge[t * g4 + r] = params[oB + r] + dot(params, oWx + r * emb, params, oEdge + t * emb, emb);
            }
        }
        for (int c = 0; c <= colors; c++) {
            for (int r = 0; r < g4; r++) {
                inColor[c * g4 + r] = dot(params, oWx + r * emb, params, oColor + c * emb, emb);
            }
        }
    }

    /**
     * Adds the parameter gradient of the input side, given {@code dEdge[t] = sum dz_t} over the steps
     * at edge t and {@code dColor[c]} over the steps whose previous color was c, into {@code grad}:
     * {@code db += dz}, {@code dWx += dz x^T}, {@code de_edge(t) += Wx^T dEdge[t]} and likewise for
     * the colors. Summing per row first does the {@code Wx} work once per chunk, not once per step.
     */
    private void foldInputGradient(double[] dEdge, double[] dColor, double[] grad) {
        int g4 = 4 * hidden;
        for (int t = 0; t < edges; t++) {
            foldRow(dEdge, t * g4, oEdge + t * emb, true, grad);
        }
        for (int c = 0; c <= colors; c++) {
            foldRow(dColor, c * g4, oColor + c * emb, false, grad);
        }
    }

    private void foldRow(double[] dIn, int dOff, int embOff, boolean bias, double[] grad) {
        for (int r = 0; r < 4 * hidden; r++) {
            double d = dIn[dOff + r];
            if (d == 0.0) {
                continue;
            }
            if (bias) {
                grad[oB + r] += d;
            }
            int rx = oWx + r * emb;
            for (int k = 0; k < emb; k++) {
                grad[rx + k] += d * params[embOff + k];
                grad[embOff + k] += d * params[rx + k];
            }
        }
    }

    private Trajectory scratch(int worker) {
        Trajectory t = scratch[worker];
        if (t == null) {
            t = new Trajectory();
            scratch[worker] = t;
        }
        return t;
    }

    /**
     * Samples proposal {@code i} of {@code round} from stream {@code (seed, round, i)} into
     * {@code out[i]}; returns the mean entropy (nats) of the sampled decisions' distributions.
     */
    double sample(long round, int[][] out) {
        project();
        double[] entropies = new double[out.length];
        parallel.run(out.length, (i, w) -> {
            Trajectory t = scratch(w);
            t.forward(out[i], Rng.derive(seed, STREAM, round, i), false);
            entropies[i] = t.entropySum();
        });
        return meanPerDecision(entropies);
    }

    /** The greedy (argmax at every step) coloring. */
    int[] greedy() {
        int[] p = new int[edges];
        project();
        scratch(0).forward(p, null, true);
        return p;
    }

    /** {@code log p(P)} under the current parameters. */
    double logProbability(int[] partition) {
        project();
        Trajectory t = scratch(0);
        t.forward(partition, null, false);
        double s = 0;
        for (int k = 0; k < edges; k++) {
            s += t.logp[k];
        }
        return s;
    }

    /** The objective {@code J} of the class comment for teacher-forced {@code partitions}. */
    double objective(int[][] partitions, DecisionObjective f, double entropyWeight) {
        project();
        double[] terms = new double[partitions.length];
        parallel.run(partitions.length, (i, w) -> {
            Trajectory t = scratch(w);
            t.forward(partitions[i], null, false);
            terms[i] = t.objective(i, f, entropyWeight);
        });
        double sum = 0;
        for (double v : terms) {
            sum += v;
        }
        return sum / ((double) partitions.length * edges);
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
        project();
        parallel.run(chunks, (c, w) -> {
            double[] g = new double[params.length];
            Trajectory t = scratch(w);
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
            foldInputGradient(t.dEdge, t.dColor, g);
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

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** {@code tanh} from one {@code exp} (a third of {@code Math.tanh}'s time here; error ~1e-16). */
    private static double tanh(double z) {
        double e = Math.exp(-2.0 * Math.abs(z));
        double t = (1.0 - e) / (1.0 + e);
        return z < 0 ? -t : t;
    }

    /** {@code sum_k a[ao + k] b[bo + k]} with four partial sums (a fixed order, so deterministic). */
    private static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < n; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** One unrolled pass over all edges with everything backpropagation needs. */
    private final class Trajectory {
        final double[] gi = new double[edges * hidden];
        final double[] gf = new double[edges * hidden];
        final double[] gg = new double[edges * hidden];
        final double[] go = new double[edges * hidden];
        final double[] c = new double[edges * hidden];
        final double[] tc = new double[edges * hidden];
        final double[] h = new double[edges * hidden];
        final double[] p = new double[edges * colors];
        final double[] logq = new double[edges * colors];
        final int[] chosen = new int[edges];
        /** {@code log p_t(c_t)} and {@code H_t} of each decision. */
        final double[] logp = new double[edges];
        final double[] entropy = new double[edges];
        /** {@code dJ / d log p_t}, set by the caller before {@link #backward}. */
        final double[] slope = new double[edges];
        final double[] z = new double[4 * hidden];
        final double[] dh = new double[hidden];
        final double[] dc = new double[hidden];
        final double[] dhNext = new double[hidden];
        final double[] dz = new double[4 * hidden];
        final double[] dlogits = new double[colors];
        /** Input-side gate gradients summed per edge and per previous color (see foldInputGradient). */
        final double[] dEdge = new double[edges * 4 * hidden];
        final double[] dColor = new double[(colors + 1) * 4 * hidden];

        double entropySum() {
            double s = 0;
            for (int k = 0; k < edges; k++) {
                s += entropy[k];
            }
            return s;
        }

        /** {@code sum_t [f(log p_t) + beta H_t]} of the last forward pass of sample {@code i}. */
        double objective(int i, DecisionObjective f, double beta) {
            double s = 0;
            for (int k = 0; k < edges; k++) {
                s += f.value(i, k, logp[k]) + beta * entropy[k];
            }
            return s;
        }

        /**
         * Runs the LSTM over all edges. With {@code rng} it samples into {@code partition}; with
         * {@code greedy} it takes the argmax; otherwise it is teacher-forced by {@code partition}.
         */
        void forward(int[] partition, Rng rng, boolean greedy) {
            final double[] w = params;
            final int g4 = 4 * hidden;
            for (int t = 0; t < edges; t++) {
                int prev = t == 0 ? colors : chosen[t - 1];
                int ho = t * hidden;
                int hp = (t - 1) * hidden;
                // z = b + Wx (e_edge(t) + e_color(prev)) + Wh h_{t-1}
                int eo = t * g4;
                int co = prev * g4;
                for (int r = 0; r < g4; r++) {
                    double s = inEdge[eo + r] + inColor[co + r];
                    if (t > 0) {
                        s += dot(w, oWh + r * hidden, h, hp, hidden);
                    }
                    z[r] = s;
                }
                for (int k = 0; k < hidden; k++) {
                    double i = sigmoid(z[k]);
                    double f = sigmoid(z[hidden + k]);
                    double gv = tanh(z[2 * hidden + k]);
                    double o = sigmoid(z[3 * hidden + k]);
                    double cPrev = t > 0 ? c[hp + k] : 0.0;
                    double cv = f * cPrev + i * gv;
                    double tcv = tanh(cv);
                    gi[ho + k] = i;
                    gf[ho + k] = f;
                    gg[ho + k] = gv;
                    go[ho + k] = o;
                    c[ho + k] = cv;
                    tc[ho + k] = tcv;
                    h[ho + k] = o * tcv;
                }
                // p = softmax((Wo h + bo) / T)
                int po = t * colors;
                double max = Double.NEGATIVE_INFINITY;
                for (int m = 0; m < colors; m++) {
                    double s = (w[oBo + m] + dot(w, oWo + m * hidden, h, ho, hidden)) / temperature;
                    p[po + m] = s;
                    if (s > max) {
                        max = s;
                    }
                }
                double norm = 0;
                for (int m = 0; m < colors; m++) {
                    double e = Math.exp(p[po + m] - max);
                    logq[po + m] = p[po + m] - max;
                    p[po + m] = e;
                    norm += e;
                }
                // log p_m = s_m - max - log(norm), exact even where p_m underflows; H = -sum p log p
                double logNorm = Math.log(norm);
                double ent = 0;
                for (int m = 0; m < colors; m++) {
                    double q = p[po + m] / norm;
                    p[po + m] = q;
                    logq[po + m] -= logNorm;
                    ent -= q * logq[po + m];
                }
                entropy[t] = ent;
                int pick;
                if (greedy) {
                    pick = 0;
                    for (int m = 1; m < colors; m++) {
                        if (p[po + m] > p[po + pick]) {
                            pick = m;
                        }
                    }
                    partition[t] = pick;
                } else if (rng != null) {
                    double u = rng.nextDouble();
                    pick = colors - 1;
                    double acc = 0;
                    for (int m = 0; m < colors; m++) {
                        acc += p[po + m];
                        if (u < acc) {
                            pick = m;
                            break;
                        }
                    }
                    partition[t] = pick;
                } else {
                    pick = partition[t];
                }
                chosen[t] = pick;
                logp[t] = logq[po + pick];
            }
        }

        /**
         * Adds {@code d/dparams sum_t [slope_t log p_t + beta H_t]} of the last forward pass into
         * {@code grad}, the slopes held fixed (they are the surrogate's, evaluated by the caller).
         * The input side (bias, {@code Wx}, embeddings) is only summed into {@link #dEdge} and
         * {@link #dColor}; {@link #foldInputGradient} turns those into parameter gradients.
         */
        void backward(double beta, double[] grad) {
            final double[] w = params;
            final int g4 = 4 * hidden;
            Arrays.fill(dhNext, 0.0);
            Arrays.fill(dc, 0.0);
            for (int t = edges - 1; t >= 0; t--) {
                int ho = t * hidden;
                int hp = (t - 1) * hidden;
                int po = t * colors;
                // d(a log p_pick + beta H) / dlogit_m = (a (1[m = pick] - p_m) - beta p_m (log p_m + H)) / T
                double a = slope[t];
                double ht = entropy[t];
                for (int m = 0; m < colors; m++) {
                    double q = p[po + m];
                    double dEnt = -q * (logq[po + m] + ht);
                    dlogits[m] = (a * ((m == chosen[t] ? 1.0 : 0.0) - q) + beta * dEnt) / temperature;
                }
                System.arraycopy(dhNext, 0, dh, 0, hidden);
                for (int m = 0; m < colors; m++) {
                    double d = dlogits[m];
                    grad[oBo + m] += d;
                    int rw = oWo + m * hidden;
                    for (int k = 0; k < hidden; k++) {
                        grad[rw + k] += d * h[ho + k];
                        dh[k] += d * w[rw + k];
                    }
                }
                for (int k = 0; k < hidden; k++) {
                    double i = gi[ho + k];
                    double f = gf[ho + k];
                    double gv = gg[ho + k];
                    double o = go[ho + k];
                    double tcv = tc[ho + k];
                    double cPrev = t > 0 ? c[hp + k] : 0.0;
                    double dOut = dh[k] * tcv;
                    double dcv = dh[k] * o * (1 - tcv * tcv) + dc[k];
                    dz[k] = dcv * gv * i * (1 - i);
                    dz[hidden + k] = dcv * cPrev * f * (1 - f);
                    dz[2 * hidden + k] = dcv * i * (1 - gv * gv);
                    dz[3 * hidden + k] = dOut * o * (1 - o);
                    dc[k] = dcv * f;
                }
                int prev = t == 0 ? colors : chosen[t - 1];
                int eo = t * g4;
                int co = prev * g4;
                for (int r = 0; r < g4; r++) {
                    dEdge[eo + r] += dz[r];
                    dColor[co + r] += dz[r];
                }
                Arrays.fill(dhNext, 0.0);
                if (t > 0) {
                    for (int r = 0; r < g4; r++) {
                        double d = dz[r];
                        if (d == 0.0) {
                            continue;
                        }
                        int rh = oWh + r * hidden;
                        for (int k = 0; k < hidden; k++) {
                            grad[rh + k] += d * h[hp + k];
                            dhNext[k] += d * w[rh + k];
                        }
                    }
                }
            }
        }
    }
}
