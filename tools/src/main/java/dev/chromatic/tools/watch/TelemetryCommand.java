package dev.chromatic.tools.watch;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.RobotOnBroker;
import dev.chromatic.tools.mcap.Compression;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.MqttException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chromatic telemetry}: watches a robot's telemetry batches, prints a live one-line summary
 * once a second, and optionally records every sample (CSV, or MCAP with the state and events too)
 * and plots the traces as a PNG. Exit 1 when no telemetry arrived.
 */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
        description = {"Decodes the FlatBuffers telemetry batches of chromatic/<id>/telemetry and prints a live summary",
                "(loop rate, lateness percentiles, safety state, lost batches, overruns). Stops after --seconds or Ctrl-C.",
                "Exit 1 when nothing arrived."})
public final class TelemetryCommand implements Callable<Integer> {

    @Mixin
    RobotOnBroker target = new RobotOnBroker();

    @Option(names = "--record", paramLabel = "FILE", description = {
        "Record every sample: FILE.mcap writes an MCAP file (telemetry, state and events as JSON channels,",
        "indexed for seeking; opens in Foxglove and PlotJuggler), any other name a CSV file (one row a sample)."})
    Path record;

    @Option(names = "--compress", paramLabel = "none|zstd|lz4", defaultValue = "none",
            description = "Chunk compression of an MCAP recording (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--plot", paramLabel = "out.png", description = "Draw roll/pitch, actions and lateness to a PNG at the end.")
    Path plot;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: run until interrupted).")
    Double seconds;

    @Option(names = "--json", description = "Print only a final summary as one JSON object.")
    boolean json;

    private volatile boolean stop;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String robot = target.robot();
        String broker = target.broker();
        BrokerOptions brokerOptions = target.options();
        if (seconds != null && !(seconds > 0)) {
            throw new BadInputException("--seconds must be > 0, was " + seconds);
        }
        checkWritable(record, "--record");
        checkWritable(plot, "--plot");
        Compression compression;
        try {
            compression = Compression.of(compress);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (compression != Compression.NONE && !TelemetryWatch.isMcap(record)) {
            throw new BadInputException("--compress " + compress + " applies to an MCAP recording (--record FILE.mcap)"
                    + (record == null ? "" : ", not " + record));
        }
        PrintStream live = System.err;
        TelemetryWatch watch = new TelemetryWatch(broker, robot, record, plot).brokerOptions(brokerOptions)
                .compression(compression);
        Thread hook = new Thread(() -> stop = true);
        Runtime.getRuntime().addShutdownHook(hook);
        TelemetryStats stats;
        try {
            stats = watch.run(seconds, () -> stop, json ? null : live);
        } catch (MqttException | IllegalArgumentException e) {
            System.err.println("chromatic telemetry: cannot connect to broker " + broker + ": " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (json) {
            System.out.println(new JsonWriter().put("robot", robot).put("samples", stats.samples())
                    .put("batches", stats.batches()).put("lost_batches", stats.lostBatches())
                    .put("bad_batches", stats.badBatches()).put("rate_hz", stats.rateHz())
                    .put("lateness_p50_ns", stats.latenessPercentileNs(50))
                    .put("lateness_p99_ns", stats.latenessPercentileNs(99))
                    .put("lateness_max_ns", stats.latenessMaxNs()).put("state", stats.state())
                    .put("overruns", stats.overruns()).put("missed", stats.missed()).put("dropped", stats.dropped())
                    .put("recorded_messages", watch.recordedMessages()).put("recorded_samples", watch.recordedSamples())
                    .end());
        } else {
            live.println("\r" + stats.line());
            if (record != null && TelemetryWatch.isMcap(record)) {
                System.out.println("recorded " + watch.recordedMessages() + " messages (" + watch.recordedSamples()
                        + " samples) to " + record);
            } else if (record != null) {
                System.out.println("recorded " + watch.recordedSamples() + " samples to " + record);
            }
            if (plot != null) {
                System.out.println("plotted " + stats.samples() + " samples to " + plot);
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
