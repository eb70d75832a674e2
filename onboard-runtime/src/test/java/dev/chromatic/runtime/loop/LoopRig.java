package dev.chromatic.runtime.loop;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.events.EventRing;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.telemetry.TelemetrySample;

/**
 * The robot's loop, composed by {@link RobotLoop} on the stand-in backend and stepped in lockstep:
 * one {@link #tick()} = one period of fake time + one cycle.
 */
public final class LoopRig {

    public static final long PERIOD_NS = 1_000_000L;

    public final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    public final StandInHardware hardware;
    public final FakeStep step = new FakeStep();
    public final RobotLoop loop;
    public final EventRing events;
    public final CommandMailbox mailbox;
    public final SampleRing<TelemetrySample> telemetry;
    public final SafetySupervisor safety;
    public final ControlAgent agent;
    private final RobotLoop.Lockstep lockstep;
    private long forcedSeq = 1L << 40;

    public LoopRig() {
        this(SafetyLimits.defaults());
    }

    public LoopRig(SafetyLimits limits) {
        this(limits, StandUpSettings.immediate(), SensorFrame.VALID_ALL);
    }

    /** A rig whose stand-in measures only {@code measuredMask} (e.g. no motor angles, like hobby servos). */
    public LoopRig(SafetyLimits limits, StandUpSettings standUp, int measuredMask) {
        hardware = new StandInHardware(RobotSpec.minitaur(), clock, PERIOD_NS, measuredMask);
        loop = RobotLoop.context().hardware(hardware).lockstep(clock).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                .safety(limits).standUp(standUp).telemetry(1024).build();
        events = loop.events();
        mailbox = loop.mailbox();
        telemetry = loop.samples();
        safety = loop.safety();
        agent = loop.agent();
        lockstep = loop.lockstep();
    }

    /** Installs the fake step as a verified (or not) policy. */
    public LoopRig withPolicy(boolean verified) {
        agent.offerPolicy(new InstalledPolicy(step, "ab".repeat(32), 7, verified, PERIOD_NS));
        return this;
    }

    /** Runs exactly one cycle: the fake clock reaches the next deadline, then doWork. */
    public void tick() {
        lockstep.tick();
    }

    public void ticks(int n) {
        lockstep.ticks(n);
    }

    public void command(CommandKind kind) {
        if (!lockstep.command(kind)) {
            throw new AssertionError("mailbox full");
        }
    }

    public void command(CommandKind kind, int argument) {
        if (!lockstep.command(kind, argument)) {
            throw new AssertionError("mailbox full");
        }
    }

    /** Queues a command with the force flag set or not, as a network command could (for refusal tests). */
    public void command(CommandKind kind, int argument, boolean force) {
        if (!mailbox.offer(++forcedSeq, CommandMailbox.op(kind, argument, force))) {
            throw new AssertionError("mailbox full");
        }
    }

    /** Policy installed, sensors fresh, armed. */
    public LoopRig armed() {
        withPolicy(true);
        ticks(2);
        command(CommandKind.ARM);
        tick();
        if (!safety.isArmed()) {
            throw new AssertionError("could not arm: " + safety.state());
        }
        return this;
    }
}
