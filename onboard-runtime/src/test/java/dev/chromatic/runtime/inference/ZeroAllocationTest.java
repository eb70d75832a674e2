package dev.chromatic.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.StructureKind;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Steady-state inference allocates nothing: measured with the thread's allocated-bytes counter. */
class ZeroAllocationTest {

    private static final int CALLS = 100_000;
    private static final int WARM_UP_CALLS = 30_000;

    @Test
    void evaluatorsAllocateNothingPerInference() throws Exception {
        Policy p = PolicyFactory.random(StructureKind.CHROMATIC, 17, new int[] {7, 41, 13}, Activation.TANH, 1);
        Policy m2 = PolicyFactory.random(StructureKind.CHROMATIC, 2, new int[] {17, 41, 6}, Activation.TANH, 1);
        NetworkEvaluator[] evaluators = {
            FloatNetwork.of(p), FixedPointNetwork.of(p), MailmanNetwork.of(p),
            MailmanNetwork.forced(p, MailmanNetwork.Form.PRODUCT_TABLE, 1),
            MailmanNetwork.forced(m2, MailmanNetwork.Form.BLOCKS, 3),
        };
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (NetworkEvaluator net : evaluators) {
            double[] x = new double[net.inputDim()];
            double[] y = new double[net.outputDim()];
            run(net, x, y, WARM_UP_CALLS); // compile the hot path first
            long allocated = -1;
            // a compilation switch-over can allocate once; a per-call allocation would show in every attempt
            for (int attempt = 0; attempt < 3 && allocated != 0; attempt++) {
                long empty0 = threads.getCurrentThreadAllocatedBytes();
                long empty1 = threads.getCurrentThreadAllocatedBytes();
                long before = threads.getCurrentThreadAllocatedBytes();
                run(net, x, y, CALLS);
                long after = threads.getCurrentThreadAllocatedBytes();
                allocated = (after - before) - (empty1 - empty0);
            }
            assertEquals(0, allocated, net.getClass().getSimpleName() + " allocated over " + CALLS + " calls");
        }
    }

    private static void run(NetworkEvaluator net, double[] x, double[] y, int calls) {
        for (int t = 0; t < calls; t++) {
            x[t % x.length] = (t % 97) * 0.05 - 2.4;
            net.evaluate(x, y);
        }
    }
}
