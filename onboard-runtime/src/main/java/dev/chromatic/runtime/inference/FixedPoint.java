package dev.chromatic.runtime.inference;

/**
 * The fixed-point number formats shared by every integer kernel, so they give bit-identical
 * results. Activations are Q16.16 in an {@code int}, clipped to {@code ±(8 - 2^-16)} at every
 * layer input. Weights are {@code int} with one power-of-two scale {@code 2^shift} per network;
 * a product {@code w_q * x_q} is then at scale {@code 2^(shift+16)} and sums in a {@code long}:
 * fan-in ≤ 4096, {@code |x_q| < 2^19}, {@code |w_q| < 2^31} give {@code |sum| < 2^62}, plus a bias
 * saturated to {@code ±2^61}: no overflow. Each output is rounded once (half up) back to Q16.16 and
 * saturated to the {@code int} range.
 */
public final class FixedPoint {

    /** Fraction bits of an activation. */
    public static final int FRACTION_BITS = 16;
    /** 1.0 in Q16.16. */
    public static final int ONE = 1 << FRACTION_BITS;
    /** Largest magnitude of a layer input: {@code 8 - 2^-16}, so fan-in 4096 sums fit an {@code int}. */
    public static final int INPUT_LIMIT = (8 << FRACTION_BITS) - 1;
    /** Largest weight scale exponent (keeps the bias term of a layer within {@code ±2^61}). */
    public static final int MAX_SHIFT = 31;
    private static final long BIAS_LIMIT = 1L << 61;

    /** tanh table step: {@code 2^-TANH_STEP_BITS} = 1/256 (requirement: at most 1/64). */
    static final int TANH_STEP_BITS = 8;
    private static final int TANH_INDEX_SHIFT = FRACTION_BITS - TANH_STEP_BITS;
    private static final int TANH_FRAC_MASK = (1 << TANH_INDEX_SHIFT) - 1;
    /** The table covers {@code [0, 8)}; from 8 on, tanh rounds to exactly 1.0 in Q16.16 (tanh 8 = 1 - 2.3e-7). */
    private static final int TANH_LIMIT = 8 << FRACTION_BITS;
    private static final int TANH_TABLE_BITS = 22;
    /** {@code T[i] = round(tanh(i * step) * 2^22)}, {@code i = 0..8*256}. */
    private static final int[] TANH = new int[(8 << TANH_STEP_BITS) + 1];
    /** From table scale plus interpolation bits ({@code 2^(22+8)}) down to Q16.16. */
    private static final int TANH_ROUND_SHIFT = TANH_TABLE_BITS + TANH_INDEX_SHIFT - FRACTION_BITS;

    static {
        for (int i = 0; i < TANH.length; i++) {
            TANH[i] = (int) Math.round(Math.tanh(i / (double) (1 << TANH_STEP_BITS)) * (1 << TANH_TABLE_BITS));
        }
    }

    private FixedPoint() {
    }

    /** {@code round(x * 2^16)} clipped to {@link #INPUT_LIMIT}; NaN becomes 0. */
    public static int toQ(double x) {
        double c = x > 8.0 ? 8.0 : (x < -8.0 ? -8.0 : x);
        long q = Math.round(c * ONE);
        return clipInput(q);
    }

    public static double toDouble(int q) {
        return q * (1.0 / ONE);
    }

    /** Clips a Q16.16 value to {@code ±INPUT_LIMIT}. */
    public static int clipInput(long q) {
        return (int) (q > INPUT_LIMIT ? INPUT_LIMIT : (q < -INPUT_LIMIT ? -INPUT_LIMIT : q));
    }

    /**
     * The scale exponent for a weight pool: the largest {@code s <= MAX_SHIFT} with
     * {@code max|w| * 2^s <= 2^31 - 1}.
     *
     * @throws IllegalArgumentException when a weight is {@code >= 2^31} in magnitude or not finite
     */
    public static int weightShift(double[] weights) {
        double max = 0;
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite for fixed point");
            }
            max = Math.max(max, Math.abs(w));
        }
        int s = MAX_SHIFT;
        while (s >= 0 && max * Math.scalb(1.0, s) > Integer.MAX_VALUE) {
            s--;
        }
        if (s < 0) {
            throw new IllegalArgumentException("a shared weight of magnitude " + max + " does not fit fixed point (< 2^31)");
        }
        return s;
    }

    /** {@code round(w * 2^shift)}, in range by the choice of {@code shift}. */
    public static int quantizeWeight(double w, int shift) {
        return (int) Math.round(w * Math.scalb(1.0, shift));
    }

    /** A bias at accumulator scale {@code 2^(shift+16)}, saturated to {@code ±2^61}. */
    public static long quantizeBias(double b, int shift) {
        double v = b * Math.scalb(1.0, shift + FRACTION_BITS);
        if (v >= BIAS_LIMIT) {
            return BIAS_LIMIT;
        }
        if (v <= -BIAS_LIMIT) {
            return -BIAS_LIMIT;
        }
        return Math.round(v);
    }

    /** {@code round(acc / 2^shift)} (half up) saturated to the {@code int} range: the one rounding of an output. */
    public static int roundToQ(long acc, int shift) {
        long r = shift == 0 ? acc : (acc + (1L << (shift - 1))) >> shift;
        return (int) (r > Integer.MAX_VALUE ? Integer.MAX_VALUE : (r < Integer.MIN_VALUE ? Integer.MIN_VALUE : r));
    }

    /**
     * tanh of a Q16.16 value from the odd-symmetric table, linearly interpolated and rounded once:
     * {@code tanh(a) ≈ T[i] + (T[i+1] - T[i]) * f / 256}, {@code i = floor(a * 256)}, {@code f} the
     * remainder. All in {@code int}: {@code T[i] * 256 <= 2^30} and {@code |T[i+1] - T[i]| * 255 < 2^22}.
     */
    public static int tanh(int q) {
        if (q >= TANH_LIMIT) {
            return ONE;
        }
        if (q <= -TANH_LIMIT) {
            return -ONE;
        }
        int a = q < 0 ? -q : q;
        int i = a >>> TANH_INDEX_SHIFT;
        int f = a & TANH_FRAC_MASK;
        int t0 = TANH[i];
        int v = (t0 << TANH_INDEX_SHIFT) + (TANH[i + 1] - t0) * f;
        int y = (v + (1 << (TANH_ROUND_SHIFT - 1))) >> TANH_ROUND_SHIFT;
        return q < 0 ? -y : y;
    }
}
