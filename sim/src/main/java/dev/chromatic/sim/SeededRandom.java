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
