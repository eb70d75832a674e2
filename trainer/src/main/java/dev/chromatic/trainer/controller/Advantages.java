package dev.chromatic.trainer.controller;

/**
 * Advantages of a batch of rewards for the policy-gradient controllers: the batch mean is the
 * baseline and the result is z-scored within the batch, {@code A_i = (r_i - mean r) / std r}
 * (population std). The batch mean follows rewards that drift while ES trains the shared weights,
 * which a moving average lags; z-scoring makes the step independent of the reward's scale.
 */
final class Advantages {

    private Advantages() {
    }

    /**
     * The z-scored advantages of {@code rewards}. Non-finite rewards (failed rollouts) get 0 and
     * take no part in the mean and std. Returns {@code null} when the batch carries no signal (fewer
     * than two finite rewards or a spread of 0), so the caller skips the update.
     */
    static double[] zScore(double[] rewards) {
        int n = 0;
        double mean = 0;
        for (double r : rewards) {
            if (Double.isFinite(r)) {
                n++;
                mean += r;
            }
        }
        if (n < 2) {
            return null;
        }
        mean /= n;
        double var = 0;
        for (double r : rewards) {
            if (Double.isFinite(r)) {
                var += (r - mean) * (r - mean);
            }
        }
        double std = Math.sqrt(var / n);
        if (!(std > 1e-12 * Math.max(1.0, Math.abs(mean)))) {
            return null;
        }
        double[] a = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            a[i] = Double.isFinite(rewards[i]) ? (rewards[i] - mean) / std : 0.0;
        }
        return a;
    }
}
