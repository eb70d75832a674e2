package dev.chromatic.runtime.loop;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.events.EventRing;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.telemetry.TelemetrySample;

/** A control loop on fakes, ticked by hand: one {@link #tick()} = one period of fake time + doWork. */
public final class LoopRig {

    public static final long PERIOD_NS = 1_000_000L;

    public final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    public final FakeHardware hardware = new FakeHardware(clock);
    public final FakeStep step = new FakeStep();
    public final EventRing events = new EventRing(256);
    public final CommandMailbox mailbox = new CommandMailbox(64);
    public final SampleRing<TelemetrySample> telemetry = new SampleRing<>(1024, () -> new TelemetrySample(16, 16, 8));
    public final SafetySupervisor safety;
    public final ControlAgent agent;
    private long seq;

    public LoopRig() {
        this(SafetyLimits.defaults());
    }

    public LoopRig(SafetyLimits limits) {
        safety = new SafetySupervisor(hardware.spec(), limits, PERIOD_NS, events);
        agent = new ControlAgent(clock, hardware, safety, new LoopSettings(PERIOD_NS, 1, 8, false),
                mailbox, telemetry, events);
    }

    /** Installs the fake step as a verified (or not) policy. */
    public LoopRig withPolicy(boolean verified) {
        agent.offerPolicy(new InstalledPolicy(step, "ab".repeat(32), 7, verified, PERIOD_NS));
        return this;
    }

    /** Runs exactly one cycle: the fake clock reaches the next deadline, then doWork. */
    public void tick() {
        if (agent.cycles() > 0 && agent.nextDeadlineNs() - clock.nanoTime() > 0) {
            clock.set(agent.nextDeadlineNs());
        }
        if (agent.doWork() != 1) {
            throw new AssertionError("no cycle ran at its deadline");
        }
    }

    public void ticks(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    public void command(CommandKind kind) {
        command(kind, 0, false);
    }

    public void command(CommandKind kind, int argument, boolean force) {
        if (!mailbox.offer(++seq, CommandMailbox.op(kind, argument, force))) {
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
