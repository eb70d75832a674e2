package dev.chromatic.trainer.report;

import java.util.List;
import java.util.Locale;

/**
 * The paper's Table 2 as Markdown: per structure the best final reward over seeds, the mean over
 * seeds, weight parameters, compression against the unstructured network (total parameters,
 * biases included) and the paper's bit count:
 * {@code edges * ceil(log2 P) + 32 (P + biases)} for chromatic and masked networks (a color or
 * pool index per edge plus the floats), {@code 32 (P + biases)} for the fixed tyings.
 */
public final class ComparisonTable {

    /** One row: a structure (or controller) and its results over seeds. */
    public static final class Row {
        public final String name;
        public final double bestReward;
        public final double meanReward;
        public final int weightParams;
        public final int biasParams;
        public final int edges;
        public final boolean indexedPerEdge;
        public final double seconds;

        public Row(String name, double bestReward, double meanReward, int weightParams, int biasParams, int edges,
                boolean indexedPerEdge, double seconds) {
            this.name = name;
            this.bestReward = bestReward;
            this.meanReward = meanReward;
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
        sb.append("| structure | best reward | mean reward | # weight-params | compression | # bits | train s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            double compression = 1.0 - (r.weightParams + r.biasParams) / (double) unstructuredTotalParams;
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %d | %.0f%% | %d | %.0f |%n", r.name,
                    r.bestReward, r.meanReward, r.weightParams, 100 * compression, r.bits(), r.seconds));
        }
        return sb.toString();
    }
}
