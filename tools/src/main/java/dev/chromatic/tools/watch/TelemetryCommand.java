package dev.chromatic.tools.watch;

import dev.chromatic.runtime.update.Json;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic telemetry}: watches a robot's telemetry batches, prints a live one-line summary
 * once a second, and optionally records every sample as CSV and plots the traces as a PNG. Exit 1
 * when no telemetry arrived.
 */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
        description = {"Decodes the FlatBuffers telemetry batches of chromatic/<id>/telemetry and prints a live summary",
                "(loop rate, lateness percentiles, safety state, lost batches, overruns). Stops after --seconds or Ctrl-C.",
                "Exit 1 when nothing arrived."})
public final class TelemetryCommand implements Callable<Integer> {

    private static final Pattern ROBOT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Option(names = "--robot", required = true, paramLabel = "ID", description = "Robot id.")
    String robot;

    @Option(names = "--broker", defaultValue = "tcp://localhost:1883", paramLabel = "URL",
            description = "MQTT broker (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--record", paramLabel = "out.csv", description = "Write every sample as a CSV row.")
    Path record;

    @Option(names = "--plot", paramLabel = "out.png", description = "Draw roll/pitch, actions and lateness to a PNG at the end.")
    Path plot;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: run until interrupted).")
    Double seconds;

    @Option(names = "--json", description = "Print only a final summary as one JSON object.")
    boolean json;

    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>(10_000);
    private volatile boolean stop;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (robot == null || !ROBOT_ID.matcher(robot).matches()) {
            throw new BadInputException("--robot '" + robot + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (seconds != null && !(seconds > 0)) {
            throw new BadInputException("--seconds must be > 0, was " + seconds);
        }
        checkWritable(record, "--record");
        checkWritable(plot, "--plot");
        PrintStream live = System.err;
        TelemetryStats stats = new TelemetryStats();
        TracePlot trace = plot != null ? new TracePlot() : null;
        MqttClient client;
        try {
            client = new MqttClient(broker, "chromatic-telemetry-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setConnectionTimeout(5);
            client.connect(o);
            client.subscribe("chromatic/" + robot + "/telemetry", 0, (t, m) -> {
                if (!inbox.offer(m.getPayload())) {
                    stats.addBad();
                }
            });
        } catch (MqttException | IllegalArgumentException e) {
            System.err.println("chromatic telemetry: cannot connect to broker " + broker + ": " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> stop = true);
        Runtime.getRuntime().addShutdownHook(hook);
        long startNs = System.nanoTime();
        long endNs = seconds == null ? Long.MAX_VALUE : startNs + (long) (seconds * 1e9);
        long nextLineNs = startNs + 1_000_000_000L;
        try (CsvRecorder csv = record != null ? new CsvRecorder(record) : null) {
            while (!stop && System.nanoTime() - endNs < 0) {
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
                if (!json && System.nanoTime() - nextLineNs >= 0) {
                    nextLineNs += 1_000_000_000L;
                    live.print("\r" + stats.line());
                    live.flush();
                }
            }
        } finally {
            try {
                client.disconnect(1000);
                client.close();
            } catch (MqttException e) {
                // closing: nothing left to do
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (trace != null) {
            trace.write(plot, "robot " + robot + " telemetry");
        }
        if (json) {
            System.out.println(new Json().put("robot", robot).put("samples", stats.samples())
                    .put("batches", stats.batches()).put("lost_batches", stats.lostBatches())
                    .put("bad_batches", stats.badBatches()).put("rate_hz", stats.rateHz())
                    .put("lateness_p50_ns", stats.latenessPercentileNs(50))
                    .put("lateness_p99_ns", stats.latenessPercentileNs(99))
                    .put("lateness_max_ns", stats.latenessMaxNs()).put("state", stats.state())
                    .put("overruns", stats.overruns()).put("missed", stats.missed()).put("dropped", stats.dropped())
                    .end());
        } else {
            live.println("\r" + stats.line());
            if (record != null) {
                System.out.println("recorded " + stats.samples() + " samples to " + record);
            }
            if (plot != null) {
                System.out.println("plotted " + trace.size() + " samples to " + plot);
            }
        }
        if (stats.samples() == 0) {
            System.err.println("chromatic telemetry: no telemetry from robot " + robot + " on " + broker);
            return 1;
        }
        return 0;
    }

    private static void checkWritable(Path p, String option) {
        if (p == null) {
            return;
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException(option + " " + p + ": folder " + dir + " does not exist");
        }
    }
}
