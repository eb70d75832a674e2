package dev.chromatic.trainer.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.StructureSpec;
import org.junit.jupiter.api.Test;

class BroadcastCodecTest {

    private static IterationBroadcast sample() {
        StructureSpec s = new StructureSpec("chromatic", new int[] {3, 4, 1}, 5, new int[][] {{0, 1, 2}, {4, -1}});
        return new IterationBroadcast("pendulum", dev.chromatic.trainer.rollout.EnvOptions.defaults().toText(), s, 12, -99, 0.1, new double[] {Math.PI, -0.0, Double.MIN_VALUE},
                new int[][] {{1, 2}, {3}}, new double[] {0.5}, new double[] {2.0}, 5.0, 40);
    }

    @Test
    void broadcastCrossesTheWireBitForBitAndReusesAKnownStructure() {
        IterationBroadcast b = sample();
        IterationBroadcast d = BroadcastCodec.decode(BroadcastCodec.encode(b), null);
        assertEquals(b.envId, d.envId);
        assertEquals(b.envOptions, d.envOptions);
        assertEquals(b.iteration, d.iteration);
        assertEquals(b.noiseSeed, d.noiseSeed);
        assertEquals(Double.doubleToRawLongBits(b.sigma), Double.doubleToRawLongBits(d.sigma));
        for (int i = 0; i < b.theta.length; i++) {
            assertEquals(Double.doubleToRawLongBits(b.theta[i]), Double.doubleToRawLongBits(d.theta[i]));
        }
        assertArrayEquals(b.partitions, d.partitions);
        assertArrayEquals(b.structure.fixedColoring, d.structure.fixedColoring);
        assertArrayEquals(b.structure.layerSizes, d.structure.layerSizes);
        assertEquals(b.maxSteps, d.maxSteps);
        assertSame(d.structure, BroadcastCodec.decode(BroadcastCodec.encode(b), d.structure).structure);
    }

    @Test
    void rejectsBroadcastCutShort() {
        byte[] full = BroadcastCodec.encode(sample());
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
        assertThrows(IllegalArgumentException.class, () -> BroadcastCodec.decode(cut, null));
    }
}
