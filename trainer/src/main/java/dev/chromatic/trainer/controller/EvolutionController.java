package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.Rng;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Regularized (aging) evolution (Real et al. 2019) as in the authors' public code: a population of
 * {@code size} partitions with their rewards; a proposal is the best of a random tournament of
 * {@code round(sqrt(size))} members, uniformly mutated (each edge redraws its color with
 * probability {@code 1/E}, at least one edge); every told result joins the population and the
 * oldest member leaves. Until the population is full, proposals are uniform random.
 */
public final class EvolutionController implements PartitionController {

    private static final long STREAM = 12;
    private final int edges;
    private final int colors;
    private final int size;
    private final int tournament;
    private final long seed;
    private final Deque<Member> population = new ArrayDeque<>();

    private static final class Member {
        final int[] partition;
        final double reward;

        Member(int[] partition, double reward) {
            this.partition = partition;
            this.reward = reward;
        }
    }

    public EvolutionController(int edges, int colors, int size, long seed) {
        if (size < 2) {
            throw new IllegalArgumentException("evolution population must be >= 2, was " + size);
        }
        this.edges = edges;
        this.colors = colors;
        this.size = size;
        this.tournament = Math.max(2, (int) Math.round(Math.sqrt(size)));
        this.seed = seed;
    }

    @Override
    public String id() {
        return "evolution";
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
        Member[] members = population.toArray(new Member[0]);
        for (int i = 0; i < out.length; i++) {
            Rng rng = Rng.derive(seed, STREAM, round, i);
            if (members.length < size) {
                for (int e = 0; e < edges; e++) {
                    out[i][e] = rng.nextInt(colors);
                }
                continue;
            }
            Member best = null;
            for (int k = 0; k < tournament; k++) {
                Member m = members[rng.nextInt(members.length)];
                if (best == null || m.reward > best.reward) {
                    best = m;
                }
            }
            System.arraycopy(best.partition, 0, out[i], 0, edges);
            boolean changed = false;
            for (int e = 0; e < edges; e++) {
                if (rng.nextDouble() < 1.0 / edges) {
                    out[i][e] = rng.nextInt(colors);
                    changed = true;
                }
            }
            if (!changed) {
                int e = rng.nextInt(edges);
                out[i][e] = (out[i][e] + 1 + rng.nextInt(colors - 1 > 0 ? colors - 1 : 1)) % colors;
            }
        }
    }

    @Override
    public void tell(long round, int[][] partitions, double[] rewards) {
        for (int i = 0; i < rewards.length; i++) {
            population.addLast(new Member(partitions[i].clone(), rewards[i]));
            while (population.size() > size) {
                population.removeFirst();
            }
        }
    }

    @Override
    public double entropy() {
        if (population.isEmpty()) {
            return Math.log(colors);
        }
        int[][] p = new int[population.size()][];
        int i = 0;
        for (Member m : population) {
            p[i++] = m.partition;
        }
        return populationEntropy(p, colors);
    }

    /** Mean over edges of the entropy of the color histogram of that edge across a population. */
    static double populationEntropy(int[][] population, int colors) {
        int edges = population[0].length;
        int[] hist = new int[colors];
        double total = 0;
        for (int e = 0; e < edges; e++) {
            java.util.Arrays.fill(hist, 0);
            for (int[] p : population) {
                hist[p[e]]++;
            }
            for (int h : hist) {
                if (h > 0) {
                    double q = (double) h / population.length;
                    total -= q * Math.log(q);
                }
            }
        }
        return total / edges;
    }

    @Override
    public int[] mostLikely() {
        Member best = null;
        for (Member m : population) {
            if (best == null || m.reward > best.reward) {
                best = m;
            }
        }
        if (best == null) {
            int[] p = new int[edges];
            Rng rng = Rng.derive(seed, STREAM, -1);
            for (int e = 0; e < edges; e++) {
                p[e] = rng.nextInt(colors);
            }
            return p;
        }
        return best.partition.clone();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(population.size());
        for (Member m : population) {
            Io.writeInts(out, m.partition);
            out.writeDouble(m.reward);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        population.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            int[] p = Io.readInts(in);
            population.addLast(new Member(p, in.readDouble()));
        }
    }
}
