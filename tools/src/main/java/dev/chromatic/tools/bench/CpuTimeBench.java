package dev.chromatic.tools.bench;

import dev.chromatic.runtime.inference.NetworkEvaluator;
import dev.chromatic.runtime.policy.Policy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Thread CPU time per inference of each benchmarked kernel, measured in this JVM in interleaved
 * rounds (best round kept after warm-up rounds). A complement to JMH's wall time on a shared
 * machine: time the OS gives to other processes is not counted.
 */
final class CpuTimeBench {

    private static final int ROUNDS = 15;
    private static final int WARM_UP_ROUNDS = 4;
    private static final int CALLS = 50_000;
    /** Keeps the outputs observable so the JIT cannot drop the inferences. */
    static volatile double consumed;

    private CpuTimeBench() {
    }

    /** ns of thread CPU time per inference, in the order of {@link InferenceBenchmark#KERNELS}. */
    static double[] nsPerInference(Policy p) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] kernels = InferenceBenchmark.KERNELS;
        NetworkEvaluator[] nets = new NetworkEvaluator[kernels.length];
        for (int k = 0; k < kernels.length; k++) {
            nets[k] = InferenceBenchmark.evaluator(kernels[k], p);
        }
        SplittableRandom rng = new SplittableRandom(1);
        double[][] inputs = new double[1024][p.observationDim()];
        for (double[] x : inputs) {
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextDouble(-5.0, 5.0);
            }
        }
        double[] y = new double[p.actionDim()];
        double[] best = new double[kernels.length];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        double sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < nets.length; k++) {
                NetworkEvaluator net = nets[k];
                long t0 = threads.getCurrentThreadCpuTime();
                for (int t = 0; t < CALLS; t++) {
                    net.evaluate(inputs[t & 1023], y);
                    sink += y[0];
                }
                double ns = (threads.getCurrentThreadCpuTime() - t0) / (double) CALLS;
                if (round >= WARM_UP_ROUNDS) {
                    best[k] = Math.min(best[k], ns);
                }
            }
        }
        consumed = sink;
        return best;
    }
}
