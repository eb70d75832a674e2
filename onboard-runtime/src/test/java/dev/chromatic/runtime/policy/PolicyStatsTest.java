package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolicyStatsTest {

    private static final int[] HALF_CHEETAH = {17, 41, 6};

    @Test
    void reproducesThePapersBitsForHalfCheetahSizedNets() throws Exception {
        PolicyStats chromatic = PolicyStats.of(PolicyFactory.random(StructureKind.CHROMATIC, 17, HALF_CHEETAH, Activation.TANH, 1));
        assertEquals(943, chromatic.edges());
        assertEquals(17, chromatic.weightParams());
        assertEquals(6571, chromatic.paperBits()); // 943 * 5 + 32 * (17 + 41)
        PolicyStats toeplitz = PolicyStats.of(PolicyFactory.random(StructureKind.TOEPLITZ, 0, HALF_CHEETAH, Activation.TANH, 1));
        assertEquals(4608, toeplitz.paperBits());  // 32 * (103 + 41)
        assertEquals(1.0 - 144.0 / 984.0, toeplitz.compression(), 1e-12);
    }

    @Test
    void entropyBoundIsThePapersBitsWithTheDictionaryAtItsEntropy() throws Exception {
        PolicyStats s = PolicyStats.of(PolicyFactory.random(StructureKind.CHROMATIC, 17, HALF_CHEETAH, Activation.TANH, 2));
        assertEquals(s.entropyBits() + 32 * 58, s.entropyBoundBits(), 1e-9);
        assertTrue(s.entropyBoundBits() < s.paperBits());
        PolicyStats toeplitz = PolicyStats.of(PolicyFactory.random(StructureKind.TOEPLITZ, 0, HALF_CHEETAH, Activation.TANH, 1));
        assertEquals(4608, toeplitz.entropyBoundBits(), 1e-9);
    }

    @Test
    void entropyIsBoundedByTheFixedWidthCode() throws Exception {
        PolicyStats s = PolicyStats.of(PolicyFactory.random(StructureKind.CHROMATIC, 17, HALF_CHEETAH, Activation.TANH, 2));
        assertTrue(s.entropyBits() > 943 * 3.5 && s.entropyBits() <= 943 * Math.log(17) / Math.log(2) + 1e-9,
                "entropy " + s.entropyBits());
    }
}
