package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Rng;

/**
 * A synthetic controller task of the paper's scale: a hidden target coloring of {@code edges}
 * edges with {@code colors} colors, and the reward of a proposal = {@code signal} x the fraction of
 * edges colored exactly as the target + {@code drift} x round (returns rise while ES trains the
 * shared weights) + Gaussian noise of std {@code noise} (ES perturbations). A match is against the
 * exact target, not up to relabelling: the reward asks for the exact coloring and chance stays
 * {@code 1/colors}. Seeded: the same seed gives the same target and the same noise.
 */
final class ColoringTask {

    final int edges;
    final int colors;
    final double signal;
    final double drift;
    final double noise;
    private final int[] target;
    private final Rng noiseRng;

    ColoringTask(int edges, int colors, double signal, double drift, double noise, long seed) {
        this.edges = edges;
        this.colors = colors;
        this.signal = signal;
        this.drift = drift;
        this.noise = noise;
        this.target = new int[edges];
        Rng rng = Rng.derive(seed, 1);
        for (int e = 0; e < edges; e++) {
            target[e] = rng.nextInt(colors);
        }
        this.noiseRng = Rng.derive(seed, 2);
    }

    double matchRate(int[] p) {
        int hits = 0;
        for (int e = 0; e < edges; e++) {
            if (p[e] == target[e]) {
                hits++;
            }
        }
        return hits / (double) edges;
    }

    double reward(int[] p, long round) {
        return signal * matchRate(p) + drift * round + noise * noiseRng.nextGaussian();
    }

    /**
     * Runs rounds {@code from .. to-1} of ask, reward, tell with {@code batch} proposals each; returns
     * the mean match rate of the proposals of the last {@code tail} rounds.
     */
    double train(PartitionController c, int batch, int from, int to, int tail) {
        int[][] proposals = new int[batch][edges];
        double late = 0;
        for (int k = from; k < to; k++) {
            c.ask(k, proposals);
            double[] r = new double[batch];
            for (int i = 0; i < batch; i++) {
                r[i] = reward(proposals[i], k);
                if (k >= to - tail) {
                    late += matchRate(proposals[i]) / ((double) tail * batch);
                }
            }
            c.tell(k, proposals, r);
        }
        return late;
    }
}
