package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.Optimizer;
import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.exec.ParallelFor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The paper's ENAS controller: a one-layer LSTM (64 hidden) that walks the edges in a fixed
 * order and, autoregressively, picks each edge's color from a softmax (temperature 1.0). The
 * input at step t is the learned embedding of edge t plus the learned embedding of the color
 * chosen at step t-1 (a start row for t = 0). Trained by REINFORCE with Adam (lr 1e-3):
 * {@code J = mean_i (r_i - b) log p(P_i)}, where, as in the public ENAS controller, the entropy of
 * the sampled path is added to the reward ({@code r = R + 0.3 H}) and the baseline is a moving
 * average {@code b <- b - (1 - 0.99)(b - mean r)} (initialised to the first batch's mean).
 * Backpropagation through time is written out by hand; {@code LstmControllerTest} checks it
 * against finite differences.
 *
 * <p>Sampling and gradients run on a {@link ParallelFor}; samples use their own streams and
 * gradients are summed in fixed chunks of {@link #CHUNK} samples, so any thread count gives the
 * same bits. Not thread-safe.
 */
public final class LstmController implements PartitionController {

    /** Hidden units (paper, Appendix A.1). */
    public static final int HIDDEN = 64;
    /** Edge and color embedding width (not given in the paper; ours). */
    public static final int EMBEDDING = 16;
    static final int CHUNK = 4;
    private static final long STREAM = 13;

    private final int edges;
    private final int colors;
    private final long seed;
    private final double temperature;
    private final double entropyWeight;
    private final double baselineDecay;
    private final ParallelFor parallel;
    private final int hidden;
    private final int emb;

    // offsets into the flat parameter vector
    private final int oEdge;
    private final int oColor;
    private final int oWx;
    private final int oWh;
    private final int oB;
    private final int oWo;
    private final int oBo;
    private final double[] params;
    private final Optimizer optimizer;
    private final Trajectory[] scratch;
    /** Trajectories of the last ask, reused by tell when the parameters have not changed since. */
    private Trajectory[] asked = new Trajectory[0];
    private long askedVersion = -1;
    private long version;
    private double baseline;
    private boolean baselineSet;
    private double lastEntropy;

    public LstmController(int edges, int colors, long seed, double learningRate, double entropyWeight,
            double baselineDecay, double temperature, ParallelFor parallel) {
        this(edges, colors, seed, learningRate, entropyWeight, baselineDecay, temperature, parallel, HIDDEN, EMBEDDING);
    }

    LstmController(int edges, int colors, long seed, double learningRate, double entropyWeight,
            double baselineDecay, double temperature, ParallelFor parallel, int hidden, int emb) {
        if (edges < 1 || colors < 1) {
            throw new IllegalArgumentException("edges and colors must be >= 1");
        }
        this.edges = edges;
        this.colors = colors;
        this.seed = seed;
        this.temperature = temperature;
        this.entropyWeight = entropyWeight;
        this.baselineDecay = baselineDecay;
        this.parallel = parallel;
        this.hidden = hidden;
        this.emb = emb;
        int g = 4 * hidden;
        oEdge = 0;
        oColor = oEdge + edges * emb;
        oWx = oColor + (colors + 1) * emb;
        oWh = oWx + g * emb;
        oB = oWh + g * hidden;
        oWo = oB + g;
        oBo = oWo + colors * hidden;
        params = new double[oBo + colors];
        // ENAS initialisation: uniform(-0.1, 0.1)
        Rng rng = Rng.derive(seed, STREAM, -1);
        for (int i = 0; i < params.length; i++) {
            params[i] = -0.1 + 0.2 * rng.nextDouble();
        }
        optimizer = new Optimizer.Adam(learningRate, params.length);
        scratch = new Trajectory[parallel.threads()];
    }

    @Override
    public String id() {
        return "lstm";
    }

    @Override
    public int edgeCount() {
        return edges;
    }

    @Override
    public int colorCount() {
        return colors;
    }

    public int parameterCount() {
        return params.length;
    }

    /** The flat parameter vector (internal: tests perturb it for gradient checks). */
    double[] params() {
        return params;
    }

    private Trajectory scratch(int worker) {
        Trajectory t = scratch[worker];
        if (t == null) {
            t = new Trajectory();
            scratch[worker] = t;
        }
        return t;
    }

    @Override
    public void ask(long round, int[][] out) {
        double[] entropies = new double[out.length];
        if (asked.length < out.length) {
            asked = java.util.Arrays.copyOf(asked, out.length);
        }
        parallel.run(out.length, (i, w) -> {
            if (asked[i] == null) {
                asked[i] = new Trajectory();
            }
            Trajectory t = asked[i];
            t.forward(out[i], Rng.derive(seed, STREAM, round, i), false);
            entropies[i] = t.entropy;
        });
        askedVersion = version;
        double sum = 0;
        for (double h : entropies) {
            sum += h;
        }
        lastEntropy = sum / (out.length * (double) edges);
    }

    @Override
    public void tell(long round, int[][] partitions, double[] rewards) {
        int n = rewards.length;
        if (n == 0) {
            return;
        }
        double[] pathEntropy = new double[n];
        parallel.run(n, (i, w) -> {
            Trajectory t = reusable(i, partitions[i]);
            if (t == null) {
                t = scratch(w);
                t.forward(partitions[i], null, false);
            }
            pathEntropy[i] = t.entropy;
        });
        double[] r = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            r[i] = rewards[i] + entropyWeight * pathEntropy[i];
            mean += r[i];
        }
        mean /= n;
        if (!baselineSet) {
            baseline = mean;
            baselineSet = true;
        }
        double[] coeff = new double[n];
        for (int i = 0; i < n; i++) {
            coeff[i] = (r[i] - baseline) / n;
        }
        baseline -= (1.0 - baselineDecay) * (baseline - mean);
        double[] grad = gradient(partitions, coeff);
        optimizer.ascend(params, grad);
        version++;
        double sum = 0;
        for (double h : pathEntropy) {
            sum += h;
        }
        lastEntropy = sum / (n * (double) edges);
    }

    /** {@code d/dparams sum_i coeff_i log p(P_i)}, summed in fixed chunks for determinism. */
    double[] gradient(int[][] partitions, double[] coeff) {
        int n = coeff.length;
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[][] partial = new double[chunks][params.length];
        parallel.run(chunks, (c, w) -> {
            for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                Trajectory t = reusable(i, partitions[i]);
                if (t == null) {
                    t = scratch(w);
                    t.forward(partitions[i], null, false);
                }
                t.backward(coeff[i], partial[c]);
            }
        });
        double[] grad = partial[0];
        for (int c = 1; c < chunks; c++) {
            for (int j = 0; j < grad.length; j++) {
                grad[j] += partial[c][j];
            }
        }
        return grad;
    }

    /** The stored trajectory of asked sample {@code i} if it is still valid for {@code partition}. */
    private Trajectory reusable(int i, int[] partition) {
        if (askedVersion != version || i >= asked.length || asked[i] == null) {
            return null;
        }
        return java.util.Arrays.equals(asked[i].chosen, partition) ? asked[i] : null;
    }

    /** {@code log p(P)} under the current parameters (teacher-forced). */
    double logProbability(int[] partition) {
        Trajectory t = scratch(0);
        t.forward(partition, null, false);
        return t.logp;
    }

    @Override
    public double entropy() {
        return lastEntropy;
    }

    public double baseline() {
        return baseline;
    }

    @Override
    public int[] mostLikely() {
        int[] p = new int[edges];
        scratch(0).forward(p, null, true);
        return p;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        Io.writeDoubles(out, params);
        optimizer.save(out);
        out.writeDouble(baseline);
        out.writeBoolean(baselineSet);
        out.writeDouble(lastEntropy);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        Io.readDoubles(in, params);
        optimizer.load(in);
        version++;
        baseline = in.readDouble();
        baselineSet = in.readBoolean();
        lastEntropy = in.readDouble();
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** One unrolled pass over all edges with everything backpropagation needs. */
    private final class Trajectory {
        final double[] x = new double[edges * emb];
        final double[] gi = new double[edges * hidden];
        final double[] gf = new double[edges * hidden];
        final double[] gg = new double[edges * hidden];
        final double[] go = new double[edges * hidden];
        final double[] c = new double[edges * hidden];
        final double[] tc = new double[edges * hidden];
        final double[] h = new double[edges * hidden];
        final double[] p = new double[edges * colors];
        final int[] chosen = new int[edges];
        final double[] z = new double[4 * hidden];
        final double[] dh = new double[hidden];
        final double[] dc = new double[hidden];
        final double[] dhNext = new double[hidden];
        final double[] dz = new double[4 * hidden];
        final double[] dlogits = new double[colors];
        final double[] dx = new double[emb];
        double logp;
        double entropy;

        /**
         * Runs the LSTM over all edges. With {@code rng} it samples into {@code partition}; with
         * {@code greedy} it takes the argmax; otherwise it is teacher-forced by {@code partition}.
         */
        void forward(int[] partition, Rng rng, boolean greedy) {
            final double[] w = params;
            final int g4 = 4 * hidden;
            logp = 0;
            entropy = 0;
            for (int t = 0; t < edges; t++) {
                int prev = t == 0 ? colors : chosen[t - 1];
                int xo = t * emb;
                for (int k = 0; k < emb; k++) {
                    x[xo + k] = w[oEdge + t * emb + k] + w[oColor + prev * emb + k];
                }
                int ho = t * hidden;
                int hp = (t - 1) * hidden;
                // z = Wx x + Wh h_{t-1} + b
                for (int r = 0; r < g4; r++) {
                    double s = w[oB + r];
                    int rx = oWx + r * emb;
                    for (int k = 0; k < emb; k++) {
                        s += w[rx + k] * x[xo + k];
                    }
                    if (t > 0) {
                        int rh = oWh + r * hidden;
                        for (int k = 0; k < hidden; k++) {
                            s += w[rh + k] * h[hp + k];
                        }
                    }
                    z[r] = s;
                }
                for (int k = 0; k < hidden; k++) {
                    double i = sigmoid(z[k]);
                    double f = sigmoid(z[hidden + k]);
                    double gv = Math.tanh(z[2 * hidden + k]);
                    double o = sigmoid(z[3 * hidden + k]);
                    double cPrev = t > 0 ? c[hp + k] : 0.0;
                    double cv = f * cPrev + i * gv;
                    double tcv = Math.tanh(cv);
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
                    double s = w[oBo + m];
                    int rw = oWo + m * hidden;
                    for (int k = 0; k < hidden; k++) {
                        s += w[rw + k] * h[ho + k];
                    }
                    s /= temperature;
                    p[po + m] = s;
                    if (s > max) {
                        max = s;
                    }
                }
                double norm = 0;
                for (int m = 0; m < colors; m++) {
                    double e = Math.exp(p[po + m] - max);
                    p[po + m] = e;
                    norm += e;
                }
                double ent = 0;
                for (int m = 0; m < colors; m++) {
                    double q = p[po + m] / norm;
                    p[po + m] = q;
                    if (q > 0) {
                        ent -= q * Math.log(q);
                    }
                }
                entropy += ent;
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
                logp += Math.log(Math.max(p[po + pick], 1e-300));
            }
        }

        /** Adds {@code a * d log p(P) / d params} of the last forward pass into {@code grad}. */
        void backward(double a, double[] grad) {
            final double[] w = params;
            final int g4 = 4 * hidden;
            java.util.Arrays.fill(dhNext, 0.0);
            java.util.Arrays.fill(dc, 0.0);
            for (int t = edges - 1; t >= 0; t--) {
                int ho = t * hidden;
                int hp = (t - 1) * hidden;
                int po = t * colors;
                // d(a log p[pick]) / dlogit_m = a (1[m = pick] - p_m) / T
                for (int m = 0; m < colors; m++) {
                    dlogits[m] = a * ((m == chosen[t] ? 1.0 : 0.0) - p[po + m]) / temperature;
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
                java.util.Arrays.fill(dhNext, 0.0);
                java.util.Arrays.fill(dx, 0.0);
                int xo = t * emb;
                for (int r = 0; r < g4; r++) {
                    double d = dz[r];
                    if (d == 0.0) {
                        continue;
                    }
                    grad[oB + r] += d;
                    int rx = oWx + r * emb;
                    for (int k = 0; k < emb; k++) {
                        grad[rx + k] += d * x[xo + k];
                        dx[k] += d * w[rx + k];
                    }
                    if (t > 0) {
                        int rh = oWh + r * hidden;
                        for (int k = 0; k < hidden; k++) {
                            grad[rh + k] += d * h[hp + k];
                            dhNext[k] += d * w[rh + k];
                        }
                    }
                }
                int prev = t == 0 ? colors : chosen[t - 1];
                for (int k = 0; k < emb; k++) {
                    grad[oEdge + t * emb + k] += dx[k];
                    grad[oColor + prev * emb + k] += dx[k];
                }
            }
        }
    }
}
