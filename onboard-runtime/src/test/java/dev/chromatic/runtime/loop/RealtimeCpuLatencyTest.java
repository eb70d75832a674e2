package dev.chromatic.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.agent.CpuLatencyRequest;
import dev.chromatic.runtime.agent.KernelCpuLatency;
import org.junit.jupiter.api.Test;

/**
 * A real-time loop holds the CPU wake-up latency it was started with for exactly as long as it runs:
 * the kernel's effective limit is the request while the loop runs and what it was once it stops.
 */
class RealtimeCpuLatencyTest {

    private static final long PERIOD_NS = 2_000_000L;

    private static RobotLoop loop() {
        return RobotLoop.context().hardware(new StandInHardware(NanoClock.system(), PERIOD_NS)).clock(NanoClock.system())
                .settings(new LoopSettings(PERIOD_NS, 1, 8, false)).build();
    }

    @Test
    void theLoopHoldsItsRequestWhileItRunsAndEndsItWhenItStops() throws Exception {
        assumeTrue(KernelCpuLatency.available(),
                "needs a writable " + CpuLatencyRequest.DEVICE + " (Linux, root)");
        int before = KernelCpuLatency.effectiveLimitUs();
        RobotLoop loop = loop();
        loop.startRealtime(100_000L, 0, -1, 3, t -> { });
        try {
            assertTrue(loop.cpuLatency().held(), loop.cpuLatency().message());
            assertEquals(Math.min(before, 3), KernelCpuLatency.effectiveLimitUs(), "while the loop runs");
        } finally {
            loop.stop();
        }
        assertFalse(loop.cpuLatency().held());
        assertEquals(before, KernelCpuLatency.effectiveLimitUs(), "after the loop stopped");
    }

    @Test
    void aLoopStartedWithoutARequestLeavesPowerManagementAlone() {
        RobotLoop loop = loop();
        loop.startRealtime(100_000L, 0, -1, t -> { });
        try {
            assertFalse(loop.cpuLatency().held());
            assertTrue(loop.cpuLatency().message().contains("not requested"), loop.cpuLatency().message());
        } finally {
            loop.stop();
        }
    }
}
