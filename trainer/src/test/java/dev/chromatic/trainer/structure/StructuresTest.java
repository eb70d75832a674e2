package dev.chromatic.trainer.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chromatic.runtime.policy.Policy;
import org.junit.jupiter.api.Test;

class StructuresTest {

    private static final int[] HALF_CHEETAH = {17, 41, 6};

    @Test
    void weightCountsMatchThePapersTableTwo() {
        assertEquals(103, Structures.create("toeplitz", HALF_CHEETAH, 17).poolSize());
        assertEquals(82, Structures.create("circulant", HALF_CHEETAH, 17).poolSize());
        assertEquals(943, Structures.create("unstructured", HALF_CHEETAH, 17).poolSize());
        assertEquals(17, Structures.create("chromatic", HALF_CHEETAH, 17).poolSize());
        assertEquals(17 + 41, Structures.create("chromatic", HALF_CHEETAH, 17).parameterCount());
    }

    @Test
    void toeplitzIsConstantAlongDiagonals() {
        TiedParameterization t = TiedParameterization.of(dev.chromatic.runtime.policy.StructureKind.TOEPLITZ, new int[] {5, 3});
        int[] c = t.colors(0);
        for (int i = 1; i < 3; i++) {
            for (int j = 1; j < 5; j++) {
                assertEquals(c[(i - 1) * 5 + (j - 1)], c[i * 5 + j]);
            }
        }
    }

    @Test
    void maskPrunesEdgesWithNegativeLogits() {
        MaskedParameterization m = new MaskedParameterization(new int[] {2, 2});
        double[] theta = {0.1, 0.2, 0.3, 0.4, 1, -1, -0.5, 2};
        int[][] colors = {new int[4]};
        double[] w = new double[4];
        double[][] b = {new double[2]};
        m.apply(theta, null, colors, w, b);
        assertEquals(0, colors[0][0]);
        assertEquals(Policy.PRUNED, colors[0][1]);
        assertEquals(Policy.PRUNED, colors[0][2]);
        assertEquals(3, colors[0][3]);
        assertEquals(2, m.weightParams(theta));
    }
}
