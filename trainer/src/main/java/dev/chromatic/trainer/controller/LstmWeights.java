package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Rng;

/**
 * The parameters of the controller's LSTM in one flat vector (the optimiser's view) and their
 * layout: edge embeddings, color embeddings (plus a start row), the gates' input and recurrent
 * weights {@code Wx}, {@code Wh} and bias {@code b}, and the softmax layer {@code Wo}, {@code bo}.
 * The input at step t is the sum of two embeddings, so {@code b + Wx x_t} is the sum of two
 * precomputed rows, {@link #inEdge} and {@link #inColor}; {@link #project} refreshes them from the
 * parameters and {@link #foldInputGradient} turns gradients with respect to them back into
 * parameter gradients. Not thread-safe; passes read it concurrently between projections.
 */
final class LstmWeights {

    final int edges;
    final int colors;
    final int hidden;
    final int emb;

    // offsets into the flat parameter vector
    final int oEdge;
    final int oColor;
    final int oWx;
    final int oWh;
    final int oB;
    final int oWo;
    final int oBo;
    /** The flat parameter vector, updated in place by the optimiser. */
    final double[] params;
    /** {@code b + Wx e_edge(t)} per edge, {@code 4 hidden} each. */
    final double[] inEdge;
    /** {@code Wx e_color(c)} per color and the start row, {@code 4 hidden} each. */
    final double[] inColor;

    /** Parameters uniform in (-0.1, 0.1) (ENAS), drawn in order from {@code init}. */
    LstmWeights(int edges, int colors, int hidden, int emb, Rng init) {
        this.edges = edges;
        this.colors = colors;
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
        inEdge = new double[edges * g];
        inColor = new double[(colors + 1) * g];
        for (int i = 0; i < params.length; i++) {
            params[i] = -0.1 + 0.2 * init.nextDouble();
        }
    }

    /** Recomputes {@link #inEdge} and {@link #inColor} from the current parameters. */
    void project() {
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
    void foldInputGradient(double[] dEdge, double[] dColor, double[] grad) {
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

    /** {@code sum_k a[ao + k] b[bo + k]} with four partial sums (a fixed order, so deterministic). */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
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
}
