package dev.chromatic.trainer.es;

/**
 * A small explicit random stream (SplitMix64) whose whole state is one {@code long}, so a
 * checkpoint can store it and every stream can be derived from a run seed and a few indices.
 * Gaussians use Box-Muller without a cached spare, so a draw depends only on the state.
 * Not thread-safe: one stream per user.
 */
public final class Rng {

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** An independent stream named by a seed and indices (e.g. run seed, purpose, iteration, slot). */
    public static Rng derive(long seed, long... indices) {
        return new Rng(deriveSeed(seed, indices));
    }

    /** The seed {@link #derive} would use: the indices are mixed one at a time with SplitMix64. */
    public static long deriveSeed(long seed, long... indices) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long i : indices) {
            h = mix(h + 0x9E3779B97F4A7C15L * (i + 1));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }

    /** Standard normal: {@code sqrt(-2 ln u1) cos(2 pi u2)}, u1 in (0, 1]. */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fills {@code out} with standard normals. */
    public void fillGaussian(double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = nextGaussian();
        }
    }
}
