package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.gait.OpenLoopTrot;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class MinitaurSimAllocationTest {

    /**
     * Libbulletjme's step callbacks iterate its (empty) tick-listener lists from native code, two
     * 32-byte iterators per physics step that escape analysis cannot remove; everything on our side
     * must add nothing to that.
     */
    private static final long LIBRARY_BYTES_PER_SUBSTEP = 64;

    @Test
    void readAndWriteAllocateNothingBeyondTheLibrarysStepCallbacks() {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        // every randomisation on (pushes, action latency and jitter included) from a power-up start
        SimConfig config = SimConfig.builder().domainRandomization().start(SimConfig.Start.POWERUP).build();
        try (MinitaurSim sim = MinitaurSim.create(config)) {
            sim.reset(2);
            SensorFrame frame = new SensorFrame(8);
            MotorCommand cmd = new MotorCommand(8);
            OpenLoopTrot trot = OpenLoopTrot.reference(sim.spec());
            for (int i = 0; i < 1000; i++) {
                sim.read(frame);
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
            }
            GroundTruth truth = new GroundTruth();
            long id = Thread.currentThread().getId();
            long beforeNs = sim.simTimeNs();
            long before = bean.getThreadAllocatedBytes(id);
            for (int i = 0; i < 200; i++) {
                sim.read(frame);
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
                sim.groundTruth(truth);
            }
            long after = bean.getThreadAllocatedBytes(id);
            long substeps = (sim.simTimeNs() - beforeNs) / SimConfig.SUBSTEP_NS;
            long total = after - before;
            // once the JIT has seen enough, it may remove the library's iterators too: never credit them then
            long ours = total >= LIBRARY_BYTES_PER_SUBSTEP * substeps ? total - LIBRARY_BYTES_PER_SUBSTEP * substeps : total;
            // a per-step allocation of ours would be >= 16 bytes x 200 steps; allow one stray JIT-time object
            assertTrue(ours < 512, (after - before) + " bytes allocated by 200 control steps, " + ours + " beyond the library's");
        }
    }
}
