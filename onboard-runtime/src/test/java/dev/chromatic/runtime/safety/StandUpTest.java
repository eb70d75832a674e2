package dev.chromatic.runtime.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.LoopRig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Arming starts with a ramp from where the legs lie to the standing pose; then the policy drives. */
class StandUpTest {

    private static final int RAMP_CYCLES = 100;

    @Test
    void armingRampsFromTheMeasuredPoseToStandingBeforeThePolicyDrives() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.safety.setStandUpNs(RAMP_CYCLES * LoopRig.PERIOD_NS);
        double[] standing = new double[8];
        rig.hardware.spec().standingPose(standing);
        double lyingRad = 2.0;
        Arrays.fill(rig.hardware.pose, lyingRad);
        rig.ticks(3);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed());
        assertTrue(rig.safety.isStandingUp());
        double first = rig.hardware.written.positionRad[0];
        assertEquals(lyingRad + (standing[0] - lyingRad) / RAMP_CYCLES, first, 1e-9, "first ramp step from the measured pose");

        rig.ticks(RAMP_CYCLES / 2 - 1);
        assertEquals(0, rig.step.steps, "the policy does not drive during the ramp");
        assertEquals(lyingRad + 0.5 * (standing[3] - lyingRad), rig.hardware.written.positionRad[3], 1e-9, "half way");
        assertEquals(MotorCommand.Mode.POSITION, rig.hardware.written.mode);

        rig.ticks(RAMP_CYCLES / 2);
        for (int m = 0; m < 8; m++) {
            assertEquals(standing[m], rig.hardware.written.positionRad[m], 1e-9, "standing at the end of the ramp, motor " + m);
        }
        assertTrue(!rig.safety.isStandingUp());
        rig.ticks(5);
        assertEquals(5, rig.step.steps, "then the policy drives, every cycle");
    }

    @Test
    void trippingDuringTheRampLatchesTheSafeState() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.safety.setStandUpNs(RAMP_CYCLES * LoopRig.PERIOD_NS);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        rig.hardware.rollRad = 1.0;
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        assertEquals(Reason.ROLL_LIMIT, rig.safety.reason());
        assertEquals(MotorCommand.Mode.DAMP, rig.hardware.written.mode);
        assertEquals(0, rig.step.steps);
    }
}
