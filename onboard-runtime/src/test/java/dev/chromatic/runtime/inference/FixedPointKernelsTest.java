package dev.chromatic.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.StructureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointKernelsTest {

    private static final int INPUTS = 10_000;
    private static final int[][] SHAPES = {{17, 41, 6}, {7, 41, 13}, {5, 3}, {30, 12, 9, 4}};
    private static final int[] COLORS = {2, 4, 17, 64};

    @Test
    void allIntegerKernelsGiveBitIdenticalOutputs() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        int checkedBlocks = 0;
        for (int[] dims : SHAPES) {
            for (int m : COLORS) {
                Policy p = PolicyFactory.random(StructureKind.CHROMATIC, m, dims, Activation.TANH, m * 31L + dims[0]);
                checkedBlocks += assertKernelsAgree(p, rng);
            }
        }
        // pruned edges, Linear hidden layer, output bias, and a large pool
        Policy masked = PolicyFactory.random(StructureKind.MASKED, 0, new int[] {9, 7, 3}, Activation.LINEAR, 3);
        Policy.Builder b = masked.toBuilder();
        b.outputBias = true;
        b.biases[1] = new double[] {0.5, -2.0, 7.25};
        checkedBlocks += assertKernelsAgree(b.build(), rng);
        checkedBlocks += assertKernelsAgree(PolicyFactory.random(StructureKind.TOEPLITZ, 0, new int[] {7, 41, 13}, Activation.TANH, 4), rng);
        assertTrue(checkedBlocks > 10, "block kernels must be exercised, were " + checkedBlocks);
    }

    @Test
    void fixedPointStaysWithinToleranceOfFloat64() throws Exception {
        for (int[] dims : new int[][] {{17, 41, 6}, {7, 41, 13}}) {
            Policy p = PolicyFactory.random(StructureKind.CHROMATIC, 17, dims, Activation.TANH, 2024);
            FloatNetwork ref = FloatNetwork.of(p);
            MailmanNetwork fixed = MailmanNetwork.of(p);
            SplittableRandom rng = new SplittableRandom(dims[0]);
            double[] x = new double[dims[0]];
            double[] yRef = new double[p.actionDim()];
            double[] yFix = new double[p.actionDim()];
            double max = 0;
            double sumSq = 0;
            long n = 0;
            for (int t = 0; t < INPUTS; t++) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = rng.nextDouble(-5.0, 5.0);
                }
                ref.evaluate(x, yRef);
                fixed.evaluate(x, yFix);
                for (int i = 0; i < yRef.length; i++) {
                    double err = Math.abs(yRef[i] - yFix[i]);
                    max = Math.max(max, err);
                    sumSq += err * err;
                    n++;
                }
            }
            double rms = Math.sqrt(sumSq / n);
            assertTrue(max <= 5e-4, "max |error| " + max + " for " + java.util.Arrays.toString(dims));
            assertTrue(rms <= 5e-5, "RMS error " + rms + " for " + java.util.Arrays.toString(dims));
        }
    }

    @Test
    void tanhTableIsOddAndAccurate() {
        assertTrue(1.0 / (1 << FixedPoint.TANH_STEP_BITS) <= 1.0 / 64);
        double max = 0;
        for (int q = -(10 << 16); q <= (10 << 16); q += 7) {
            assertEquals(-FixedPoint.tanh(q), FixedPoint.tanh(-q));
            max = Math.max(max, Math.abs(FixedPoint.toDouble(FixedPoint.tanh(q)) - Math.tanh(FixedPoint.toDouble(q))));
        }
        assertTrue(max <= 1.2e-5, "table tanh error " + max);
        assertEquals(FixedPoint.ONE, FixedPoint.tanh(Integer.MAX_VALUE));
        assertEquals(-FixedPoint.ONE, FixedPoint.tanh(Integer.MIN_VALUE));
    }

    @Test
    void roundsOnceAndSaturates() {
        assertEquals(2, FixedPoint.roundToQ(3, 1));   // 1.5 rounds half up
        assertEquals(-1, FixedPoint.roundToQ(-3, 1)); // -1.5 rounds half up
        assertEquals(Integer.MAX_VALUE, FixedPoint.roundToQ(Long.MAX_VALUE >> 1, 0));
        assertEquals(Integer.MIN_VALUE, FixedPoint.roundToQ(Long.MIN_VALUE >> 1, 0));
        assertEquals(FixedPoint.INPUT_LIMIT, FixedPoint.toQ(1e9));
        assertEquals(0, FixedPoint.toQ(Double.NaN));
        assertEquals(1 << 16, FixedPoint.toQ(1.0));
    }

    /** Compares dense, automatic mailman and every forced form on random inputs; returns how many block kernels ran. */
    private static int assertKernelsAgree(Policy p, SplittableRandom rng) {
        FixedPointNetwork dense = FixedPointNetwork.of(p);
        List<MailmanNetwork> kernels = new ArrayList<>();
        kernels.add(MailmanNetwork.of(p));
        kernels.add(MailmanNetwork.forced(p, MailmanNetwork.Form.SEGMENTS, 1));
        kernels.add(MailmanNetwork.forced(p, MailmanNetwork.Form.PRODUCT_TABLE, 1));
        int blocks = 0;
        // block forms with more than a few hundred mailboxes are never chosen at these sizes: keep the test fast
        for (int k = 2; k <= 3 && Math.pow(p.colorCount() + 1, k) <= 400; k++) {
            try {
                kernels.add(MailmanNetwork.forced(p, MailmanNetwork.Form.BLOCKS, k));
                blocks++;
            } catch (IllegalArgumentException tooManyBoxes) {
                // s^k above the mailbox cap for this alphabet: that form is not offered
            }
        }
        int[] x = new int[p.observationDim()];
        int[] expected = new int[p.actionDim()];
        int[] actual = new int[p.actionDim()];
        for (int t = 0; t < INPUTS; t++) {
            for (int j = 0; j < x.length; j++) {
                int kind = rng.nextInt(16);
                x[j] = kind == 0 ? FixedPoint.INPUT_LIMIT : kind == 1 ? -FixedPoint.INPUT_LIMIT
                        : rng.nextInt(-FixedPoint.INPUT_LIMIT, FixedPoint.INPUT_LIMIT + 1);
            }
            dense.evaluateFixed(x, expected);
            for (MailmanNetwork m : kernels) {
                m.evaluateFixed(x, actual);
                assertArrayEquals(expected, actual, () -> "kernel " + java.util.Arrays.toString(m.plans()) + " differs");
            }
        }
        return blocks;
    }
}
