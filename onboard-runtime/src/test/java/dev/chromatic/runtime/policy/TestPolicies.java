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

    /** A 3-4-2 masked policy (some edges pruned). */
    static Policy masked() throws PolicyFormatException {
        return PolicyFactory.random(StructureKind.MASKED, 0, new int[] {3, 4, 2}, Activation.TANH, 12);
    }
}
