package dev.chromatic.runtime.policy;

/** Small policies for format tests. */
final class TestPolicies {

    private TestPolicies() {
    }

    /** A 3-4-2 chromatic policy with M = 5, output bias, non-trivial scaling and metadata. */
    static Policy small() throws PolicyFormatException {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 5, new int[] {3, 4, 2}, Activation.TANH, 11)
                .toBuilder();
        b.outputBias = true;
        b.biases[1] = new double[] {0.25, -0.5};
        b.obsMean = new double[] {0.1, 0.2, 0.3};
        b.obsStd = new double[] {1.5, 2.0, 0.5};
        b.obsClip = 5.0;
        b.actionScale = new double[] {0.15, 3.0};
        b.actionOffset = new double[] {0.0, 1.0};
        b.controlPeriodNs = 6_000_000L;
        b.robot = "minitaur";
        b.stack = "minitaur-pmtg";
        b.task = "minitaur-walk";
        b.metadata.put("reward", "7.12");
        return b.build();
    }

    /** {@link #small()} with its numbers rounded to float32, so it has a compact form. */
    static Policy smallFloat32() throws PolicyFormatException {
        return CompactPolicyCodec.toFloat32(small());
    }

    /**
     * A trained-looking chromatic policy with M = 17 at float32: a normalisation whose every mean and
     * standard deviation differ, the given action scaling (null: every scale and offset differ), ids
     * and metadata.
     */
    static Policy trainedLooking(int[] dims, double[] actionScale, double[] actionOffset, long seed)
            throws PolicyFormatException {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17, dims, Activation.TANH, seed).toBuilder();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int in = dims[0];
        int out = dims[dims.length - 1];
        b.obsMean = new double[in];
        b.obsStd = new double[in];
        for (int i = 0; i < in; i++) {
            b.obsMean[i] = rng.nextDouble(-2, 2);
            b.obsStd[i] = rng.nextDouble(0.05, 3);
        }
        b.actionScale = actionScale != null ? actionScale : new double[out];
        b.actionOffset = actionOffset != null ? actionOffset : new double[out];
        for (int i = 0; i < out && actionScale == null; i++) {
            b.actionScale[i] = rng.nextDouble(0.1, 1);
            b.actionOffset[i] = rng.nextDouble(-1, 1);
        }
        b.metadata.put("reward", "1234.5");
        return CompactPolicyCodec.toFloat32(b.build());
    }

    /** A 17-41-6 policy shaped like the paper's HalfCheetah: actions in [-1, 1] (scale 1, offset 0). */
    static Policy halfCheetahSized(long seed) throws PolicyFormatException {
        double[] one = {1, 1, 1, 1, 1, 1};
        return trainedLooking(new int[] {17, 41, 6}, one, new double[6], seed);
    }

    /** A 3-4-2 masked policy (some edges pruned). */
    static Policy masked() throws PolicyFormatException {
        return PolicyFactory.random(StructureKind.MASKED, 0, new int[] {3, 4, 2}, Activation.TANH, 12);
    }
}
