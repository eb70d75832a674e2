package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Rng;
import java.util.Arrays;

/**
 * One unrolled pass of the {@link LstmWeights} network over all edges, with everything
 * backpropagation needs: the forward pass samples, decodes greedily or follows a given partition
 * (teacher forcing), and the backward pass adds the gradient of {@code sum_t [a_t log p_t + beta
 * H_t]} for that path. Buffers are made once; one pass serves every sample of one worker thread.
 * Reads the parameters and their input-side projection as they are: the caller projects them
 * before a batch ({@link LstmWeights#project}).
 */
final class LstmPass {

    private final int edges;
    private final int colors;
    private final int hidden;
    private final double temperature;
    private final double[] params;
    private final double[] inEdge;
    private final double[] inColor;
    private final int oWh;
    private final int oWo;
    private final int oBo;
    private final double[] gi;
    private final double[] gf;
    private final double[] gg;
    private final double[] go;
    private final double[] c;
    private final double[] tc;
    private final double[] h;
    private final double[] p;
    private final double[] logq;
    private final int[] chosen;
    /** {@code log p_t(c_t)} and {@code H_t} of each decision. */
    final double[] logp;
    final double[] entropy;
    /** {@code dJ / d log p_t}, set by the caller before {@link #backward}. */
    final double[] slope;
    private final double[] z;
    private final double[] dh;
    private final double[] dc;
    private final double[] dhNext;
    private final double[] dz;
    private final double[] dlogits;
    /** Input-side gate gradients summed per edge and per previous color (see LstmWeights#foldInputGradient). */
    final double[] dEdge;
    final double[] dColor;

    LstmPass(LstmWeights weights, double temperature) {
        this.edges = weights.edges;
        this.colors = weights.colors;
        this.hidden = weights.hidden;
        this.temperature = temperature;
        this.params = weights.params;
        this.inEdge = weights.inEdge;
        this.inColor = weights.inColor;
        this.oWh = weights.oWh;
        this.oWo = weights.oWo;
        this.oBo = weights.oBo;
        gi = new double[edges * hidden];
        gf = new double[edges * hidden];
        gg = new double[edges * hidden];
        go = new double[edges * hidden];
        c = new double[edges * hidden];
        tc = new double[edges * hidden];
        h = new double[edges * hidden];
        p = new double[edges * colors];
        logq = new double[edges * colors];
        chosen = new int[edges];
        logp = new double[edges];
        entropy = new double[edges];
        slope = new double[edges];
        z = new double[4 * hidden];
        dh = new double[hidden];
        dc = new double[hidden];
        dhNext = new double[hidden];
        dz = new double[4 * hidden];
        dlogits = new double[colors];
        dEdge = new double[edges * 4 * hidden];
        dColor = new double[(colors + 1) * 4 * hidden];
    }

    double entropySum() {
        double s = 0;
        for (int k = 0; k < edges; k++) {
            s += entropy[k];
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
                    s += LstmWeights.dot(w, oWh + r * hidden, h, hp, hidden);
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
                double s = (w[oBo + m] + LstmWeights.dot(w, oWo + m * hidden, h, ho, hidden)) / temperature;
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
     * {@link #dColor}; {@link LstmWeights#foldInputGradient} turns those into parameter gradients.
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

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** {@code tanh} from one {@code exp} (a third of {@code Math.tanh}'s time here; error ~1e-16). */
    private static double tanh(double z) {
        double e = Math.exp(-2.0 * Math.abs(z));
        double t = (1.0 - e) / (1.0 + e);
        return z < 0 ? -t : t;
    }
}
