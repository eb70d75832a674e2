package dev.chromatic.trainer.report;

import java.util.List;
import java.util.Locale;

/**
 * The paper's Table 2 as Markdown: per structure the mean final reward over seeds and its sample
 * standard deviation, the best and every seed's reward, weight parameters, compression against the unstructured network (total parameters,
 * biases included) and the paper's bit count:
 * {@code edges * ceil(log2 P) + 32 (P + biases)} for chromatic and masked networks (a color or
 * pool index per edge plus the floats), {@code 32 (P + biases)} for the fixed tyings.
 */
public final class ComparisonTable {

    /** One row: a structure (or controller) and its results over seeds. */
    public static final class Row {
        public final String name;
        /** Final reward of each seed, in seed order. */
        public final double[] rewards;
        public final double bestReward;
        public final double meanReward;
        /** Sample standard deviation over seeds (0 for one seed). */
        public final double stdReward;
        public final int weightParams;
        public final int biasParams;
        public final int edges;
        public final boolean indexedPerEdge;
        public final double seconds;

        public Row(String name, double[] rewards, int weightParams, int biasParams, int edges,
                boolean indexedPerEdge, double seconds) {
            if (rewards.length == 0) {
                throw new IllegalArgumentException(name + ": a row needs at least one seed's reward");
            }
            this.name = name;
            this.rewards = rewards.clone();
            double best = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double r : rewards) {
                best = Math.max(best, r);
                sum += r;
            }
            double mean = sum / rewards.length;
            double squares = 0;
            for (double r : rewards) {
                squares += (r - mean) * (r - mean);
            }
            this.bestReward = best;
            this.meanReward = mean;
            this.stdReward = rewards.length > 1 ? Math.sqrt(squares / (rewards.length - 1)) : 0.0;
            this.weightParams = weightParams;
            this.biasParams = biasParams;
            this.edges = edges;
            this.indexedPerEdge = indexedPerEdge;
            this.seconds = seconds;
        }

        public long bits() {
            long floats = 32L * (weightParams + biasParams);
            if (!indexedPerEdge) {
                return floats;
            }
            int indexBits = weightParams <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(weightParams - 1);
            return (long) edges * indexBits + floats;
        }
    }

    private ComparisonTable() {
    }

    public static String markdown(List<Row> rows, int unstructuredTotalParams) {
        StringBuilder sb = new StringBuilder();
        sb.append("| structure | mean reward | std | best reward | per seed | # weight-params | compression | # bits"
                + " | train s |\n");
        sb.append("|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            double compression = 1.0 - (r.weightParams + r.biasParams) / (double) unstructuredTotalParams;
            StringBuilder seeds = new StringBuilder();
            for (double v : r.rewards) {
                seeds.append(seeds.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
            }
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %s | %d | %.0f%% | %d | %.0f |%n", r.name,
                    r.meanReward, r.stdReward, r.bestReward, seeds, r.weightParams, 100 * compression, r.bits(),
                    r.seconds));
        }
        return sb.toString();
    }
}
