package dev.chromatic.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.StructureKind;
import org.junit.jupiter.api.Test;

class FloatNetworkTest {

    @Test
    void computesTwoLayerColoredNetworkByHand() throws Exception {
        // 2 -> 2 (tanh) -> 1 (linear), weights {0.5, -1.0}; edge (1,0) of layer 0 pruned.
        Policy.Builder b = Policy.builder();
        b.structure = StructureKind.MASKED;
        b.layerSizes = new int[] {2, 2, 1};
        b.activations = new Activation[] {Activation.TANH, Activation.LINEAR};
        b.colorCount = 2;
        b.sharedWeights = new double[] {0.5, -1.0};
        b.edgeColors = new int[][] {{0, 1, Policy.PRUNED, 0}, {1, 0}};
        b.biases = new double[][] {{0.1, -0.2}, {0.3}};
        b.outputBias = true;
        b.identityScaling();
        Policy p = b.build();

        double[] x = {0.7, -0.4};
        double h0 = Math.tanh(0.5 * 0.7 - 1.0 * -0.4 + 0.1);
        double h1 = Math.tanh(0.5 * -0.4 - 0.2);
        double expected = -1.0 * h0 + 0.5 * h1 + 0.3;

        double[] y = new double[1];
        FloatNetwork.of(p).evaluate(x, y);
        assertEquals(expected, y[0], 1e-15);
    }

    @Test
    void trainerFormSeesNewParametersWithoutRebuilding() {
        FloatNetwork net = new FloatNetwork(new int[] {1, 1}, new Activation[] {Activation.LINEAR});
        double[] w = {2.0};
        net.setParameters(new int[][] {{0}}, w, new double[][] {{0.0}});
        double[] y = new double[1];
        net.evaluate(new double[] {3.0}, y);
        assertEquals(6.0, y[0]);
        w[0] = -1.0;
        net.evaluate(new double[] {3.0}, y);
        assertEquals(-3.0, y[0]);
    }
}
