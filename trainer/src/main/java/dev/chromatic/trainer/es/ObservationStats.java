package dev.chromatic.trainer.es;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * ARS "V2" state statistics: running (count, sum s, sum s^2) merged from every worker, turned into
 * a frozen (mean, std) per iteration with {@code std = sqrt(max(E[s^2] - mu^2, 0))}, std below
 * 1e-8 replaced by 1. Not thread-safe; workers fill their own instance and the aggregator merges.
 */
public final class ObservationStats {

    private long count;
    private final double[] sum;
    private final double[] sumSq;

    public ObservationStats(int dim) {
        this.sum = new double[dim];
        this.sumSq = new double[dim];
    }

    public int dim() {
        return sum.length;
    }

    public long count() {
        return count;
    }

    public double[] sum() {
        return sum;
    }

    public double[] sumSq() {
        return sumSq;
    }

    /** Adds one observation. No allocation. */
    public void add(double[] s) {
        count++;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += s[i];
            sumSq[i] += s[i] * s[i];
        }
    }

    /** Adds another worker's totals. */
    public void merge(long otherCount, double[] otherSum, double[] otherSumSq) {
        count += otherCount;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += otherSum[i];
            sumSq[i] += otherSumSq[i];
        }
    }

    public void merge(ObservationStats other) {
        merge(other.count, other.sum, other.sumSq);
    }

    /**
     * Statistics equivalent to {@code count} samples with the given mean and standard deviation (a
     * prior, e.g. a fine-tuned policy's normalisation).
     */
    public static ObservationStats prior(long count, double[] mean, double[] std) {
        ObservationStats s = new ObservationStats(mean.length);
        double[] sum = new double[mean.length];
        double[] sumSq = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            sum[i] = count * mean[i];
            sumSq[i] = count * (std[i] * std[i] + mean[i] * mean[i]);
        }
        s.merge(count, sum, sumSq);
        return s;
    }

    public void clear() {
        count = 0;
        java.util.Arrays.fill(sum, 0.0);
        java.util.Arrays.fill(sumSq, 0.0);
    }

    /** Writes the mean (0 when empty) and std (1 when empty or degenerate). */
    public void meanStd(double[] meanOut, double[] stdOut) {
        for (int i = 0; i < sum.length; i++) {
            if (count == 0) {
                meanOut[i] = 0;
                stdOut[i] = 1;
                continue;
            }
            double mu = sum[i] / count;
            double sd = Math.sqrt(Math.max(sumSq[i] / count - mu * mu, 0.0));
            meanOut[i] = mu;
            stdOut[i] = sd < 1e-8 ? 1.0 : sd;
        }
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeLong(count);
        Io.writeDoubles(out, sum);
        Io.writeDoubles(out, sumSq);
    }

    public void load(DataInputStream in) throws IOException {
        count = in.readLong();
        Io.readDoubles(in, sum);
        Io.readDoubles(in, sumSq);
    }
}
