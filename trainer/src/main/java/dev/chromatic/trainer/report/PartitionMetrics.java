package dev.chromatic.trainer.report;

import java.util.HashMap;
import java.util.Map;

/**
 * Metrics of partitions of the edges (paper, Appendix B): the entropy of one coloring's color
 * frequencies, and between two colorings viewed as clusterings the Rand index (Rand 1971) and the
 * variation of information (Meila 2003), both from the contingency table:
 * <pre>
 *   RI = (C(n,2) + 2 sum_ij C(n_ij,2) - sum_i C(a_i,2) - sum_j C(b_j,2)) / C(n,2)
 *   VI = H(X) + H(Y) - 2 I(X;Y) = - sum_ij p_ij (ln(p_ij / p_i) + ln(p_ij / q_j))      (nats)
 * </pre>
 * and the paper's Distance: the number of edges whose cluster, indexed by the index of its weight
 * in the vector of distinct weights, differs between the two colorings (so unlike RI and VI it
 * counts a relabelling of the same clustering as a change: the weights differ).
 */
public final class PartitionMetrics {

    private PartitionMetrics() {
    }

    /** Entropy (nats) of the color frequencies of one coloring; pruned (-1) edges are ignored. */
    public static double entropy(int[] coloring) {
        Map<Integer, Integer> counts = new HashMap<>();
        int n = 0;
        for (int c : coloring) {
            if (c >= 0) {
                counts.merge(c, 1, Integer::sum);
                n++;
            }
        }
        double h = 0;
        for (int k : counts.values()) {
            double p = (double) k / n;
            h -= p * Math.log(p);
        }
        return h;
    }

    private static double choose2(long k) {
        return k * (k - 1) / 2.0;
    }

    public static double randIndex(int[] x, int[] y) {
        check(x, y);
        Map<Long, Integer> joint = new HashMap<>();
        Map<Integer, Integer> ax = new HashMap<>();
        Map<Integer, Integer> by = new HashMap<>();
        for (int e = 0; e < x.length; e++) {
            joint.merge(((long) x[e] << 32) ^ (y[e] & 0xffffffffL), 1, Integer::sum);
            ax.merge(x[e], 1, Integer::sum);
            by.merge(y[e], 1, Integer::sum);
        }
        double sumJ = 0;
        for (int v : joint.values()) {
            sumJ += choose2(v);
        }
        double sumA = 0;
        for (int v : ax.values()) {
            sumA += choose2(v);
        }
        double sumB = 0;
        for (int v : by.values()) {
            sumB += choose2(v);
        }
        double total = choose2(x.length);
        return total == 0 ? 1.0 : (total + 2 * sumJ - sumA - sumB) / total;
    }

    public static double variationOfInformation(int[] x, int[] y) {
        check(x, y);
        Map<Long, Integer> joint = new HashMap<>();
        Map<Integer, Integer> ax = new HashMap<>();
        Map<Integer, Integer> by = new HashMap<>();
        for (int e = 0; e < x.length; e++) {
            joint.merge(((long) x[e] << 32) ^ (y[e] & 0xffffffffL), 1, Integer::sum);
            ax.merge(x[e], 1, Integer::sum);
            by.merge(y[e], 1, Integer::sum);
        }
        double n = x.length;
        double vi = 0;
        for (Map.Entry<Long, Integer> en : joint.entrySet()) {
            int cx = (int) (en.getKey() >> 32);
            int cy = (int) (long) en.getKey();
            double pij = en.getValue() / n;
            double pi = ax.get(cx) / n;
            double qj = by.get(cy) / n;
            vi -= pij * (Math.log(pij / pi) + Math.log(pij / qj));
        }
        return Math.max(vi, 0.0);
    }

    /** Edges whose color (weight index, -1 for pruned) differs between the two colorings. */
    public static int distance(int[] x, int[] y) {
        check(x, y);
        int d = 0;
        for (int e = 0; e < x.length; e++) {
            if (x[e] != y[e]) {
                d++;
            }
        }
        return d;
    }

    private static void check(int[] x, int[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("partitions have different edge counts: " + x.length + " and " + y.length);
        }
    }
}
