package dev.chromatic.runtime.stack;

/**
 * Observation normalisation shared by training and the robot:
 * {@code x_i = clip((s_i - mean_i) / std_i, -clip, clip)}. No allocation.
 */
public final class Normaliser {

    private Normaliser() {
    }

    public static void normalise(double[] raw, double[] mean, double[] std, double clip, double[] out) {
        for (int i = 0; i < out.length; i++) {
            double x = (raw[i] - mean[i]) / std[i];
            out[i] = x < -clip ? -clip : (x > clip ? clip : x);
        }
    }

    /** {@code action_i = offset_i + scale_i * y_i}. */
    public static void scaleAction(double[] y, double[] scale, double[] offset, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = offset[i] + scale[i] * y[i];
        }
    }
}
