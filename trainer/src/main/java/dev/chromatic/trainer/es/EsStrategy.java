package dev.chromatic.trainer.es;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Evolution strategy on a parameter vector, ask/tell style, with explicit random streams: the
 * perturbations of iteration {@code k} are drawn from {@code Rng.derive(seed, NOISE, k, i)}, so a
 * worker can regenerate {@code eps_i} from indices alone and a resumed run draws the same noise.
 *
 * <p>Rollout slots of one iteration: antithetic mode puts {@code +eps_i} in slot {@code 2i} and
 * {@code -eps_i} in slot {@code 2i+1}; forward mode puts {@code +eps_i} in slot {@code i}; the
 * {@code exact} unperturbed evaluations follow. The returns of the perturbed slots and the pivot
 * (mean of the exact returns) are z-scored together (population std, std 0 guarded) before the
 * gradient is formed, as the authors' code does. Not thread-safe.
 */
public final class EsStrategy {

    /** Stream purpose id of the perturbation noise. */
    public static final long NOISE = 1;

    private final Estimator estimator;
    private final int perturbations;
    private final int exact;
    private final double sigma;
    private final long seed;
    private final double[] theta;
    private final Optimizer optimizer;
    private final double[] gradient;
    private final double[] eps;

    public EsStrategy(Estimator estimator, int perturbations, int exact, double sigma, long seed,
            double[] initialTheta, Optimizer optimizer) {
        if (perturbations < 1) {
            throw new IllegalArgumentException("perturbations must be >= 1, was " + perturbations);
        }
        if (exact < 0 || (estimator == Estimator.FORWARD && exact < 1)) {
            throw new IllegalArgumentException("exact evaluations must be >= 1 for the forward estimator (the pivot)");
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, was " + sigma);
        }
        this.estimator = estimator;
        this.perturbations = perturbations;
        this.exact = exact;
        this.sigma = sigma;
        this.seed = seed;
        this.theta = initialTheta.clone();
        this.optimizer = optimizer;
        this.gradient = new double[theta.length];
        this.eps = new double[theta.length];
    }

    public int dimension() {
        return theta.length;
    }

    /** The current mean parameters (internal array: read only). */
    public double[] theta() {
        return theta;
    }

    public double sigma() {
        return sigma;
    }

    public Estimator estimator() {
        return estimator;
    }

    public int perturbations() {
        return perturbations;
    }

    public int exactCount() {
        return exact;
    }

    /** Rollouts an iteration asks for: perturbed slots then exact slots. */
    public int slotCount() {
        return perturbedSlots() + exact;
    }

    public int perturbedSlots() {
        return estimator == Estimator.ANTITHETIC ? 2 * perturbations : perturbations;
    }

    /** Index of the perturbation a slot uses, or -1 for an exact slot. */
    public int perturbationOf(int slot) {
        if (slot >= perturbedSlots()) {
            return -1;
        }
        return estimator == Estimator.ANTITHETIC ? slot / 2 : slot;
    }

    /** +1, -1, or 0 (exact) for a slot. */
    public int signOf(int slot) {
        if (slot >= perturbedSlots()) {
            return 0;
        }
        return estimator == Estimator.ANTITHETIC && (slot & 1) == 1 ? -1 : 1;
    }

    /** Writes perturbation {@code i} of {@code iteration}, a standard normal vector, into {@code out}. */
    public static void perturbation(long seed, long iteration, int i, double[] out) {
        Rng.derive(seed, NOISE, iteration, i).fillGaussian(out);
    }

    /** The parameters a slot evaluates: {@code theta + sign * sigma * eps_i}. */
    public void ask(long iteration, int slot, double[] out) {
        System.arraycopy(theta, 0, out, 0, theta.length);
        int p = perturbationOf(slot);
        if (p < 0) {
            return;
        }
        perturbation(seed, iteration, p, eps);
        double s = signOf(slot) * sigma;
        for (int j = 0; j < out.length; j++) {
            out[j] += s * eps[j];
        }
    }

    /**
     * Updates theta from the fitness of every slot of {@code iteration} (length {@link #slotCount()})
     * and returns the pivot (mean exact fitness, or NaN without exact slots).
     */
    public double tell(long iteration, double[] fitness) {
        if (fitness.length != slotCount()) {
            throw new IllegalArgumentException("expected " + slotCount() + " fitness values, got " + fitness.length);
        }
        int np = perturbedSlots();
        double pivot = Double.NaN;
        if (exact > 0) {
            pivot = 0;
            for (int s = np; s < fitness.length; s++) {
                pivot += fitness[s];
            }
            pivot /= exact;
        }
        // z-score over the perturbed returns plus the pivot
        int count = np + (exact > 0 ? 1 : 0);
        double mean = exact > 0 ? pivot : 0;
        for (int s = 0; s < np; s++) {
            mean += fitness[s];
        }
        mean /= count;
        double var = exact > 0 ? (pivot - mean) * (pivot - mean) : 0;
        for (int s = 0; s < np; s++) {
            var += (fitness[s] - mean) * (fitness[s] - mean);
        }
        double std = Math.sqrt(var / count);
        double inv = std > 1e-12 ? 1.0 / std : 0.0;
        double zPivot = exact > 0 ? (pivot - mean) * inv : 0;
        java.util.Arrays.fill(gradient, 0.0);
        for (int i = 0; i < perturbations; i++) {
            double w;
            if (estimator == Estimator.ANTITHETIC) {
                // g = sum_i (z+_i - z-_i) eps_i / (2 n sigma)
                w = ((fitness[2 * i] - mean) * inv - (fitness[2 * i + 1] - mean) * inv) / (2.0 * perturbations * sigma);
            } else {
                // paper eq. 3: g = sum_i (z_i - z_pivot) eps_i / (n sigma)
                w = ((fitness[i] - mean) * inv - zPivot) / (perturbations * sigma);
            }
            perturbation(seed, iteration, i, eps);
            for (int j = 0; j < eps.length; j++) {
                gradient[j] += w * eps[j];
            }
        }
        optimizer.ascend(theta, gradient);
        return pivot;
    }

    /** The last gradient estimate (internal array: read only). */
    public double[] lastGradient() {
        return gradient;
    }

    public void save(DataOutputStream out) throws IOException {
        Io.writeDoubles(out, theta);
        optimizer.save(out);
    }

    public void load(DataInputStream in) throws IOException {
        Io.readDoubles(in, theta);
        optimizer.load(in);
    }
}
