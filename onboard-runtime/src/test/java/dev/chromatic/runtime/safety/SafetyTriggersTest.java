package dev.chromatic.runtime.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.LoopEvent;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.LoopRig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SafetyTriggersTest {

    /** Arms, applies a fault, runs {@code cyclesToTrip} cycles and checks the latch and its persistence. */
    private static void tripsWithin(int cyclesToTrip, Reason expected, Consumer<LoopRig> fault, Consumer<LoopRig> clear) {
        LoopRig rig = new LoopRig().armed();
        List<Reason> trips = new ArrayList<>();
        rig.safety.setTripListener((reason, timeNs, cycle) -> trips.add(reason));
        fault.accept(rig);
        for (int i = 1; i < cyclesToTrip; i++) {
            rig.tick();
            assertEquals(SafetyState.ARMED, rig.safety.state(), "tripped early, after " + i + " cycles");
        }
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        assertEquals(expected, rig.safety.reason());
        assertEquals(MotorCommand.Mode.DAMP, rig.hardware.written.mode, "the same cycle writes the safe posture");
        assertEquals(List.of(expected), trips);
        assertEquals(1, rig.safety.tripCount());

        clear.accept(rig);
        rig.ticks(20);
        assertEquals(SafetyState.SAFE, rig.safety.state(), "latched until reset");
        rig.command(CommandKind.ARM);
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state(), "arming does not clear the latch");
        rig.command(CommandKind.RESET);
        rig.tick();
        assertEquals(SafetyState.DISARMED, rig.safety.state());
        assertEquals(MotorCommand.Mode.OFF, rig.hardware.written.mode);
        assertTrue(hasEvent(rig, EventKind.SAFE_STATE, expected), "a safe_state event names the reason");
    }

    @Test
    void aControllerExceptionLatchesControllerFaultAndTheLoopKeepsItsRate() {
        tripsWithin(1, Reason.CONTROLLER_FAULT, r -> r.step.fault = new IllegalStateException("bug in the stack"),
                r -> { });
    }

    @Test
    void aHardwareExceptionLatchesHardwareFaultAndTheLoopKeepsItsRate() {
        tripsWithin(1, Reason.HARDWARE_FAULT, r -> r.hardware.readFault = new IllegalStateException("bus error"),
                r -> { });
    }

    @Test
    void aFaultingCycleStillWritesAndTheNextCyclesRunOnTime() {
        LoopRig rig = new LoopRig().armed();
        long writes = rig.hardware.writes();
        long cycles = rig.agent.cycles();
        rig.step.fault = new ArithmeticException("divide by zero");
        rig.ticks(10);
        assertEquals(writes + 10, rig.hardware.writes(), "every cycle wrote, the faulting one included");
        assertEquals(cycles + 10, rig.agent.cycles());
        assertEquals(0, rig.agent.missedPeriods());
        assertEquals(Reason.CONTROLLER_FAULT, rig.safety.reason());
    }

    private static boolean hasEvent(LoopRig rig, EventKind kind, Reason reason) {
        LoopEvent e = new LoopEvent();
        boolean found = false;
        while (rig.events.poll(e)) {
            found |= e.kind == kind.ordinal() && e.reason == reason.ordinal();
        }
        return found;
    }

    @Test
    void rollBeyondLimitLatchesInOneCycle() {
        tripsWithin(1, Reason.ROLL_LIMIT, r -> r.hardware.rollRad = 0.51, r -> r.hardware.rollRad = 0);
    }

    @Test
    void pitchBeyondLimitLatchesInOneCycle() {
        tripsWithin(1, Reason.PITCH_LIMIT, r -> r.hardware.pitchRad = -0.6, r -> r.hardware.pitchRad = 0);
    }

    @Test
    void nanActionLatchesInOneCycle() {
        tripsWithin(1, Reason.NON_FINITE_ACTION, r -> r.step.poison = Double.NaN, r -> r.step.poison = 0);
    }

    @Test
    void infiniteActionLatchesInOneCycle() {
        tripsWithin(1, Reason.NON_FINITE_ACTION, r -> r.step.poison = Double.NEGATIVE_INFINITY, r -> r.step.poison = 0);
    }

    @Test
    void invalidSensorsForKCyclesLatch() {
        tripsWithin(3, Reason.SENSORS_INVALID,
                r -> r.hardware.validMask = SensorFrame.VALID_ALL & ~SensorFrame.VALID_ATTITUDE,
                r -> r.hardware.validMask = SensorFrame.VALID_ALL);
    }

    @Test
    void nanAttitudeCountsAsInvalidSensors() {
        tripsWithin(3, Reason.SENSORS_INVALID, r -> r.hardware.rollRad = Double.NaN, r -> r.hardware.rollRad = 0);
    }

    @Test
    void staleSensorsForKCyclesLatch() {
        tripsWithin(3, Reason.SENSORS_STALE, r -> r.hardware.frozen = true, r -> r.hardware.frozen = false);
    }

    @Test
    void kConsecutiveOverrunsLatch() {
        // 5 overrunning cycles are counted; the cycle after the 5th writes the safe posture.
        tripsWithin(6, Reason.OVERRUNS, r -> r.hardware.readDelayNs = 1_200_000, r -> r.hardware.readDelayNs = 0);
    }

    @Test
    void estopCommandLatchesInOneCycle() {
        tripsWithin(1, Reason.ESTOP_COMMAND, r -> r.command(CommandKind.ESTOP), r -> { });
    }

    @Test
    void estopInputLatchesInOneCycle() {
        tripsWithin(1, Reason.ESTOP_INPUT, r -> r.hardware.estopPressed = true, r -> r.hardware.estopPressed = false);
    }

    @Test
    void estopInputTripsEvenWhenDisarmedAndBlocksReset() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.ticks(2);
        rig.hardware.estopPressed = true;
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        rig.command(CommandKind.RESET);
        rig.tick();
        assertEquals(SafetyState.SAFE, rig.safety.state());
        assertTrue(hasEvent(rig, EventKind.RESET_REFUSED, Reason.ESTOP_INPUT));
    }

    @Test
    void occasionalOverrunsDoNotLatch() {
        LoopRig rig = new LoopRig().armed();
        for (int i = 0; i < 10; i++) {
            rig.hardware.readDelayNs = 1_200_000;
            rig.ticks(4);
            rig.hardware.readDelayNs = 0;
            rig.tick();
        }
        assertEquals(SafetyState.ARMED, rig.safety.state());
        assertEquals(40, rig.agent.overruns());
    }

    @Test
    void armingRefusedWhileSensorsStale() {
        LoopRig rig = new LoopRig().withPolicy(true);
        int tolerance = rig.safety.limits().badSensorCycles();
        rig.ticks(2);
        rig.hardware.frozen = true;
        rig.tick();
        rig.command(CommandKind.ARM);
        for (int i = 0; i < tolerance; i++) {
            assertFalse(hasEvent(rig, EventKind.ARM_REFUSED, Reason.SENSORS_STALE), "waits for a fresh frame first");
            rig.tick();
            assertFalse(rig.safety.isArmed(), "never armed on a stale frame");
        }
        assertTrue(hasEvent(rig, EventKind.ARM_REFUSED, Reason.SENSORS_STALE),
                "refused once the supervisor's tolerance of bad frames has passed without a fresh one");
        rig.hardware.frozen = false;
        rig.ticks(3);
        assertFalse(rig.safety.isArmed(), "a refused arm stays refused");
    }

    @Test
    void anArmDuringAHeldFrameWaitsForTheNextFreshOne() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.ticks(2);
        rig.hardware.frozen = true;
        rig.tick();
        rig.command(CommandKind.ARM);
        rig.tick();
        assertFalse(rig.safety.isArmed(), "not on the held frame");
        rig.hardware.frozen = false;
        rig.tick();
        assertTrue(rig.safety.isArmed(), "armed on the next fresh frame, within the tolerance");
        assertFalse(hasEvent(rig, EventKind.ARM_REFUSED, Reason.SENSORS_STALE));
    }

    @Test
    void aDisarmRightAfterAPendingArmKeepsTheirOrder() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.ticks(2);
        rig.hardware.frozen = true;
        rig.tick();
        rig.command(CommandKind.ARM);
        rig.tick();
        rig.command(CommandKind.DISARM);
        rig.hardware.frozen = false;
        rig.ticks(3);
        assertFalse(rig.safety.isArmed(), "the disarm sent after the arm wins");
        assertTrue(hasEvent(rig, EventKind.ARM_REFUSED, Reason.SENSORS_STALE), "the arm was judged when the disarm came");
    }

    @Test
    void armingRefusedWithoutPolicy() {
        LoopRig rig = new LoopRig();
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertFalse(rig.safety.isArmed());
        assertTrue(hasEvent(rig, EventKind.ARM_REFUSED, Reason.NO_POLICY));
    }

    @Test
    void armingRefusedWithUnverifiedPolicy() {
        LoopRig rig = new LoopRig().withPolicy(false);
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertFalse(rig.safety.isArmed());
        assertTrue(hasEvent(rig, EventKind.ARM_REFUSED, Reason.POLICY_UNVERIFIED));
    }

    @Test
    void clampsTargetsToPositionLimitsAndRate() {
        LoopRig rig = new LoopRig(new SafetyLimits(0.5, 0.5, 3, 5, SafetyLimits.defaults().requiredValidMask(), 10.0))
                .armed();
        rig.step.amplitudeRad = 100.0;
        double before = rig.hardware.written.positionRad[0];
        rig.tick();
        double step = Math.abs(rig.hardware.written.positionRad[0] - before);
        assertTrue(step <= 10.0 * 1e-3 + 1e-12, "target moved " + step + " rad in 1 ms");
        rig.ticks(2000);
        for (int m = 0; m < 8; m++) {
            double t = rig.hardware.written.positionRad[m];
            assertTrue(t >= rig.hardware.spec().minPositionRad(m) && t <= rig.hardware.spec().maxPositionRad(m),
                    "motor " + m + " target " + t);
        }
        assertEquals(SafetyState.ARMED, rig.safety.state());
    }
}
