package dev.chromatic.trainer.report;

/**
 * The per-iteration metrics written to the CSV and plotted. The displacement ranks are one per
 * weight matrix, joined with {@code ;} inside their field (e.g. {@code 7;6} for a 7-41-6 network).
 */
public final class MetricsRow {

    public static final String HEADER = "iteration,seconds,rollouts,mean_return,max_return,pivot_return,"
            + "controller_entropy,coloring_entropy,rand_index,variation_of_information,distance,"
            + "displacement_rank_toeplitz,displacement_rank_toeplitz_hankel,kept_fraction,weight_params";
    private static final int FIELDS = 15;

    public int iteration;
    public double seconds;
    public long rollouts;
    public double meanReturn;
    public double maxReturn;
    public double pivotReturn;
    public double controllerEntropy;
    public double coloringEntropy;
    public double randIndex;
    public double variationOfInformation;
    /** Paper's Distance to the previous iteration's best coloring (edges whose weight index changed); NaN at first. */
    public double distance;
    /** Per weight matrix, rank of {@code Z_1 R - R Z_-1}. */
    public int[] displacementRanksToeplitz = new int[0];
    /** Per weight matrix, rank of {@code Y_00 R - R Y_11}. */
    public int[] displacementRanksToeplitzHankel = new int[0];
    public double keptFraction;
    public int weightParams;

    public String toCsv() {
        return iteration + "," + fmt(seconds) + "," + rollouts + "," + fmt(meanReturn) + "," + fmt(maxReturn) + ","
                + fmt(pivotReturn) + "," + fmt(controllerEntropy) + "," + fmt(coloringEntropy) + "," + fmt(randIndex)
                + "," + fmt(variationOfInformation) + "," + fmt(distance) + "," + ranks(displacementRanksToeplitz) + ","
                + ranks(displacementRanksToeplitzHankel) + "," + fmt(keptFraction) + "," + weightParams;
    }

    public static MetricsRow parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("a metrics row has " + FIELDS + " fields (" + HEADER + "), this one has "
                    + f.length + ": " + line);
        }
        MetricsRow r = new MetricsRow();
        r.iteration = Integer.parseInt(f[0]);
        r.seconds = Double.parseDouble(f[1]);
        r.rollouts = Long.parseLong(f[2]);
        r.meanReturn = Double.parseDouble(f[3]);
        r.maxReturn = Double.parseDouble(f[4]);
        r.pivotReturn = Double.parseDouble(f[5]);
        r.controllerEntropy = Double.parseDouble(f[6]);
        r.coloringEntropy = Double.parseDouble(f[7]);
        r.randIndex = Double.parseDouble(f[8]);
        r.variationOfInformation = Double.parseDouble(f[9]);
        r.distance = Double.parseDouble(f[10]);
        r.displacementRanksToeplitz = parseRanks(f[11]);
        r.displacementRanksToeplitzHankel = parseRanks(f[12]);
        r.keptFraction = Double.parseDouble(f[13]);
        r.weightParams = Integer.parseInt(f[14]);
        return r;
    }

    private static String ranks(int[] ranks) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ranks.length; i++) {
            b.append(i == 0 ? "" : ";").append(ranks[i]);
        }
        return b.toString();
    }

    private static int[] parseRanks(String field) {
        if (field.isEmpty()) {
            return new int[0];
        }
        String[] parts = field.split(";");
        int[] ranks = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ranks[i] = Integer.parseInt(parts[i]);
        }
        return ranks;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
