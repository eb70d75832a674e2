package dev.chromatic.tools.watch;

import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.mcap.Compression;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Subscribes to one robot's telemetry batches, decodes them and feeds the running figures, an
 * optional recording (CSV, or MCAP when the file name ends in {@code .mcap}: then the state and
 * events topics are recorded too) and an optional trace plot, until a deadline or a stop signal.
 * Used by {@code chromatic telemetry} and by the demo.
 */
public final class TelemetryWatch {

    private final String broker;
    private final String robot;
    private final Path record;
    private final Path plot;
    private final BlockingQueue<Incoming> inbox = new LinkedBlockingQueue<>(10_000);
    private final TelemetryStats stats = new TelemetryStats();
    private BrokerOptions brokerOptions = BrokerOptions.none();
    private Compression compression = Compression.NONE;
    private long recordedMessages;
    private long recordedSamples;
    private final java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);

    private record Incoming(String topic, byte[] payload, long receivedNs) {
    }

    /** True when {@code file} is recorded as MCAP (its name ends in {@code .mcap}, any case); CSV otherwise. */
    public static boolean isMcap(Path file) {
        return file != null && file.getFileName() != null
                && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".mcap");
    }

    /** Chunk compression of an MCAP recording (default none). */
    public TelemetryWatch compression(Compression c) {
        this.compression = c == null ? Compression.NONE : c;
        return this;
    }

    /**
     * Waits until {@link #run} has its subscriptions acknowledged by the broker (from then on nothing
     * the robot publishes is missed); false when that did not happen within the timeout.
     */
    public boolean awaitSubscribed(long timeout, TimeUnit unit) throws InterruptedException {
        return subscribed.await(timeout, unit);
    }

    /** Messages written to the recording (CSV: rows; MCAP: messages on all channels). */
    public long recordedMessages() {
        return recordedMessages;
    }

    /** Telemetry samples written to the recording. */
    public long recordedSamples() {
        return recordedSamples;
    }

    /** {@code record} and {@code plot} may be null (not written). */
    public TelemetryWatch(String broker, String robot, Path record, Path plot) {
        this.broker = broker;
        this.robot = robot;
        this.record = record;
        this.plot = plot;
    }

    /** Credentials and TLS material for the broker (default: none). */
    public TelemetryWatch brokerOptions(BrokerOptions options) {
        this.brokerOptions = options == null ? BrokerOptions.none() : options;
        return this;
    }

    /** The figures so far; read them after {@link #run} returns. */
    public TelemetryStats stats() {
        return stats;
    }

    /**
     * Watches until {@code seconds} have passed (null: until {@code stop} says so), printing the
     * live line once a second to {@code live} when it is not null.
     *
     * @throws MqttException when the broker cannot be reached
     */
    public TelemetryStats run(Double seconds, BooleanSupplier stop, PrintStream live)
            throws MqttException, IOException, InterruptedException {
        TracePlot trace = plot != null ? new TracePlot() : null;
        MqttConnectOptions o = brokerOptions.connectOptions(broker);
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        BrokerSession.Client client = BrokerSession.connectClient(broker, "telemetry", o);
        String telemetryTopic = "chromatic/" + robot + "/telemetry";
        String stateTopic = "chromatic/" + robot + "/state";
        String eventsTopic = "chromatic/" + robot + "/events";
        boolean mcap = isMcap(record);
        long startNs = System.nanoTime();
        try (CsvRecorder csv = record != null && !mcap ? new CsvRecorder(record) : null;
             McapRecorder rec = mcap ? new McapRecorder(record, robot, compression, startNs) : null) {
            IMqttMessageListener listener = client.acks().wrap((t, m) -> {
                if (!inbox.offer(new Incoming(t, m.getPayload(), System.nanoTime())) && t.equals(telemetryTopic)) {
                    stats.addBad();
                }
            });
            if (mcap) {
                client.mqtt().subscribe(new String[] {telemetryTopic, stateTopic, eventsTopic}, new int[] {0, 1, 1},
                        new IMqttMessageListener[] {listener, listener, listener});
            } else {
                client.mqtt().subscribe(telemetryTopic, 0, listener);
            }
            subscribed.countDown();
            long endNs = seconds == null ? Long.MAX_VALUE : startNs + (long) (seconds * 1e9);
            long nextLineNs = startNs + 1_000_000_000L;
            while (!stop.getAsBoolean() && System.nanoTime() - endNs < 0) {
                Incoming msg = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (msg != null && msg.topic().equals(telemetryTopic)) {
                    try {
                        TelemetryBatch b = TelemetryBatch.decode(msg.payload());
                        stats.add(b);
                        if (csv != null) {
                            csv.write(b);
                        }
                        if (rec != null) {
                            rec.telemetry(b, msg.receivedNs());
                        }
                        if (trace != null) {
                            trace.add(b);
                        }
                    } catch (IllegalArgumentException e) {
                        stats.addBad();
                    }
                } else if (msg != null && rec != null && msg.topic().equals(stateTopic) && msg.payload().length > 0) {
                    rec.state(msg.payload(), msg.receivedNs());
                } else if (msg != null && rec != null && msg.topic().equals(eventsTopic)) {
                    rec.event(msg.payload(), msg.receivedNs());
                }
                if (live != null && System.nanoTime() - nextLineNs >= 0) {
                    nextLineNs += 1_000_000_000L;
                    live.print("\r" + stats.line());
                    live.flush();
                }
            }
            if (csv != null) {
                recordedMessages = csv.rows();
                recordedSamples = csv.rows();
            }
            if (rec != null) {
                rec.close();
                recordedMessages = rec.messages();
                recordedSamples = rec.samples();
            }
        } finally {
            client.close();
        }
        if (trace != null) {
            trace.write(plot, "robot " + robot + " telemetry");
        }
        return stats;
    }
}
