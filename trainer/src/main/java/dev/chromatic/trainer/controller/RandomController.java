package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Rng;
import java.io.DataInputStream;
import java.io.DataOutputStream;

/** The paper's random-controller ablation: every edge draws a uniform color; nothing is learned. */
public final class RandomController implements PartitionController {

    static final long STREAM = 11;
    private final int edges;
    private final int colors;
    private final long seed;

    public RandomController(int edges, int colors, long seed) {
        this.edges = edges;
        this.colors = colors;
        this.seed = seed;
    }

    @Override
    public String id() {
        return "random";
    }

    @Override
    public int edgeCount() {
        return edges;
    }

    @Override
    public int colorCount() {
        return colors;
    }

    @Override
    public void ask(long round, int[][] out) {
        for (int i = 0; i < out.length; i++) {
            Rng rng = Rng.derive(seed, STREAM, round, i);
            for (int e = 0; e < edges; e++) {
                out[i][e] = rng.nextInt(colors);
            }
        }
    }

    @Override
    public void tell(long round, int[][] partitions, double[] rewards) {
    }

    @Override
    public double entropy() {
        return Math.log(colors);
    }

    @Override
    public int[] mostLikely() {
        int[] p = new int[edges];
        Rng rng = Rng.derive(seed, STREAM, -1);
        for (int e = 0; e < edges; e++) {
            p[e] = rng.nextInt(colors);
        }
        return p;
    }

    @Override
    public void save(DataOutputStream out) {
    }

    @Override
    public void load(DataInputStream in) {
    }
}
