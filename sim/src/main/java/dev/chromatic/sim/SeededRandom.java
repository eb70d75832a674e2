package dev.chromatic.sim;

/**
 * SplitMix64 stream that can be re-seeded without allocation, so every episode's randomisation and
 * noise are a pure function of its seed. Not thread-safe.
 */
public final class SeededRandom {

    private long state;
    private boolean haveSpare;
    private double spare;

    public SeededRandom(long seed) {
        reseed(seed);
    }

    public void reseed(long seed) {
        state = seed;
        haveSpare = false;
    }

    /**
     * Starts the {@code stream}-th independent stream of {@code seed} (stream 0 is {@code reseed(seed)}),
     * so that, e.g., sensor noise and physical disturbances do not shift each other's draws.
     */
    public void reseed(long seed, int stream) {
        long z = seed + stream * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        reseed(stream == 0 ? seed : z ^ (z >>> 33));
    }

    /** Uniform integer in [-bound, bound] (0 when bound <= 0). */
    public int symmetricInt(int bound) {
        if (bound <= 0) {
            return 0;
        }
        int n = (int) (nextDouble() * (2 * bound + 1));
        return Math.min(n, 2 * bound) - bound;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [min, max]; exactly {@code min} when min == max. */
    public double uniform(double min, double max) {
        double u = nextDouble();
        return min == max ? min : min + u * (max - min);
    }

    /** Standard normal (Box-Muller, pairs cached). */
    public double nextGaussian() {
        if (haveSpare) {
            haveSpare = false;
            return spare;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spare = radius * Math.sin(2 * Math.PI * u2);
        haveSpare = true;
        return radius * Math.cos(2 * Math.PI * u2);
    }
}
