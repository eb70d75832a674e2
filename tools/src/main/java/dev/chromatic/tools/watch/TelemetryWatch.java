package dev.chromatic.tools.watch;

import dev.chromatic.tools.broker.BrokerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Subscribes to one robot's telemetry batches, decodes them and feeds the running figures, an
 * optional CSV recording and an optional trace plot, until a deadline or a stop signal. Used by
 * {@code chromatic telemetry} and by the demo.
 */
public final class TelemetryWatch {

    private final String broker;
    private final String robot;
    private final Path record;
    private final Path plot;
    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>(10_000);
    private final TelemetryStats stats = new TelemetryStats();
    private BrokerOptions brokerOptions = BrokerOptions.none();

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
        MqttClient client = new MqttClient(broker, "chromatic-telemetry-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        MqttConnectOptions o = brokerOptions.connectOptions(broker);
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        client.connect(o);
        try {
            client.subscribe("chromatic/" + robot + "/telemetry", 0, (t, m) -> {
                if (!inbox.offer(m.getPayload())) {
                    stats.addBad();
                }
            });
            long startNs = System.nanoTime();
            long endNs = seconds == null ? Long.MAX_VALUE : startNs + (long) (seconds * 1e9);
            long nextLineNs = startNs + 1_000_000_000L;
            try (CsvRecorder csv = record != null ? new CsvRecorder(record) : null) {
                while (!stop.getAsBoolean() && System.nanoTime() - endNs < 0) {
                    byte[] msg = inbox.poll(100, TimeUnit.MILLISECONDS);
                    if (msg != null) {
                        try {
                            TelemetryBatch b = TelemetryBatch.decode(msg);
                            stats.add(b);
                            if (csv != null) {
                                csv.write(b);
                            }
                            if (trace != null) {
                                trace.add(b);
                            }
                        } catch (IllegalArgumentException e) {
                            stats.addBad();
                        }
                    }
                    if (live != null && System.nanoTime() - nextLineNs >= 0) {
                        nextLineNs += 1_000_000_000L;
                        live.print("\r" + stats.line());
                        live.flush();
                    }
                }
            }
        } finally {
            try {
                client.disconnect(1000);
                client.close();
            } catch (MqttException e) {
                // closing: nothing left to do
            }
        }
        if (trace != null) {
            trace.write(plot, "robot " + robot + " telemetry");
        }
        return stats;
    }
}
