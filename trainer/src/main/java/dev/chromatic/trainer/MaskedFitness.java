package dev.chromatic.trainer;

/**
 * The ES fitness of the masked structure: {@code beta z(R) + (1 - beta) z(1 - eta)}, returns and
 * sparsity ({@code eta} = kept fraction) z-scored over the iteration's slots, {@code beta}
 * annealed linearly from 1 at the first iteration to {@code betaEnd} at the last.
 */
final class MaskedFitness {

    private MaskedFitness() {
    }

    static double[] of(int k, int iterations, double betaEnd, double[] returns, double[] kept) {
        double beta = 1.0 - (1.0 - betaEnd) * (iterations <= 1 ? 1.0 : k / (double) (iterations - 1));
        double[] zr = zscore(returns);
        double[] sparsity = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            sparsity[i] = 1.0 - kept[i];
        }
        double[] zs = zscore(sparsity);
        double[] f = new double[returns.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = beta * zr[i] + (1.0 - beta) * zs[i];
        }
        return f;
    }

    private static double[] zscore(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - m) * (x - m);
        }
        double sd = Math.sqrt(var / v.length);
        double[] z = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            z[i] = sd > 1e-12 ? (v[i] - m) / sd : 0.0;
        }
        return z;
    }
}
