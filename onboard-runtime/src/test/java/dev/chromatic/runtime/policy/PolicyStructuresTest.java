package dev.chromatic.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolicyStructuresTest {

    private static final int[] HALF_CHEETAH = {17, 41, 6};

    @Test
    void toeplitzUsesAPlusBMinusOneColorsPerMatrix() {
        int[][] c = PolicyStructures.toeplitz(HALF_CHEETAH);
        assertEquals(103, PolicyStructures.usedColors(c, 103));
        assertEquals(103, PolicyStructures.poolSize(StructureKind.TOEPLITZ, HALF_CHEETAH, 0));
        // constant along diagonals, and the second layer's colors follow the first's
        assertEquals(c[0][0], c[0][18]);
        assertEquals(57, c[1][40]);
    }

    @Test
    void circulantUsesMaxOfSidesColorsPerMatrix() {
        int[][] c = PolicyStructures.circulant(HALF_CHEETAH);
        assertEquals(82, PolicyStructures.usedColors(c, 82));
        assertEquals(82, PolicyStructures.poolSize(StructureKind.CIRCULANT, HALF_CHEETAH, 0));
        // W[i][j] = c[(i - j) mod 41] wraps: W[0][1] == W[40][0] in the 41x17 layer
        assertEquals(c[0][1], c[0][40 * 17]);
    }

    @Test
    void unstructuredGivesEveryEdgeItsOwnColor() {
        int[][] c = PolicyStructures.unstructured(HALF_CHEETAH);
        assertEquals(943, PolicyStructures.usedColors(c, 943));
        assertEquals(697, c[1][0]);
    }

    @Test
    void maskedPrunesExactlyTheUnkeptEdges() {
        boolean[][] keep = PolicyStructures.randomMask(HALF_CHEETAH, 0.5, new SplittableRandom(3));
        int[][] c = PolicyStructures.masked(HALF_CHEETAH, keep);
        int[][] u = PolicyStructures.unstructured(HALF_CHEETAH);
        for (int l = 0; l < c.length; l++) {
            for (int e = 0; e < c[l].length; e++) {
                assertEquals(keep[l][e] ? u[l][e] : Policy.PRUNED, c[l][e]);
            }
        }
    }

    @Test
    void chromaticColorsStayInRangeAndFollowTheSeed() {
        int[][] a = PolicyStructures.coloring(StructureKind.CHROMATIC, HALF_CHEETAH, 17, 42);
        int[][] b = PolicyStructures.coloring(StructureKind.CHROMATIC, HALF_CHEETAH, 17, 42);
        assertArrayEquals(a[0], b[0]);
        assertEquals(17, PolicyStructures.usedColors(a, 17));
        for (int[] layer : a) {
            for (int c : layer) {
                assertTrue(c >= 0 && c < 17);
            }
        }
    }

    @Test
    void factoryBuildsValidPoliciesOfEveryStructure() throws Exception {
        for (StructureKind kind : StructureKind.values()) {
            Policy p = PolicyFactory.random(kind, 17, new int[] {7, 41, 13}, Activation.TANH, 5);
            assertEquals(kind, p.structure());
            assertEquals(PolicyStructures.poolSize(kind, new int[] {7, 41, 13}, 17), p.colorCount());
            assertEquals(41, p.biasParamCount());
        }
    }

    @Test
    void factoryRejectsZeroColorsNamingTheField() {
        PolicyFormatException e = assertThrows(PolicyFormatException.class,
                () -> PolicyFactory.random(StructureKind.CHROMATIC, 0, HALF_CHEETAH, Activation.TANH, 1));
        assertEquals("colors", e.field());
    }
}
