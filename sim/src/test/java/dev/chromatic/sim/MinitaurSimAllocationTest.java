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
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.builder().domainRandomization().build())) {
            sim.reset(2);
            SensorFrame frame = new SensorFrame(8);
            MotorCommand cmd = new MotorCommand(8);
            OpenLoopTrot trot = OpenLoopTrot.reference(sim.spec());
            for (int i = 0; i < 300; i++) {
                sim.read(frame);
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
            }
            long id = Thread.currentThread().getId();
            long before = bean.getThreadAllocatedBytes(id);
            for (int i = 0; i < 200; i++) {
                sim.read(frame);
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
            }
            long after = bean.getThreadAllocatedBytes(id);
            long substeps = 200L * sim.config().substepsPerControl();
            long ours = after - before - LIBRARY_BYTES_PER_SUBSTEP * substeps;
            // a per-step allocation of ours would be >= 16 bytes x 200 steps; allow one stray JIT-time object
            assertTrue(ours < 512, (after - before) + " bytes allocated by 200 control steps, " + ours + " beyond the library's");
        }
    }
}
