package dev.chromatic.tools.bench;

import dev.chromatic.runtime.inference.FixedPointNetwork;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.StructureKind;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ns per inference of one chromatic network (M = 17, random coloring, tanh) for each evaluator:
 * {@code dense_float} (expanded double matrix, Math.tanh), {@code reference_float} (the float64
 * reference over colors), {@code dense_fixed} and {@code mailman_fixed}. Inputs cycle through 1024
 * random states in [-5, 5].
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InferenceBenchmark {

    /** Kernel names, as in the JSON keys of {@code bench inference}. */
    static final String[] KERNELS = {"dense_float", "reference_float", "dense_fixed", "mailman_fixed"};
    static final int COLORS = 17;
    static final long SEED = 2024;

    @Param({"17,41,6", "7,41,13"})
    public String dims;

    @Param({"dense_float", "reference_float", "dense_fixed", "mailman_fixed"})
    public String kernel;

    private NetworkEvaluator net;
    private double[][] inputs;
    private double[] output;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws PolicyFormatException {
        Policy p = policy(dims);
        net = evaluator(kernel, p);
        SplittableRandom rng = new SplittableRandom(1);
        inputs = new double[1024][p.observationDim()];
        for (double[] x : inputs) {
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextDouble(-5.0, 5.0);
            }
        }
        output = new double[p.actionDim()];
    }

    @Benchmark
    public double infer() {
        double[] x = inputs[next];
        next = (next + 1) & 1023;
        net.evaluate(x, output);
        return output[0];
    }

    static Policy policy(String dims) throws PolicyFormatException {
        String[] parts = dims.split(",");
        int[] d = new int[parts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Integer.parseInt(parts[i].trim());
        }
        return PolicyFactory.random(StructureKind.CHROMATIC, COLORS, d, Activation.TANH, SEED);
    }

    static NetworkEvaluator evaluator(String kernel, Policy p) {
        return switch (kernel) {
            case "dense_float" -> new DenseFloatNetwork(p);
            case "reference_float" -> FloatNetwork.of(p);
            case "dense_fixed" -> FixedPointNetwork.of(p);
            case "mailman_fixed" -> MailmanNetwork.of(p);
            default -> throw new IllegalArgumentException("unknown kernel " + kernel);
        };
    }
}
