package dev.chromatic.runtime.loop;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.agent.AgentRunner;
import dev.chromatic.runtime.agent.CpuLatencyRequest;
import dev.chromatic.runtime.agent.DeadlineIdleStrategy;
import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.agent.ThreadTuning;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.command.OperatorLink;
import dev.chromatic.runtime.events.EventRing;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The robot's control loop, composed in one place: hardware, the armed behaviour (stand-up, settle
 * gate, policy), the safety supervisor, the rate limit, the command mailbox, the event ring and
 * the telemetry ring around one {@link ControlAgent}. Built by {@link Context#build()}, which
 * checks the whole composition once and names what is wrong.
 *
 * <p>The same object is driven two ways: by a real-time runner on its own thread against the
 * system clock ({@link #startRealtime}, the robot), or in lockstep by {@link Lockstep}, one thread
 * stepping the loop and a simulating backend together (training rollouts, eval, render, run, the
 * benchmarks). Nothing else constructs a loop.
 */
public final class RobotLoop {

    /** Capacity for the observation and action of any policy in telemetry samples. */
    public static final int MAX_VECTOR = 64;

    private final Hardware hardware;
    private final NanoClock clock;
    private final ManualNanoClock lockstepClock;
    private final SafetySupervisor safety;
    private final StandUpBehaviour standUp;
    private final CommandMailbox mailbox;
    private final OperatorLink operator = new OperatorLink();
    private final EventRing events;
    private final SampleRing<TelemetrySample> samples;
    private final ControlAgent agent;
    private final LoopSettings settings;
    private Lockstep lockstep;
    private AgentRunner runner;
    private volatile CpuLatencyRequest cpuLatency = CpuLatencyRequest.none();
    private volatile ThreadTuning.Result tuning = new ThreadTuning.Result(false, false, "not requested");

    private RobotLoop(Context c, SafetyLimits limits, double[] startPose) {
        this.hardware = c.hardware;
        this.settings = c.settings;
        this.lockstepClock = c.lockstepClock;
        this.clock = c.lockstep ? lockstepClock : c.clock;
        this.mailbox = new CommandMailbox(c.mailboxCapacity);
        this.events = new EventRing(c.eventCapacity);
        int motors = hardware.spec().motorCount();
        this.samples = c.telemetryCapacity == 0 ? null
                : new SampleRing<>(c.telemetryCapacity, () -> new TelemetrySample(MAX_VECTOR, MAX_VECTOR, motors));
        this.safety = new SafetySupervisor(hardware.spec(), limits, settings.periodNs(), events);
        boolean measuresAngles = (hardware.measuredMask() & SensorFrame.VALID_MOTOR_ANGLES) != 0;
        this.standUp = new StandUpBehaviour(hardware.spec(), c.standUp, settings.periodNs(), measuresAngles, startPose,
                events);
        this.safety.requireLocalReset(c.localReset);
        this.agent = new ControlAgent(clock, hardware, safety, standUp, settings, mailbox, operator, c.linkTimeoutNs,
                samples, events);
        if (c.policy != null) {
            agent.offerPolicy(c.policy);
        }
    }

    /** A new composition; {@link Context#build()} checks it. */
    public static Context context() {
        return new Context();
    }

    /** What the loop is made of. Setters return the context; {@link #build()} checks everything once. */
    public static final class Context {
        private Hardware hardware;
        private NanoClock clock;
        private boolean lockstep;
        private ManualNanoClock lockstepClock;
        private LoopSettings settings;
        private SafetyLimits limits = SafetyLimits.defaults();
        private StandUpSettings standUp = StandUpSettings.defaults();
        private double[] startPoseRad;
        private int telemetryCapacity;
        private int eventCapacity = 256;
        private int mailboxCapacity = 64;
        private InstalledPolicy policy;
        private long linkTimeoutNs;
        private boolean localReset;

        private Context() {
        }

        /** The backend the loop reads and writes (required). */
        public Context hardware(Hardware hardware) {
            this.hardware = hardware;
            return this;
        }

        /** Real time: the loop runs against this clock on a runner thread. */
        public Context clock(NanoClock clock) {
            this.clock = clock;
            this.lockstep = false;
            this.lockstepClock = null;
            return this;
        }

        /** Lockstep: the loop gets a manual clock that {@link Lockstep} advances one period per tick. */
        public Context lockstep() {
            return lockstep(new ManualNanoClock(1_000_000_000L));
        }

        /** Lockstep on the given manual clock (a stand-in backend may share it for its timestamps). */
        public Context lockstep(ManualNanoClock clock) {
            this.lockstep = true;
            this.lockstepClock = clock;
            this.clock = null;
            return this;
        }

        /** Rate, telemetry decimation, commands per cycle (required). */
        public Context settings(LoopSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * Safety thresholds. Their required validity bits are narrowed to what the hardware measures,
         * except the attitude and rates, without which no fall can be judged.
         */
        public Context safety(SafetyLimits limits) {
            this.limits = limits;
            return this;
        }

        public Context standUp(StandUpSettings standUp) {
            this.standUp = standUp;
            return this;
        }

        /**
         * Where the stand-up starts on hardware without motor encoders (default: the spec's resting
         * pose, legs folded). Hardware with encoders starts from the measured angles.
         */
        public Context startPose(double[] startPoseRad) {
            this.startPoseRad = startPoseRad == null ? null : startPoseRad.clone();
            return this;
        }

        /** Telemetry ring slots (a power of two; 0: no telemetry samples, e.g. training rollouts). */
        public Context telemetry(int capacity) {
            this.telemetryCapacity = capacity;
            return this;
        }

        public Context events(int capacity) {
            this.eventCapacity = capacity;
            return this;
        }

        /** The controller installed at the first cycle (optional; more may be offered later). */
        public Context policy(InstalledPolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * Operator link timeout (0, the default: off): while armed, no authenticated operator message
         * for this long, or a lost broker connection, latches {@code link_lost}.
         */
        public Context linkTimeout(long timeoutNs) {
            this.linkTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * Whether clearing a latched safe state also needs the local reset input (pressed after the
         * latch) besides the reset command; default false.
         */
        public Context localReset(boolean required) {
            this.localReset = required;
            return this;
        }

        /**
         * Checks the composition and builds the loop.
         *
         * @throws IllegalArgumentException naming the missing or inconsistent part
         */
        public RobotLoop build() {
            if (hardware == null) {
                throw new IllegalArgumentException("loop: no hardware");
            }
            if (settings == null) {
                throw new IllegalArgumentException("loop: no loop settings (rate)");
            }
            if (!lockstep && clock == null) {
                throw new IllegalArgumentException("loop: neither a clock (real time) nor lockstep");
            }
            if (telemetryCapacity != 0 && (telemetryCapacity < 2 || Integer.bitCount(telemetryCapacity) != 1)) {
                throw new IllegalArgumentException("loop: telemetry capacity must be 0 or a power of two >= 2, was "
                        + telemetryCapacity);
            }
            if (linkTimeoutNs < 0) {
                throw new IllegalArgumentException("loop: link timeout must be >= 0 (0: off), was " + linkTimeoutNs + " ns");
            }
            if (linkTimeoutNs > 0 && linkTimeoutNs < 2 * settings.periodNs()) {
                throw new IllegalArgumentException("loop: link timeout " + linkTimeoutNs + " ns is shorter than two control periods");
            }
            RobotSpec spec = hardware.spec();
            int measured = hardware.measuredMask();
            int essential = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES;
            if ((measured & essential) != essential) {
                throw new IllegalArgumentException("hardware measures no body attitude and rates (measured mask "
                        + measured + "): the safety supervisor could not tell a fall");
            }
            int required = limits.requiredValidMask() | essential;
            boolean asked = limits.requiredValidMask() != SafetyLimits.defaults().requiredValidMask();
            if (asked && (required & ~measured) != 0) {
                throw new IllegalArgumentException("safety requires sensor bits " + (required & ~measured)
                        + " that the hardware never measures (measured mask " + measured + ")");
            }
            SafetyLimits effective = limits.withRequiredValidMask(required & measured);
            double[] start = startPoseRad;
            if (start == null) {
                start = new double[spec.motorCount()];
                spec.restingPose(start);
            }
            if (start.length != spec.motorCount()) {
                throw new IllegalArgumentException("stand-up start pose has " + start.length + " angles, the robot has "
                        + spec.motorCount() + " motors");
            }
            for (int m = 0; m < start.length; m++) {
                if (!Double.isFinite(start[m]) || spec.clampPosition(m, start[m]) != start[m]) {
                    throw new IllegalArgumentException("stand-up start pose: motor " + spec.motorName(m) + " angle "
                            + start[m] + " rad is outside its limits");
                }
            }
            if (policy != null && !settings.forceRate() && !LoopSettings.samePeriod(policy.controlPeriodNs(), settings.periodNs())) {
                throw new IllegalArgumentException("policy control period " + policy.controlPeriodNs()
                        + " ns differs from the loop period " + settings.periodNs() + " ns");
            }
            return new RobotLoop(this, effective, start);
        }
    }

    /**
     * Starts the loop on its own thread: it parks until {@code spinNs} before each deadline, then
     * spins; SCHED_FIFO priority {@code fifoPriority} (0: normal scheduling) pinned to {@code cpu}
     * (-1: any); no CPU wake-up latency requested. Anything escaping a cycle latches
     * {@code controller_fault} and is handed to {@code errors}. Real-time loops only.
     */
    public AgentRunner startRealtime(long spinNs, int fifoPriority, int cpu, Consumer<Throwable> errors) {
        return startRealtime(spinNs, fifoPriority, cpu, -1, errors);
    }

    /**
     * As {@link #startRealtime(long, int, int, Consumer)}, and while the loop runs the CPUs are asked
     * to wake within {@code cpuLatencyUs} microseconds ({@link CpuLatencyRequest}; negative: not
     * asked). The request ends when the loop {@linkplain #stop() stops}.
     */
    public AgentRunner startRealtime(long spinNs, int fifoPriority, int cpu, int cpuLatencyUs, Consumer<Throwable> errors) {
        if (lockstepClock != null) {
            throw new IllegalStateException("a lockstep loop is driven by its Lockstep, not a thread");
        }
        if (runner != null) {
            return runner;
        }
        cpuLatency = CpuLatencyRequest.hold(cpuLatencyUs);
        CountDownLatch tuned = new CountDownLatch(1);
        runner = AgentRunner.start(agent, new DeadlineIdleStrategy(clock, agent, spinNs), t -> {
            agent.uncaught();
            errors.accept(t);
        }, false, () -> {
            if (fifoPriority > 0 || cpu >= 0) {
                tuning = ThreadTuning.applyToCurrentThread(fifoPriority, cpu);
            }
            tuned.countDown();
        });
        try {
            tuned.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return runner;
    }

    /** The lockstep driver of this loop (built with {@link Context#lockstep()}). */
    public Lockstep lockstep() {
        if (lockstepClock == null) {
            throw new IllegalStateException("this loop runs in real time; build it with lockstep() to step it");
        }
        if (lockstep == null) {
            lockstep = new Lockstep(this);
        }
        return lockstep;
    }

    /** What {@link #startRealtime} could apply. */
    public ThreadTuning.Result threadTuning() {
        return tuning;
    }

    /** The real-time runner, or null (lockstep, or not started). */
    public AgentRunner runner() {
        return runner;
    }

    /** What {@link #startRealtime} could request of the CPUs' idle states. */
    public CpuLatencyRequest cpuLatency() {
        return cpuLatency;
    }

    /** Stops the real-time runner, if any, and ends its CPU wake-up latency request. */
    public void stop() {
        if (runner != null) {
            runner.close();
        }
        cpuLatency.close();
    }

    public ControlAgent agent() {
        return agent;
    }

    public SafetySupervisor safety() {
        return safety;
    }

    public StandUpBehaviour standUp() {
        return standUp;
    }

    public CommandMailbox mailbox() {
        return mailbox;
    }

    /** What the loop knows of the operator's link (authenticated messages, broker connection). */
    public OperatorLink operator() {
        return operator;
    }

    public EventRing events() {
        return events;
    }

    /** The telemetry ring, or null when built without one. */
    public SampleRing<TelemetrySample> samples() {
        return samples;
    }

    public Hardware hardware() {
        return hardware;
    }

    public NanoClock clock() {
        return clock;
    }

    public LoopSettings settings() {
        return settings;
    }

    /** Offers a controller for the next cycle boundary (any thread); see {@link ControlAgent#offerPolicy}. */
    public void offerPolicy(InstalledPolicy policy) {
        agent.offerPolicy(policy);
    }

    /**
     * One thread steps the loop and a simulating backend together: each {@link #tick()} moves the
     * loop's clock to the next deadline and runs one cycle, whose {@code write} advances the
     * simulator one control period. Commands go straight into the mailbox.
     */
    public static final class Lockstep {
        private final RobotLoop loop;
        private long commandSeq;

        private Lockstep(RobotLoop loop) {
            this.loop = loop;
        }

        /** Runs exactly one cycle at its deadline (at once when a slow cycle already passed it). */
        public void tick() {
            ControlAgent a = loop.agent;
            if (a.cycles() > 0 && a.nextDeadlineNs() - loop.lockstepClock.nanoTime() > 0) {
                loop.lockstepClock.set(a.nextDeadlineNs());
            }
            if (a.doWork() != 1) {
                throw new IllegalStateException("no cycle ran at its deadline");
            }
        }

        public void ticks(int n) {
            for (int i = 0; i < n; i++) {
                tick();
            }
        }

        /** Queues a command for the next cycle; false when the mailbox is full. */
        public boolean command(CommandKind kind) {
            return command(kind, 0);
        }

        public boolean command(CommandKind kind, int argument) {
            if (kind == CommandKind.RESET) {
                argument = (int) loop.mailbox.estopRequests();
            }
            return loop.mailbox.offer(++commandSeq, CommandMailbox.op(kind, argument, false));
        }

        /** The loop's clock (simulated time). */
        public ManualNanoClock clock() {
            return loop.lockstepClock;
        }

        public RobotLoop loop() {
            return loop;
        }
    }
}
