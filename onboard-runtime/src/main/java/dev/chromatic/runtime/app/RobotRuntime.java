package dev.chromatic.runtime.app;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.agent.AgentRunner;
import dev.chromatic.runtime.agent.DeadlineIdleStrategy;
import dev.chromatic.runtime.agent.ParkingIdleStrategy;
import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.agent.ThreadTuning;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.command.CommandProcessor;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.events.EventRing;
import dev.chromatic.runtime.loop.ControlAgent;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.mqtt.MqttLink;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.telemetry.TelemetryAgent;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import dev.chromatic.runtime.telemetry.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The robot's runtime wired together: the control loop and its safety supervisor, the telemetry
 * rings, the command mailbox, and (when a broker is configured) the MQTT link with the telemetry
 * agent and the command subscription. The loop runs either on its own thread ({@link #startLoopThread})
 * or is ticked by the caller (lockstep simulation).
 */
public final class RobotRuntime implements AutoCloseable {

    /** Capacity for the observation and action of any policy in telemetry samples. */
    public static final int MAX_VECTOR = 64;

    private final Topics topics;
    private final Hardware hardware;
    private final NanoClock loopClock;
    private final CommandMailbox mailbox = new CommandMailbox(64);
    private final EventRing events = new EventRing(256);
    private final EventOutbox outbox = new EventOutbox(256);
    private final SampleRing<TelemetrySample> samples;
    private final SafetySupervisor safety;
    private final ControlAgent control;
    private final CommandProcessor commands;
    private final MqttLink link;
    private final TelemetryAgent telemetry;
    private AgentRunner loopRunner;
    private AgentRunner telemetryRunner;
    private volatile ThreadTuning.Result tuning = new ThreadTuning.Result(false, false, "not requested");

    /**
     * @param mqtt broker settings, or null to run without MQTT (telemetry is then only counted)
     * @param telemetryBatch samples per telemetry message
     */
    public RobotRuntime(String robotId, Hardware hardware, NanoClock loopClock, LoopSettings loop, SafetyLimits limits,
                        MqttSettings mqtt, int telemetryBatch) throws IOException {
        this(robotId, hardware, loopClock, loop, limits, mqtt, telemetryBatch, CommandProcessor.DEFAULT_MAX_PER_SECOND);
    }

    /** As above, accepting at most {@code maxCommandsPerSecond} command messages (E-stops always pass). */
    public RobotRuntime(String robotId, Hardware hardware, NanoClock loopClock, LoopSettings loop, SafetyLimits limits,
                        MqttSettings mqtt, int telemetryBatch, int maxCommandsPerSecond) throws IOException {
        this.topics = new Topics(robotId);
        this.hardware = hardware;
        this.loopClock = loopClock;
        int motors = hardware.spec().motorCount();
        this.samples = new SampleRing<>(4096, () -> new TelemetrySample(MAX_VECTOR, MAX_VECTOR, motors));
        this.safety = new SafetySupervisor(hardware.spec(), limits, loop.periodNs(), events);
        this.control = new ControlAgent(loopClock, hardware, safety, loop, mailbox, samples, events);
        this.commands = new CommandProcessor(mailbox, outbox, NanoClock.system(), maxCommandsPerSecond);
        if (mqtt == null) {
            this.link = null;
            this.telemetry = null;
            return;
        }
        this.link = new MqttLink(mqtt, topics.state(),
                TelemetryAgent.offlineJson(robotId).getBytes(StandardCharsets.UTF_8));
        link.subscribe(topics.cmd(), 1, (topic, payload) -> commands.onMessage(payload));
        this.telemetry = new TelemetryAgent(topics, NanoClock.system(), link, control, samples, events, outbox,
                loop.telemetryDecimation(), telemetryBatch, 100_000_000L,
                new TelemetrySample(MAX_VECTOR, MAX_VECTOR, motors));
    }

    /** Starts the telemetry thread (parks 1 ms when idle). No-op without MQTT. */
    public void startTelemetryThread(Consumer<Throwable> errors) {
        if (telemetry != null && telemetryRunner == null) {
            telemetryRunner = AgentRunner.start(telemetry, new ParkingIdleStrategy(1_000_000L), errors, true);
        }
    }

    /**
     * Starts the loop thread: it parks until {@code spinNs} before each deadline, then spins.
     * Use with a real clock only.
     */
    public AgentRunner startLoopThread(long spinNs, Consumer<Throwable> errors) {
        return startLoopThread(spinNs, 0, -1, errors);
    }

    /**
     * Starts the loop thread with SCHED_FIFO priority {@code fifoPriority} (0: normal scheduling) pinned
     * to {@code cpu} (-1: any); see {@link #threadTuning()} for what the OS allowed.
     */
    public AgentRunner startLoopThread(long spinNs, int fifoPriority, int cpu, Consumer<Throwable> errors) {
        if (loopRunner == null) {
            java.util.concurrent.CountDownLatch tuned = new java.util.concurrent.CountDownLatch(1);
            loopRunner = AgentRunner.start(control, new DeadlineIdleStrategy(loopClock, control, spinNs), errors, false,
                    () -> {
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
        }
        return loopRunner;
    }

    /** What {@link #startLoopThread(long, int, int, Consumer)} could apply. */
    public ThreadTuning.Result threadTuning() {
        return tuning;
    }

    /** The loop thread's runner, or null when the caller ticks the loop. */
    public AgentRunner loopRunner() {
        return loopRunner;
    }

    public Topics topics() {
        return topics;
    }

    public ControlAgent control() {
        return control;
    }

    public SafetySupervisor safety() {
        return safety;
    }

    public CommandProcessor commands() {
        return commands;
    }

    public CommandMailbox mailbox() {
        return mailbox;
    }

    public EventOutbox outbox() {
        return outbox;
    }

    /** The MQTT link, or null without a broker (e.g. to add the {@code policy} subscription). */
    public MqttLink link() {
        return link;
    }

    /** The telemetry agent, or null without a broker. */
    public TelemetryAgent telemetry() {
        return telemetry;
    }

    public SampleRing<TelemetrySample> samples() {
        return samples;
    }

    /** Stops the loop, publishes the offline state, stops telemetry and disconnects. */
    @Override
    public void close() {
        if (loopRunner != null) {
            loopRunner.close();
        }
        if (telemetryRunner != null) {
            telemetryRunner.close();
        }
        if (telemetry != null) {
            for (int i = 0; i < 5; i++) {
                telemetry.doWork();
            }
            telemetry.publishOffline();
        }
        if (link != null) {
            link.close();
        }
    }
}
