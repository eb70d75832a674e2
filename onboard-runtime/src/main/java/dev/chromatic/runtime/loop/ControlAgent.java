package dev.chromatic.runtime.loop;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.agent.Agent;
import dev.chromatic.runtime.agent.DeadlineSource;
import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.command.OperatorLink;
import dev.chromatic.runtime.events.CycleEpoch;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.EventSink;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.telemetry.RuntimeStatus;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The fixed-rate control loop. Each cycle, at absolute deadlines {@code d(k+1) = d(k) + period}
 * (no drift; deadlines already passed by a whole period are skipped and counted as missed):
 * apply queued commands, install an offered policy, read the HAL, let the armed behaviour drive
 * (stand-up, settle gate, then the policy: {@link StandUpBehaviour}), let the safety supervisor
 * judge and clamp, write the HAL, and publish a telemetry sample every n-th cycle to a ring that
 * never blocks. An exception from the controller or the hardware latches the safe state
 * ({@code controller_fault}, {@code hardware_fault}); the loop keeps its rate. While armed with a
 * link timeout set, an operator link that stays silent longer than the timeout, or a lost broker
 * connection, latches {@code link_lost}. An E-stop request (any thread, {@link CommandMailbox#requestEstop})
 * latches at the start of the next cycle, ahead of every queued command.
 *
 * <p>Built only by {@link RobotLoop} (an architecture test holds this).
 *
 * <p>Runs on one thread; {@link #doWork()} never allocates, blocks, logs or throws in steady state.
 * Other threads meet it only through {@link #offerPolicy} (an atomic reference taken at a cycle
 * boundary), the {@link CommandMailbox}, the telemetry and event rings, and the volatile counters.
 */
public final class ControlAgent implements Agent, DeadlineSource, RuntimeStatus {

    private static final long MAX_RECORDED_LATENESS_NS = 10_000_000_000L;

    private final NanoClock clock;
    private final Hardware hardware;
    private final SafetySupervisor safety;
    private final StandUpBehaviour standUp;
    private final Watchdog watchdog;
    private final CommandMailbox mailbox;
    private final OperatorLink operator;
    private final long linkTimeoutNs;
    private final SampleRing<TelemetrySample> telemetry;
    private final EventSink events;
    private final int telemetryDecimation;
    private final int commandsPerCycle;
    private final boolean forceRate;
    private final SensorFrame frame;
    private final MotorCommand command;
    private final AtomicReference<InstalledPolicy> offered = new AtomicReference<>();
    private final AtomicReference<InstalledPolicy> active = new AtomicReference<>();
    private final SingleWriterRecorder lateness = new SingleWriterRecorder(1, MAX_RECORDED_LATENESS_NS, 3);

    private volatile long periodNs;
    private volatile long nextDeadlineNs;
    private volatile long cycles;
    private volatile long missed;
    private volatile long lastAppliedSequence;
    private volatile long policyInstalls;
    private boolean started;
    private int decimationCountdown;
    private long estopsApplied;
    /** An arm request waiting for a fresh sensor frame (sequence, -1: none) and its last cycle. */
    private long pendingArmSeq = -1;
    private long pendingArmLastCycle;
    private long pendingArmFirstCycle;
    private long pendingRestLastCycle;
    private long lastContacts;
    private long lastContactNs;

    ControlAgent(NanoClock clock, Hardware hardware, SafetySupervisor safety, StandUpBehaviour standUp,
                 LoopSettings settings, CommandMailbox mailbox, OperatorLink operator, long linkTimeoutNs,
                 SampleRing<TelemetrySample> telemetry, EventSink events) {
        this.clock = clock;
        this.hardware = hardware;
        this.safety = safety;
        this.standUp = standUp;
        this.mailbox = mailbox;
        this.operator = operator;
        this.linkTimeoutNs = linkTimeoutNs;
        this.estopsApplied = mailbox.estopRequests();
        this.telemetry = telemetry;
        this.events = events;
        this.periodNs = settings.periodNs();
        this.telemetryDecimation = settings.telemetryDecimation();
        this.commandsPerCycle = settings.commandsPerCycle();
        this.forceRate = settings.forceRate();
        this.watchdog = new Watchdog(clock, settings.periodNs());
        int motors = hardware.spec().motorCount();
        this.frame = new SensorFrame(motors);
        this.command = new MotorCommand(motors);
        safety.setPeriodNs(settings.periodNs());
    }

    @Override
    public String roleName() {
        return "control";
    }

    /**
     * Any thread: offers a controller to be installed at the next cycle boundary at which the robot
     * is not armed (a newer offer replaces one not yet taken); while armed the offer waits. Refused when its control period differs from the loop's and the
     * rate was not forced.
     */
    public void offerPolicy(InstalledPolicy policy) {
        if (!forceRate && !LoopSettings.samePeriod(policy.controlPeriodNs(), periodNs)) {
            throw new IllegalArgumentException("policy control period " + policy.controlPeriodNs()
                    + " ns differs from the loop period " + periodNs + " ns (force the rate to accept)");
        }
        offered.set(policy);
    }

    @Override
    public long nextDeadlineNs() {
        return nextDeadlineNs;
    }

    @Override
    public int doWork() {
        long nowNs = clock.nanoTime();
        if (!started) {
            started = true;
            nextDeadlineNs = nowNs;
        }
        long deadlineNs = nextDeadlineNs;
        long latenessNs = nowNs - deadlineNs;
        if (latenessNs < 0) {
            return 0;
        }
        lateness.recordValue(Math.min(latenessNs, MAX_RECORDED_LATENESS_NS));
        long period = periodNs;
        if (latenessNs >= period) {
            long skipped = latenessNs / period;
            missed = missed + skipped;
            deadlineNs += skipped * period;
        }
        runCycle(nowNs, deadlineNs, latenessNs);
        nextDeadlineNs = deadlineNs + periodNs;
        return 1;
    }

    private void runCycle(long nowNs, long deadlineNs, long latenessNs) {
        long cycle = cycles + 1;
        cycles = cycle;
        watchdog.startCycle(deadlineNs, nowNs);
        applyCommands(nowNs, cycle);
        checkOperatorLink(nowNs, cycle);
        installOfferedPolicy(nowNs, cycle);
        watchdog.mark(CycleEpoch.COMMANDS);

        try {
            hardware.read(frame);
        } catch (RuntimeException e) {
            frame.validMask = 0;
            safety.fault(Reason.HARDWARE_FAULT, nowNs, cycle);
        }
        safety.checkSensors(frame, nowNs, cycle);
        standUp.observe(frame);
        if (pendingArmSeq >= 0) {
            // judged on a fresh frame once the body is at rest or the rest wait is over; a run of
            // held frames longer than the supervisor's tolerance (counted from the last fresh one,
            // so a jittery link waiting for rest is not refused for an old gap) is judged stale
            boolean fresh = safety.sensorsFresh();
            if (fresh) {
                // bad_sensor_cycles - 1 held frames in a row are tolerated (as while armed); the next one is stale
                pendingArmLastCycle = cycle + safety.limits().badSensorCycles();
            }
            if (fresh && (standUp.atRest() || cycle >= pendingRestLastCycle) || !fresh && cycle >= pendingArmLastCycle) {
                arm(pendingArmSeq, nowNs, cycle);
            }
        }
        watchdog.mark(CycleEpoch.READ);

        InstalledPolicy p = active.get();
        double[] action = null;
        if (p != null && safety.isArmed()) {
            try {
                action = standUp.step(frame, p.step(), command, nowNs, cycle);
                if (standUp.failed()) {
                    safety.fault(Reason.STAND_UP_FAILED, nowNs, cycle);
                }
            } catch (RuntimeException e) {
                safety.fault(Reason.CONTROLLER_FAULT, nowNs, cycle);
            }
        }
        watchdog.mark(CycleEpoch.INFER);

        safety.filter(action, command, watchdog.consecutiveOverruns(), nowNs, cycle);
        if (!safety.isArmed()) {
            standUp.stop();
        }
        command.sequence = cycle;
        watchdog.mark(CycleEpoch.SAFETY);

        try {
            hardware.write(command);
        } catch (RuntimeException e) {
            safety.fault(Reason.HARDWARE_FAULT, nowNs, cycle);
        }
        watchdog.mark(CycleEpoch.WRITE);
        if (watchdog.endCycle()) {
            events.event(EventKind.OVERRUN, Reason.NONE, nowNs, cycle, watchdog.lastOverrunEpoch().ordinal());
        }
        publishTelemetry(p, nowNs, latenessNs, cycle);
    }

    private void applyCommands(long nowNs, long cycle) {
        long estops = mailbox.estopRequests();
        if (estops != estopsApplied) {
            estopsApplied = estops;
            safety.estop(nowNs, cycle);
        }
        for (int i = 0; i < commandsPerCycle; i++) {
            long seq = mailbox.peekSequence();
            if (seq < 0) {
                return;
            }
            long op = mailbox.pollOp();
            apply(CommandMailbox.kindOf(op), CommandMailbox.argumentOf(op), CommandMailbox.forceOf(op), seq, nowNs, cycle);
            lastAppliedSequence = seq;
        }
    }

    private void apply(CommandKind kind, int argument, boolean force, long seq, long nowNs, long cycle) {
        switch (kind) {
            case ARM -> {
                settlePendingArm(nowNs, cycle);
                pendingArmFirstCycle = cycle;
                if (safety.sensorsFresh() && standUp.atRest()) {
                    arm(seq, nowNs, cycle);
                } else {
                    // the newest frame is a held or invalid one: judge the arm on the next fresh
                    // frame, after a read, so that a link holding a frame for a cycle or two (jitter
                    // within the supervisor's bad_sensor_cycles tolerance) delays the verdict by
                    // that much instead of refusing it; never arm on a stale frame. And a body still
                    // moving (a limp robot tipping after power-up) is judged once it has come to
                    // rest, or when the rest gate's bounded wait has passed
                    pendingArmSeq = seq;
                    pendingArmLastCycle = cycle + Math.max(0, safety.limits().badSensorCycles() - 1);
                    pendingRestLastCycle = cycle + standUp.maxRestCycles();
                }
            }
            case DISARM -> {
                settlePendingArm(nowNs, cycle);
                safety.disarm(nowNs, cycle, seq);
            }
            case ESTOP -> {
                settlePendingArm(nowNs, cycle);
                safety.estop(nowNs, cycle);
            }
            case RESET -> {
                settlePendingArm(nowNs, cycle);
                // the argument is the E-stop count when the reset arrived: a reset overtaken by an
                // E-stop (verified after it) must not clear that E-stop
                if (argument != (int) estopsApplied) {
                    events.event(EventKind.RESET_REFUSED, Reason.ESTOP_COMMAND, nowNs, cycle, seq);
                } else {
                    safety.reset(nowNs, cycle, seq);
                }
            }
            case SET_RATE -> setRate(argument, force, seq, nowNs, cycle);
            default -> { }
        }
    }

    /** A later command keeps its order: a pending arm is judged now, before it. */
    private void settlePendingArm(long nowNs, long cycle) {
        if (pendingArmSeq >= 0) {
            arm(pendingArmSeq, nowNs, cycle);
        }
    }

    private void arm(long seq, long nowNs, long cycle) {
        pendingArmSeq = -1;
        standUp.restWaited(cycle - pendingArmFirstCycle);
        InstalledPolicy p = active.get();
        if (safety.requestArm(p != null, p != null && p.verified(), nowNs, cycle, seq, standUp.startPose(frame))) {
            standUp.begin();
            lastContacts = operator.contacts();
            lastContactNs = nowNs;
        }
    }

    /**
     * Link loss while armed: the count of authenticated operator messages must move at least every
     * {@code linkTimeoutNs}, and the broker must stay connected.
     */
    private void checkOperatorLink(long nowNs, long cycle) {
        long contacts = operator.contacts();
        if (contacts != lastContacts) {
            lastContacts = contacts;
            lastContactNs = nowNs;
        }
        if (linkTimeoutNs > 0 && safety.isArmed()
                && (!operator.isBrokerConnected() || nowNs - lastContactNs > linkTimeoutNs)) {
            safety.fault(Reason.LINK_LOST, nowNs, cycle);
        }
    }

    private void setRate(int hz, boolean force, long seq, long nowNs, long cycle) {
        if (hz < 50 || hz > 1000) {
            events.event(EventKind.RATE_REFUSED, Reason.RATE_OUT_OF_RANGE, nowNs, cycle, hz);
            return;
        }
        if (safety.isArmed()) {
            events.event(EventKind.RATE_REFUSED, Reason.NOT_DISARMED, nowNs, cycle, hz);
            return;
        }
        long newPeriodNs = LoopSettings.periodOfHz(hz);
        InstalledPolicy p = active.get();
        boolean mismatch = p != null && !LoopSettings.samePeriod(newPeriodNs, p.controlPeriodNs());
        if (mismatch && !force && !forceRate) {
            events.event(EventKind.RATE_REFUSED, Reason.RATE_MISMATCH, nowNs, cycle, hz);
            return;
        }
        periodNs = newPeriodNs;
        watchdog.setBudgetNs(newPeriodNs);
        safety.setPeriodNs(newPeriodNs);
        standUp.setPeriodNs(newPeriodNs);
        events.event(EventKind.RATE_CHANGED, mismatch ? Reason.RATE_FORCED : Reason.NONE, nowNs, cycle, hz);
    }

    private void installOfferedPolicy(long nowNs, long cycle) {
        if (safety.isArmed()) {
            // never swap the controller under a robot that is standing up or walking: the offer
            // waits (a newer one replaces it) until the robot is disarmed or latched safe
            return;
        }
        InstalledPolicy p = offered.getAndSet(null);
        if (p == null) {
            return;
        }
        if (!forceRate && !LoopSettings.samePeriod(p.controlPeriodNs(), periodNs)) {
            events.event(EventKind.RATE_REFUSED, Reason.RATE_MISMATCH, nowNs, cycle, p.policyVersion());
            return;
        }
        active.set(p);
        policyInstalls = policyInstalls + 1;
        events.event(EventKind.POLICY_INSTALLED, Reason.NONE, nowNs, cycle, p.policyVersion());
    }

    private void publishTelemetry(InstalledPolicy p, long nowNs, long latenessNs, long cycle) {
        if (telemetry == null || --decimationCountdown > 0) {
            return;
        }
        decimationCountdown = telemetryDecimation;
        TelemetrySample s = telemetry.claim();
        s.cycle = cycle;
        s.timeNs = nowNs;
        s.latenessNs = latenessNs;
        s.cycleNs = watchdog.lastCycleNs();
        s.state = safety.state().ordinal();
        s.reason = safety.reason().ordinal();
        s.phase = standUp.phase().ordinal();
        s.rollRad = frame.rollRad;
        s.pitchRad = frame.pitchRad;
        s.rollRateRadS = frame.rollRateRadPerS;
        s.pitchRateRadS = frame.pitchRateRadPerS;
        s.setObservation(p == null ? null : p.step().observation());
        s.setAction(p == null ? null : p.step().action());
        System.arraycopy(command.positionRad, 0, s.motorTargetRad, 0, Math.min(command.motorCount, s.motorTargetRad.length));
        System.arraycopy(frame.motorAngleRad, 0, s.motorAngleRad, 0, Math.min(frame.motorCount, s.motorAngleRad.length));
        telemetry.commit();
    }

    /**
     * Loop thread, from the runner's error handler: something escaped a cycle outside the guarded
     * controller and hardware calls. Latches {@code controller_fault}; the next cycles write the
     * damping posture.
     */
    void uncaught() {
        safety.fault(Reason.CONTROLLER_FAULT, clock.nanoTime(), cycles);
    }

    /** The installed policy, or null (any thread). */
    public InstalledPolicy activePolicy() {
        return active.get();
    }

    public SafetySupervisor safety() {
        return safety;
    }

    public StandUpBehaviour standUp() {
        return standUp;
    }

    /** Loop-thread view of the watchdog; other threads read its counters as snapshots. */
    public Watchdog watchdog() {
        return watchdog;
    }

    /** Wake-up lateness in ns; other threads take interval histograms from it. */
    public SingleWriterRecorder latenessRecorder() {
        return lateness;
    }

    /** An arm request waits for fresh sensors or for the body to come to rest (loop thread only). */
    public boolean armPending() {
        return pendingArmSeq >= 0;
    }

    /** The frame read in the last cycle (loop thread only; tests and lockstep tools). */
    public SensorFrame lastFrame() {
        return frame;
    }

    /** The command written in the last cycle (loop thread only; tests and lockstep tools). */
    public MotorCommand lastCommand() {
        return command;
    }

    @Override
    public SafetyState safetyState() {
        return safety.state();
    }

    @Override
    public Phase phase() {
        return standUp.phase();
    }

    @Override
    public Reason safetyReason() {
        return safety.reason();
    }

    @Override
    public String policySha256() {
        InstalledPolicy p = active.get();
        return p == null ? null : p.sha256Hex();
    }

    @Override
    public long policyVersion() {
        InstalledPolicy p = active.get();
        return p == null ? 0 : p.policyVersion();
    }

    @Override
    public long periodNs() {
        return periodNs;
    }

    @Override
    public long cycles() {
        return cycles;
    }

    @Override
    public long missedPeriods() {
        return missed;
    }

    @Override
    public long overruns() {
        return watchdog.overruns();
    }

    @Override
    public long lastAppliedSequence() {
        return lastAppliedSequence;
    }

    public long policyInstalls() {
        return policyInstalls;
    }
}
