package dev.chromatic.trainer.report;

/** The per-iteration metrics written to the CSV and plotted. */
public final class MetricsRow {

    public static final String HEADER = "iteration,seconds,rollouts,mean_return,max_return,pivot_return,"
            + "controller_entropy,coloring_entropy,rand_index,variation_of_information,displacement_rank,"
            + "kept_fraction,weight_params";

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
    public int displacementRank;
    public double keptFraction;
    public int weightParams;

    public String toCsv() {
        return iteration + "," + fmt(seconds) + "," + rollouts + "," + fmt(meanReturn) + "," + fmt(maxReturn) + ","
                + fmt(pivotReturn) + "," + fmt(controllerEntropy) + "," + fmt(coloringEntropy) + "," + fmt(randIndex)
                + "," + fmt(variationOfInformation) + "," + displacementRank + "," + fmt(keptFraction) + ","
                + weightParams;
    }

    public static MetricsRow parse(String line) {
        String[] f = line.split(",");
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
        r.displacementRank = Integer.parseInt(f[10]);
        r.keptFraction = Double.parseDouble(f[11]);
        r.weightParams = Integer.parseInt(f[12]);
        return r;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
