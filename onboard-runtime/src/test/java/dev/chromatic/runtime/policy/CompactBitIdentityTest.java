package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.stack.Normaliser;
import java.security.KeyPair;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The robot's fixed-point inference from a compact file is bit for bit the full file's: both hold
 * the same float32 numbers, so they load to the same doubles, and the mailman network, the
 * normalisation and the action scaling built from them agree on every state.
 */
class CompactBitIdentityTest {

    private static final int STATES = 10_000;
    private static final KeyPair KEYS = PolicyKeys.generate();
    private static final TrustedKeys TRUST = TrustedKeys.of(KEYS.getPublic());

    @Test
    void chromatic17x41x6ActsBitForBitTheSameFromBothFiles() throws Exception {
        assertSameActions(TestPolicies.trainedLooking(new int[] {17, 41, 6}, null, null, 17), 1);
        assertSameActions(TestPolicies.halfCheetahSized(18), 2);
    }

    @Test
    void chromatic7x41x13ActsBitForBitTheSameFromBothFiles() throws Exception {
        assertSameActions(TestPolicies.trainedLooking(new int[] {7, 41, 13}, null, null, 7), 3);
    }

    @Test
    void everyOtherStructureActsBitForBitTheSameFromBothFiles() throws Exception {
        for (StructureKind kind : new StructureKind[] {StructureKind.TOEPLITZ, StructureKind.MASKED, StructureKind.CIRCULANT,
                StructureKind.UNSTRUCTURED}) {
            Policy.Builder b = PolicyFactory.random(kind, 0, new int[] {7, 41, 13}, Activation.TANH, kind.ordinal()).toBuilder();
            b.obsMean = TestPolicies.trainedLooking(new int[] {7, 41, 13}, null, null, 5).obsMean();
            b.outputBias = kind == StructureKind.MASKED;
            if (b.outputBias) {
                for (int i = 0; i < b.biases[1].length; i++) {
                    b.biases[1][i] = 0.01 * i - 0.05;
                }
            }
            assertSameActions(CompactPolicyCodec.toFloat32(b.build()), 10 + kind.ordinal());
        }
    }

    /** Loads the signed full and signed compact files of {@code p} and compares the robot's actions on random states. */
    private static void assertSameActions(Policy p, long seed) throws Exception {
        String keyId = PolicyKeys.keyId(KEYS.getPublic());
        LoadedPolicy full = PolicyFiles.load(PolicyEnvelope.sign(PolicyFiles.encode(p, PolicyEncoding.FULL), KEYS.getPrivate(), keyId, 1),
                TRUST, true);
        LoadedPolicy compact = PolicyFiles.load(PolicyEnvelope.sign(PolicyFiles.encode(p, PolicyEncoding.COMPACT), KEYS.getPrivate(),
                keyId, 1), TRUST, true);
        assertEquals(PolicyEncoding.COMPACT, compact.encoding());
        assertTrue(compact.fileBytes() < full.fileBytes());
        Policy a = full.policy();
        Policy b = compact.policy();
        CompactPolicyCodecTest.assertSameExceptMetadata(a, b);
        MailmanNetwork netA = MailmanNetwork.of(a);
        MailmanNetwork netB = MailmanNetwork.of(b);
        FloatNetwork refA = FloatNetwork.of(a);
        FloatNetwork refB = FloatNetwork.of(b);
        int in = a.observationDim();
        int out = a.actionDim();
        double[] state = new double[in];
        double[] xA = new double[in];
        double[] xB = new double[in];
        int[] qA = new int[in];
        int[] qB = new int[in];
        int[] yqA = new int[out];
        int[] yqB = new int[out];
        double[] yA = new double[out];
        double[] yB = new double[out];
        double[] actA = new double[out];
        double[] actB = new double[out];
        SplittableRandom rng = new SplittableRandom(seed);
        int clippedInputs = 0;
        for (int t = 0; t < STATES; t++) {
            for (int j = 0; j < in; j++) {
                // mostly within the clip, now and then beyond it
                state[j] = a.obsMean()[j] + a.obsStd()[j] * rng.nextDouble(-6.0, 6.0);
            }
            Normaliser.normalise(state, a.obsMean(), a.obsStd(), a.obsClip(), xA);
            Normaliser.normalise(state, b.obsMean(), b.obsStd(), b.obsClip(), xB);
            for (int j = 0; j < in; j++) {
                assertEquals(Double.doubleToRawLongBits(xA[j]), Double.doubleToRawLongBits(xB[j]), "state " + t);
                qA[j] = dev.chromatic.runtime.inference.FixedPoint.toQ(xA[j]);
                qB[j] = dev.chromatic.runtime.inference.FixedPoint.toQ(xB[j]);
                clippedInputs += Math.abs(xA[j]) == a.obsClip() ? 1 : 0;
            }
            netA.evaluateFixed(qA, yqA);
            netB.evaluateFixed(qB, yqB);
            netA.evaluate(xA, yA);
            netB.evaluate(xB, yB);
            Normaliser.scaleAction(yA, a.actionScale(), a.actionOffset(), actA);
            Normaliser.scaleAction(yB, b.actionScale(), b.actionOffset(), actB);
            for (int i = 0; i < out; i++) {
                assertEquals(yqA[i], yqB[i], "Q16.16 output " + i + " of state " + t);
                assertEquals(Double.doubleToRawLongBits(actA[i]), Double.doubleToRawLongBits(actB[i]), "action " + i + " of state " + t);
            }
            refA.evaluate(xA, yA);
            refB.evaluate(xB, yB);
            for (int i = 0; i < out; i++) {
                assertEquals(Double.doubleToRawLongBits(yA[i]), Double.doubleToRawLongBits(yB[i]), "float64 output " + i + " of state " + t);
            }
        }
        assertTrue(clippedInputs > 0, "some inputs must reach the clip");
    }
}
