package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.Rng;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The paper's Fig. 4a ablation: a population of random partitions fixed at the start; proposal
 * {@code i} of every round is member {@code i mod size}, like one partition per worker. Tracks the
 * mean reward of each member only to report the best one.
 */
public final class FixedPopulationController implements PartitionController {

    private final int edges;
    private final int colors;
    private final int[][] population;
    private final double[] meanReward;
    private final long[] rewardCount;

    public FixedPopulationController(int edges, int colors, int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("population size must be >= 1, was " + size);
        }
        this.edges = edges;
        this.colors = colors;
        this.population = new int[size][edges];
        this.meanReward = new double[size];
        this.rewardCount = new long[size];
        for (int m = 0; m < size; m++) {
            Rng rng = Rng.derive(seed, RandomController.STREAM, -2, m);
            for (int e = 0; e < edges; e++) {
                population[m][e] = rng.nextInt(colors);
            }
        }
    }

    @Override
    public String id() {
        return "fixed-random";
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
            System.arraycopy(population[i % population.length], 0, out[i], 0, edges);
        }
    }

    @Override
    public void tell(long round, int[][] partitions, double[] rewards) {
        for (int i = 0; i < rewards.length; i++) {
            int m = i % population.length;
            if (!java.util.Arrays.equals(partitions[i], population[m])) {
                continue;
            }
            rewardCount[m]++;
            meanReward[m] += (rewards[i] - meanReward[m]) / rewardCount[m];
        }
    }

    @Override
    public double entropy() {
        return EvolutionController.populationEntropy(population, colors);
    }

    @Override
    public int[] mostLikely() {
        int best = 0;
        for (int m = 1; m < population.length; m++) {
            if (rewardCount[m] > 0 && (rewardCount[best] == 0 || meanReward[m] > meanReward[best])) {
                best = m;
            }
        }
        return population[best].clone();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        Io.writeDoubles(out, meanReward);
        for (long c : rewardCount) {
            out.writeLong(c);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        Io.readDoubles(in, meanReward);
        for (int m = 0; m < rewardCount.length; m++) {
            rewardCount[m] = in.readLong();
        }
    }
}
