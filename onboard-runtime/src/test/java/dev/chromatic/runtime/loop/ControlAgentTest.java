package dev.chromatic.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.CycleEpoch;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.LoopEvent;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStack;
import dev.chromatic.runtime.stack.ControllerStacks;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import org.junit.jupiter.api.Test;

class ControlAgentTest {

    @Test
    void runsOnlyAtDeadlinesAndLateWakeUpsDoNotShiftTheSchedule() {
        LoopRig rig = new LoopRig();
        long t0 = rig.clock.nanoTime();
        assertEquals(1, rig.agent.doWork());
        assertEquals(t0 + LoopRig.PERIOD_NS, rig.agent.nextDeadlineNs());
        rig.clock.advance(LoopRig.PERIOD_NS - 1);
        assertEquals(0, rig.agent.doWork());
        rig.clock.advance(301_000);
        assertEquals(1, rig.agent.doWork());
        assertEquals(t0 + 2 * LoopRig.PERIOD_NS, rig.agent.nextDeadlineNs(), "deadline is absolute, not now + period");
        assertEquals(0, rig.agent.missedPeriods());
    }

    @Test
    void skipsAndCountsPeriodsMissedEntirely() {
        LoopRig rig = new LoopRig();
        long t0 = rig.clock.nanoTime();
        rig.agent.doWork();
        rig.clock.advance(3 * LoopRig.PERIOD_NS + 200_000);
        assertEquals(1, rig.agent.doWork());
        assertEquals(2, rig.agent.missedPeriods());
        assertEquals(t0 + 4 * LoopRig.PERIOD_NS, rig.agent.nextDeadlineNs());
        assertEquals(0, rig.agent.doWork(), "no burst of catch-up cycles");
    }

    @Test
    void watchdogBlamesTheStageThatOverran() {
        LoopRig rig = new LoopRig();
        rig.ticks(3);
        assertEquals(0, rig.agent.overruns());
        rig.hardware.readDelayNs = 1_500_000;
        rig.tick();
        assertEquals(1, rig.agent.overruns());
        assertEquals(CycleEpoch.READ, rig.agent.watchdog().lastOverrunEpoch());
        assertEquals(1, rig.agent.watchdog().overrunsIn(CycleEpoch.READ));
        LoopEvent e = new LoopEvent();
        boolean sawOverrun = false;
        while (rig.events.poll(e)) {
            sawOverrun |= e.kind == EventKind.OVERRUN.ordinal() && e.value == CycleEpoch.READ.ordinal();
        }
        assertTrue(sawOverrun, "an overrun event names the READ epoch");
    }

    @Test
    void offeredPolicyIsInstalledOnlyAtTheNextCycle() {
        LoopRig rig = new LoopRig();
        rig.tick();
        InstalledPolicy p = new InstalledPolicy(rig.step, "cd".repeat(32), 3, true, LoopRig.PERIOD_NS);
        rig.agent.offerPolicy(p);
        assertNull(rig.agent.activePolicy());
        rig.tick();
        assertSame(p, rig.agent.activePolicy());
        assertEquals(0, rig.step.resets, "a controller is reset when it takes over the motors, not when installed");
    }

    @Test
    void anOfferWaitsWhileArmedAndIsInstalledOnceDisarmedOrLatchedSafe() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.ticks(2);
        InstalledPolicy first = rig.agent.activePolicy();
        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed());
        InstalledPolicy second = new InstalledPolicy(new FakeStep(), "cd".repeat(32), 8, true, LoopRig.PERIOD_NS);
        rig.agent.offerPolicy(second);
        rig.ticks(5);
        assertTrue(rig.safety.isArmed());
        assertSame(first, rig.agent.activePolicy(), "no swap under an armed robot");
        rig.command(CommandKind.DISARM);
        rig.tick();
        assertSame(second, rig.agent.activePolicy());

        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed());
        InstalledPolicy third = new InstalledPolicy(new FakeStep(), "ef".repeat(32), 9, true, LoopRig.PERIOD_NS);
        rig.agent.offerPolicy(third);
        rig.ticks(3);
        assertSame(second, rig.agent.activePolicy());
        rig.command(CommandKind.ESTOP);
        rig.ticks(2);
        assertEquals(dev.chromatic.runtime.events.SafetyState.SAFE, rig.safety.state());
        assertSame(third, rig.agent.activePolicy(), "a latched robot drives no controller, so the swap may happen");
    }

    @Test
    void refusesPolicyWithAnotherControlPeriodUnlessForced() {
        LoopRig rig = new LoopRig();
        InstalledPolicy p = new InstalledPolicy(rig.step, "cd".repeat(32), 3, true, 10_000_000L);
        assertThrows(IllegalArgumentException.class, () -> rig.agent.offerPolicy(p));
    }

    @Test
    void controllerRunsOnlyWhileArmed() {
        LoopRig rig = new LoopRig().withPolicy(true);
        rig.ticks(5);
        assertEquals(0, rig.step.steps);
        assertEquals(dev.chromatic.hal.MotorCommand.Mode.OFF, rig.hardware.written.mode);
        rig.command(CommandKind.ARM);
        rig.ticks(5);
        assertEquals(5, rig.step.steps);
        assertEquals(dev.chromatic.hal.MotorCommand.Mode.POSITION, rig.hardware.written.mode);
        rig.command(CommandKind.DISARM);
        rig.ticks(2);
        assertEquals(5, rig.step.steps);
    }

    @Test
    void setRateChangesThePeriodAtTheCycleBoundaryOnlyWhenDisarmedAndMatching() {
        LoopRig rig = new LoopRig();
        rig.tick();
        rig.command(CommandKind.SET_RATE, 500, false);
        rig.tick();
        assertEquals(2_000_000L, rig.agent.periodNs());
        rig.command(CommandKind.SET_RATE, 2000, false);
        rig.tick();
        assertEquals(2_000_000L, rig.agent.periodNs());
        rig.command(CommandKind.SET_RATE, 1000, false);
        rig.tick();
        assertEquals(1_000_000L, rig.agent.periodNs());
        rig.armed();
        rig.command(CommandKind.SET_RATE, 200, true);
        rig.tick();
        assertEquals(1_000_000L, rig.agent.periodNs(), "no rate change while armed");
        rig.command(CommandKind.DISARM);
        rig.command(CommandKind.SET_RATE, 200, false);
        rig.tick();
        assertEquals(1_000_000L, rig.agent.periodNs(), "policy trained at 1 kHz: 200 Hz refused unless forced");
        rig.command(CommandKind.SET_RATE, 200, true);
        rig.tick();
        assertEquals(5_000_000L, rig.agent.periodNs());
        LoopEvent e = new LoopEvent();
        int refusedMismatch = 0;
        int forced = 0;
        while (rig.events.poll(e)) {
            if (e.kind == EventKind.RATE_REFUSED.ordinal() && e.reason == Reason.RATE_MISMATCH.ordinal()) {
                refusedMismatch++;
            }
            if (e.kind == EventKind.RATE_CHANGED.ordinal() && e.reason == Reason.RATE_FORCED.ordinal()) {
                forced++;
            }
        }
        assertEquals(1, refusedMismatch);
        assertEquals(1, forced);
    }

    @Test
    void publishesOneTelemetrySamplePerCycleWithTargetsAndReadings() {
        LoopRig rig = new LoopRig().armed();
        TelemetrySample s = new TelemetrySample(16, 16, 8);
        while (rig.telemetry.poll(s)) {
            // drain the start-up cycles
        }
        rig.tick();
        assertTrue(rig.telemetry.poll(s));
        assertEquals(rig.agent.cycles(), s.cycle);
        assertEquals(4, s.observationLength);
        assertEquals(8, s.actionLength);
        assertEquals(rig.hardware.written.positionRad[5], s.motorTargetRad[5]);
    }

    @Test
    void allocatesNothingPerCycleInSteadyState() {
        LoopRig rig = new LoopRig().armed();
        assertSteadyStateAllocatesNothing(rig);
    }

    @Test
    void allocatesNothingPerCycleWithTheMailmanController() throws Exception {
        RobotSpec spec = RobotSpec.minitaur();
        ControllerStack stack = ControllerStacks.create("minitaur-pmtg", spec, LoopRig.PERIOD_NS);
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17,
                new int[] {stack.observationDim(), 41, stack.actionDim()}, Activation.TANH, 3).toBuilder();
        double[][] scaling = ControllerStacks.defaultActionScaling("minitaur-pmtg");
        b.actionScale = scaling[0];
        b.actionOffset = scaling[1];
        b.controlPeriodNs = LoopRig.PERIOD_NS;
        b.robot = "minitaur";
        b.stack = "minitaur-pmtg";
        Policy p = b.build();
        LoopRig rig = new LoopRig();
        rig.agent.offerPolicy(new InstalledPolicy(Controller.of(p, MailmanNetwork.of(p), spec), "ef".repeat(32), 1, true,
                LoopRig.PERIOD_NS));
        rig.ticks(2);
        rig.command(CommandKind.ARM);
        rig.tick();
        assertTrue(rig.safety.isArmed());
        assertSteadyStateAllocatesNothing(rig);
    }

    private static void assertSteadyStateAllocatesNothing(LoopRig rig) {
        TelemetrySample sink = new TelemetrySample(16, 16, 8);
        LoopEvent event = new LoopEvent();
        Runnable cycles = () -> {
            for (int i = 0; i < 20_000; i++) {
                rig.tick();
                if ((i & 1023) == 0) {
                    rig.command(CommandKind.SET_RATE, 1000, false);
                }
                if ((i & 63) == 0) {
                    while (rig.telemetry.poll(sink)) {
                        // the consumer normally lives on another thread; draining here is allocation-free too
                    }
                    while (rig.events.poll(event)) {
                        // ditto
                    }
                }
            }
        };
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            cycles.run();
        }
        long overhead = -mx.getThreadAllocatedBytes(id) + mx.getThreadAllocatedBytes(id);
        // JIT compilation may still allocate once in a while early on; steady state means two
        // consecutive windows of 20,000 cycles without a single byte.
        java.util.List<Long> windows = new java.util.ArrayList<>();
        int zeroInARow = 0;
        while (zeroInARow < 2 && windows.size() < 8) {
            long cyclesBefore = rig.agent.cycles();
            long before = mx.getThreadAllocatedBytes(id);
            cycles.run();
            long bytes = mx.getThreadAllocatedBytes(id) - before - overhead;
            assertEquals(20_000, rig.agent.cycles() - cyclesBefore);
            windows.add(bytes);
            zeroInARow = bytes == 0 ? zeroInARow + 1 : 0;
        }
        assertTrue(rig.safety.isArmed(), "the controller ran armed the whole time: " + rig.safety.reason());
        assertEquals(2, zeroInARow, "bytes allocated per window of 20,000 cycles: " + windows);
    }
}
