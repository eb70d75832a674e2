package dev.chromatic.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.LoopEvent;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.safety.SafetyLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Arming runs a stand-up ramp from where the legs are (or from the configured pose when the
 * hardware has no encoders), then a settle gate that waits for a still body, then the policy.
 */
class StandUpBehaviourTest {

    private static final int RAMP_CYCLES = 180;
    private static final StandUpSettings RAMP_ONLY = new StandUpSettings(RAMP_CYCLES * LoopRig.PERIOD_NS, 0.3, 0L, 0L, 0.2, 0L);
    /** 100-cycle ramp, then hand over after 20 still cycles, at most 150 cycles of settling. */
    private static final StandUpSettings GATED = new StandUpSettings(RAMP_CYCLES * LoopRig.PERIOD_NS, 0.3,
            20 * LoopRig.PERIOD_NS, 150 * LoopRig.PERIOD_NS, 0.2, 0L);
    /** The gated stand-up behind a rest gate: arm after 20 cycles at rest, at most 100 cycles after the request. */
    private static final StandUpSettings RESTING = new StandUpSettings(RAMP_CYCLES * LoopRig.PERIOD_NS, 0.3,
            20 * LoopRig.PERIOD_NS, 150 * LoopRig.PERIOD_NS, 0.2, 100 * LoopRig.PERIOD_NS);

    @Test
    void armingTucksSwingsUnderAndExtendsFromTheMeasuredPoseBeforeThePolicyDrives() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RAMP_ONLY, SensorFrame.VALID_ALL).withPolicy(true);
        RobotSpec spec = rig.hardware.spec();
        double[] standing = new double[8];
        spec.standingPose(standing);
        double lyingRad = 2.0;
        Arrays.fill(rig.hardware.poseRad, lyingRad);
        spec.legToMotorAngles(2, 0.6, 2.0, rig.hardware.poseRad);
        rig.ticks(3);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed());
        assertEquals(Phase.STAND_UP, rig.loop.standUp().phase());
        double tuck = spec.maxExtensionRad();
        double[] w = rig.hardware.written.positionRad;
        assertEquals(lyingRad + (tuck - lyingRad) * 3.0 / RAMP_CYCLES, spec.extensionOf(0, w), 1e-9,
                "the first step folds the leg from the measured extension");

        rig.ticks(RAMP_CYCLES / 6 - 1);
        assertEquals(0, rig.step.steps, "the policy does not drive during the ramp");
        assertEquals(MotorCommand.Mode.POSITION, rig.hardware.written.mode);
        assertEquals(0.5 * (lyingRad + tuck), spec.extensionOf(0, w), 1e-9, "half folded after a sixth");
        assertEquals(0.6, spec.swingOf(2, w), 1e-9, "a splayed leg keeps its swing while it folds");

        rig.ticks(RAMP_CYCLES / 3);
        assertEquals(tuck, spec.extensionOf(2, w), 1e-9, "folded while it swings under");
        assertEquals(0.3, spec.swingOf(2, w), 1e-9, "half way under at half time");

        rig.ticks(RAMP_CYCLES / 3);
        assertEquals(0.0, spec.swingOf(2, w), 1e-9);
        assertEquals(0.5 * (tuck + spec.neutralExtensionRad()), spec.extensionOf(1, w), 1e-9, "half extended");

        rig.ticks(RAMP_CYCLES / 6);
        for (int m = 0; m < 8; m++) {
            assertEquals(standing[m], w[m], 1e-9, "standing at the end of the ramp, motor " + m);
        }
        rig.ticks(5);
        assertEquals(Phase.POLICY, rig.loop.standUp().phase());
        assertEquals(5, rig.step.steps, "then the policy drives, every cycle");
        assertEquals(1, rig.step.resets, "reset once when it took over");
    }

    @Test
    void anArmRequestWaitsWithMotorsOffUntilTheBodyHasComeToRestThenStandsUpFromWhereTheLegsLie() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RESTING, SensorFrame.VALID_ALL).withPolicy(true);
        RobotSpec spec = rig.hardware.spec();
        rig.hardware.rollRateRadPerS = 0.9;
        Arrays.fill(rig.hardware.poseRad, 1.6);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.ticks(30);
        assertEquals(SafetyState.DISARMED, rig.safety.state(), "a body still tipping is not armed");
        assertTrue(rig.loop.agent().armPending());
        assertEquals(MotorCommand.Mode.OFF, rig.hardware.written.mode, "motors stay off while it waits");

        // it comes to rest with its legs folded further: the stand-up starts from there
        Arrays.fill(rig.hardware.poseRad, 2.2);
        rig.hardware.rollRateRadPerS = 0.05;
        rig.ticks(19);
        assertEquals(SafetyState.DISARMED, rig.safety.state(), "19 cycles at rest are not the 20-cycle hold");
        rig.tick();
        assertTrue(rig.safety.isArmed());
        assertEquals(49 * LoopRig.PERIOD_NS, rig.loop.standUp().lastRestWaitNs(),
                "requested in the first of 50 cycles, armed in the last: 49 periods waited");
        double tuck = Math.max(2.2, spec.maxExtensionRad());
        assertEquals(2.2 + (tuck - 2.2) * 3.0 / RAMP_CYCLES, spec.extensionOf(0, rig.hardware.written.positionRad), 1e-9,
                "the ramp starts from the pose the legs came to rest in");
    }

    @Test
    void aBodyThatNeverComesToRestIsJudgedAtTheEndOfTheRestWait() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RESTING, SensorFrame.VALID_ALL).withPolicy(true);
        rig.hardware.pitchRateRadPerS = -0.6;
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.ticks(100);
        assertEquals(SafetyState.DISARMED, rig.safety.state());
        assertTrue(rig.loop.agent().armPending(), "99 periods after the request it still waits");
        rig.hardware.rollRad = 0.7;
        rig.tick();
        assertEquals(SafetyState.DISARMED, rig.safety.state());
        assertFalse(rig.loop.agent().armPending(), "judged 100 periods (the bounded wait) after the request");
        assertEquals(100 * LoopRig.PERIOD_NS, rig.loop.standUp().lastRestWaitNs());
        assertEquals(Reason.ROLL_LIMIT.ordinal(), event(rig, EventKind.ARM_REFUSED).reason,
                "the supervisor's checks still decide: a body on its side is refused");
    }

    @Test
    void heldFramesWhileTheBodyComesToRestDoNotRefuseTheArm() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RESTING, SensorFrame.VALID_ALL).withPolicy(true);
        int tolerance = rig.safety.limits().badSensorCycles();
        rig.hardware.rollRateRadPerS = 0.9;
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        // a jittery link: a run of held frames just inside the tolerance every few cycles, for longer
        // than the tolerance in all
        for (int i = 0; i < 8; i++) {
            rig.hardware.frozen = true;
            rig.ticks(tolerance - 1);
            rig.hardware.frozen = false;
            rig.ticks(2);
        }
        assertFalse(hasEvent(rig, EventKind.ARM_REFUSED), "a gap is counted from the last fresh frame");
        assertTrue(rig.loop.agent().armPending());
        rig.hardware.rollRateRadPerS = 0.0;
        rig.ticks(20);
        assertTrue(rig.safety.isArmed(), "armed once at rest, on a fresh frame");
    }

    @Test
    void heldFramesBeyondTheToleranceWhileWaitingAreRefusedAsStale() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RESTING, SensorFrame.VALID_ALL).withPolicy(true);
        int tolerance = rig.safety.limits().badSensorCycles();
        rig.hardware.rollRateRadPerS = 0.9;
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.ticks(5);
        rig.hardware.frozen = true;
        rig.ticks(tolerance);
        assertFalse(rig.safety.isArmed());
        assertFalse(rig.loop.agent().armPending());
        assertEquals(Reason.SENSORS_STALE.ordinal(), event(rig, EventKind.ARM_REFUSED).reason);
    }

    @Test
    void aBodyAlreadyAtRestArmsAtOnce() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RESTING, SensorFrame.VALID_ALL).withPolicy(true);
        rig.ticks(25);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed());
        assertEquals(0, rig.loop.standUp().lastRestWaitNs());
    }

    @Test
    void trippingDuringTheRampLatchesTheSafeStateAndEndsTheStandUp() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RAMP_ONLY, SensorFrame.VALID_ALL).withPolicy(true);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        rig.hardware.rollRad = 1.0;
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        assertEquals(Reason.ROLL_LIMIT, rig.safety.reason());
        assertEquals(MotorCommand.Mode.DAMP, rig.hardware.written.mode);
        assertEquals(Phase.NONE, rig.loop.standUp().phase());
        assertEquals(0, rig.step.steps);
    }

    @Test
    void theSettleGateHoldsTheStandingPoseUntilTheBodyIsStill() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), GATED, SensorFrame.VALID_ALL).withPolicy(true);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.ticks(RAMP_CYCLES + 1);
        assertEquals(Phase.SETTLE, rig.loop.standUp().phase());
        rig.hardware.pitchRateRadPerS = 0.8;
        rig.ticks(40);
        assertEquals(Phase.SETTLE, rig.loop.standUp().phase(), "a rocking body is not handed over");
        assertEquals(0, rig.step.steps);
        double[] standing = new double[8];
        rig.hardware.spec().standingPose(standing);
        assertEquals(standing[2], rig.hardware.written.positionRad[2], 1e-9, "the gate holds the standing pose");

        rig.hardware.pitchRateRadPerS = 0.1;
        rig.ticks(19);
        assertEquals(Phase.SETTLE, rig.loop.standUp().phase(), "19 still cycles are not yet the 20-cycle hold");
        rig.tick();
        assertEquals(Phase.POLICY, rig.loop.standUp().phase());
        assertEquals(1, rig.step.steps, "the policy drives in the hand-over cycle");
        assertEquals(61 * LoopRig.PERIOD_NS, rig.loop.standUp().lastSettleWaitNs(), "41 + 20 cycles in the gate");
        assertFalse(rig.loop.standUp().lastSettleTimedOut());
        LoopEvent handOver = event(rig, EventKind.HANDED_OVER);
        assertEquals(Reason.NONE.ordinal(), handOver.reason);
    }

    @Test
    void theSettleGateHandsOverAtTheEndOfItsBoundedWait() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), GATED, SensorFrame.VALID_ALL).withPolicy(true);
        rig.hardware.rollRateRadPerS = -0.5;
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.ticks(RAMP_CYCLES + 149);
        assertEquals(Phase.SETTLE, rig.loop.standUp().phase());
        rig.tick();
        assertEquals(Phase.POLICY, rig.loop.standUp().phase());
        assertTrue(rig.loop.standUp().lastSettleTimedOut());
        assertEquals(150 * LoopRig.PERIOD_NS, rig.loop.standUp().lastSettleWaitNs());
        assertEquals(Reason.SETTLE_TIMEOUT.ordinal(), event(rig, EventKind.HANDED_OVER).reason);
    }

    @Test
    void aBodyThatIsStillTiltedWhenTheWaitEndsIsNotHandedOverButLatchesStandUpFailed() {
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), GATED, SensorFrame.VALID_ALL).withPolicy(true);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.ticks(RAMP_CYCLES + 1);
        rig.hardware.rollRad = 0.3;
        rig.ticks(148);
        assertEquals(Phase.SETTLE, rig.loop.standUp().phase(), "a tilted but still body is not upright yet");
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        assertEquals(Reason.STAND_UP_FAILED, rig.safety.reason());
        assertEquals(MotorCommand.Mode.DAMP, rig.hardware.written.mode);
        assertEquals(0, rig.step.steps, "the policy never drove");
    }

    @Test
    void aRobotLyingOnItsSideIsNotArmed() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.hardware.rollRad = -0.9;
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertEquals(SafetyState.DISARMED, rig.safety.state());
        assertEquals(Reason.ROLL_LIMIT.ordinal(), event(rig, EventKind.ARM_REFUSED).reason);
        assertEquals(Reason.ROLL_LIMIT, rig.safety.lastArmRefusal(), "the refusal is kept for whoever asked");
        rig.hardware.rollRad = 0.0;
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertEquals(SafetyState.ARMED, rig.safety.state());
        assertEquals(Reason.NONE, rig.safety.lastArmRefusal(), "a granted arm clears it");
    }

    @Test
    void withoutEncodersTheRobotArmsAndStandsUpFromTheConfiguredPose() {
        int imuOnly = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES | SensorFrame.VALID_ACCEL;
        LoopRig rig = new LoopRig(SafetyLimits.defaults(), RAMP_ONLY, imuOnly).withPolicy(true);
        double[] resting = new double[8];
        rig.hardware.spec().restingPose(resting);
        double[] standing = new double[8];
        rig.hardware.spec().standingPose(standing);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed(), "no motor angles are required of hardware that never measures them");
        for (int m = 0; m < 8; m++) {
            assertEquals(resting[m], rig.hardware.written.positionRad[m], 1e-9,
                    "the ramp starts at the resting pose (already folded and under the body), motor " + m);
        }
        rig.ticks(RAMP_CYCLES + 3);
        assertEquals(Phase.POLICY, rig.loop.standUp().phase());
        rig.hardware.pitchRad = 0.7;
        rig.tick();
        assertEquals(Reason.PITCH_LIMIT, rig.safety.reason(), "attitude is still judged");
    }

    @Test
    void thePolicyStartsAtTheConfiguredTrajectoryPhase() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.loop.standUp().setStartPhaseRad(1.25);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertEquals(1.25, rig.step.lastStartPhaseRad, 0.0);
    }

    /** Whether the ring holds an event of {@code kind} (drains it). */
    private static boolean hasEvent(LoopRig rig, EventKind kind) {
        boolean found = false;
        LoopEvent e = new LoopEvent();
        while (rig.events.poll(e)) {
            found |= e.kind == kind.ordinal();
        }
        return found;
    }

    private static LoopEvent event(LoopRig rig, EventKind kind) {
        List<LoopEvent> seen = new ArrayList<>();
        LoopEvent e = new LoopEvent();
        while (rig.events.poll(e)) {
            if (e.kind == kind.ordinal()) {
                LoopEvent copy = new LoopEvent();
                e.copyTo(copy);
                seen.add(copy);
            }
        }
        assertEquals(1, seen.size(), "one " + kind + " event");
        return seen.get(0);
    }
}
