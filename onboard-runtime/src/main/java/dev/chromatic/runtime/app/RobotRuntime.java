package dev.chromatic.runtime.app;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.agent.AgentRunner;
import dev.chromatic.runtime.agent.ParkingIdleStrategy;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.loop.ControlAgent;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.mqtt.MqttLink;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.operator.CommandProcessor;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.telemetry.TelemetryAgent;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import dev.chromatic.runtime.telemetry.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The robot's loop ({@link RobotLoop}, composed elsewhere) with what connects it to the world: the
 * MQTT link, the telemetry agent draining the loop's rings, and the command processor screening
 * and verifying operator commands for its mailbox (on its own thread, never the loop's). The loop runs on its own thread ({@link #startLoopThread}) or is stepped by its
 * {@link RobotLoop.Lockstep} (simulation).
 */
public final class RobotRuntime implements AutoCloseable {

    private final Topics topics;
    private final RobotLoop loop;
    private final EventOutbox outbox = new EventOutbox(256);
    private final CommandProcessor commands;
    private final MqttLink link;
    private final TelemetryAgent telemetry;
    private AgentRunner telemetryRunner;
    private AgentRunner commandRunner;

    /**
     * Without operator keys: only {@code estop} is accepted from the network.
     *
     * @param mqtt broker settings, or null to run without MQTT (telemetry is then only counted)
     * @param telemetryBatch samples per telemetry message
     */
    public RobotRuntime(String robotId, RobotLoop loop, MqttSettings mqtt, int telemetryBatch) throws IOException {
        this(robotId, loop, mqtt, telemetryBatch, CommandSettings.estopOnly());
    }

    /** As above, screening commands with {@code commands} (operator keys, counters, caps). */
    public RobotRuntime(String robotId, RobotLoop loop, MqttSettings mqtt, int telemetryBatch, CommandSettings commands)
            throws IOException {
        this.topics = new Topics(robotId);
        this.loop = loop;
        this.commands = new CommandProcessor(robotId, loop.mailbox(), loop.operator(), outbox, NanoClock.system(), commands);
        if (mqtt == null) {
            this.link = null;
            this.telemetry = null;
            return;
        }
        if (loop.samples() == null) {
            throw new IllegalArgumentException("a loop without a telemetry ring cannot publish telemetry");
        }
        int motors = loop.hardware().spec().motorCount();
        this.link = new MqttLink(mqtt, topics.state(),
                TelemetryAgent.offlineJson(robotId).getBytes(StandardCharsets.UTF_8));
        link.setConnectionListener(up -> loop.operator().brokerConnected(up));
        link.subscribe(topics.cmd(), 1, (topic, payload) -> this.commands.onMessage(payload),
                (topic, payload) -> this.commands.onRetained(payload.length));
        this.telemetry = new TelemetryAgent(topics, NanoClock.system(), link, loop.agent(), loop.samples(), loop.events(),
                outbox, loop.settings().telemetryDecimation(), telemetryBatch, 100_000_000L,
                new TelemetrySample(RobotLoop.MAX_VECTOR, RobotLoop.MAX_VECTOR, motors));
    }

    /**
     * Starts the telemetry thread and the command verifier's thread (each parks 1 ms when idle).
     * No-op without MQTT.
     */
    public void startTelemetryThread(Consumer<Throwable> errors) {
        if (telemetry != null && telemetryRunner == null) {
            telemetryRunner = AgentRunner.start(telemetry, new ParkingIdleStrategy(1_000_000L), errors, true);
            commandRunner = AgentRunner.start(commands, new ParkingIdleStrategy(1_000_000L), errors, true);
        }
    }

    /** Starts the loop's real-time thread; see {@link RobotLoop#startRealtime(long, int, int, Consumer)}. */
    public AgentRunner startLoopThread(long spinNs, int fifoPriority, int cpu, Consumer<Throwable> errors) {
        return loop.startRealtime(spinNs, fifoPriority, cpu, errors);
    }

    /** As above, holding the CPUs' wake-up latency while the loop runs; see {@link RobotLoop#startRealtime(long, int, int, int, Consumer)}. */
    public AgentRunner startLoopThread(long spinNs, int fifoPriority, int cpu, int cpuLatencyUs, Consumer<Throwable> errors) {
        return loop.startRealtime(spinNs, fifoPriority, cpu, cpuLatencyUs, errors);
    }

    public RobotLoop loop() {
        return loop;
    }

    public Topics topics() {
        return topics;
    }

    public ControlAgent control() {
        return loop.agent();
    }

    public SafetySupervisor safety() {
        return loop.safety();
    }

    public CommandProcessor commands() {
        return commands;
    }

    public CommandMailbox mailbox() {
        return loop.mailbox();
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

    /** Stops the loop, publishes the offline state, stops telemetry and disconnects. */
    @Override
    public void close() {
        loop.stop();
        if (commandRunner != null) {
            commandRunner.close();
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
