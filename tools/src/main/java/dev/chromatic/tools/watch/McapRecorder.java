package dev.chromatic.tools.watch;

import dev.chromatic.tools.mcap.Compression;
import dev.chromatic.tools.mcap.McapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Records a robot's topics as an MCAP file: one channel per topic ({@code chromatic/<id>/telemetry},
 * {@code .../state}, {@code .../events}), JSON messages, each channel with a JSON Schema. Every sample
 * of every telemetry batch becomes one message whose {@code log_time} is the sample's time on the
 * robot's loop clock. Loop events carry that clock too ({@code time_ns}); the state and off-loop events
 * do not, so their receive time is mapped onto the robot's clock by the tightest offset seen between a
 * batch's newest sample and its arrival (until the first batch they wait, at most
 * {@value #MAX_WAITING} of them; without any telemetry they are stamped with nanoseconds since the
 * recording started).
 */
final class McapRecorder implements AutoCloseable {

    static final int MAX_WAITING = 10_000;

    private record Waiting(int channel, long receivedNs, long timeNs, byte[] json) {
    }

    private final McapWriter writer;
    private final int telemetryChannel;
    private final int stateChannel;
    private final int eventsChannel;
    private final long startNs;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final long[] sequence = new long[3];
    private boolean haveOffset;
    /** Robot loop clock minus this process's {@link System#nanoTime()}, at most (the tightest bound seen). */
    private long offsetNs = Long.MIN_VALUE;
    private long samples;
    private long dropped;

    McapRecorder(Path file, String robot, Compression compression, long startNs) throws IOException {
        this.writer = new McapWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16),
                "chromatic-tools " + version(), compression, McapWriter.DEFAULT_CHUNK_BYTES);
        this.startNs = startNs;
        Map<String, String> meta = Map.of("robot_id", robot);
        String prefix = "chromatic/" + robot + "/";
        int s = writer.addSchema("chromatic.TelemetrySample", "jsonschema", McapSchemas.TELEMETRY_SAMPLE);
        telemetryChannel = writer.addChannel(prefix + "telemetry", s, "json", meta);
        s = writer.addSchema("chromatic.State", "jsonschema", McapSchemas.STATE);
        stateChannel = writer.addChannel(prefix + "state", s, "json", meta);
        s = writer.addSchema("chromatic.Event", "jsonschema", McapSchemas.EVENT);
        eventsChannel = writer.addChannel(prefix + "events", s, "json", meta);
    }

    private static String version() {
        String v = McapRecorder.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Every sample of {@code b}, received at {@code receivedNs} ({@link System#nanoTime()}). */
    void telemetry(TelemetryBatch b, long receivedNs) throws IOException {
        if (b.samples().isEmpty()) {
            return;
        }
        for (TelemetryBatch.Sample s : b.samples()) {
            long t = Math.max(0, s.timeNs());
            writer.addMessage(telemetryChannel, ++sequence[0], t, t, sampleJson(b, s));
            samples++;
        }
        long newest = b.samples().get(b.samples().size() - 1).timeNs();
        long bound = newest - receivedNs;
        if (!haveOffset || bound > offsetNs) {
            offsetNs = bound;
        }
        if (!haveOffset) {
            haveOffset = true;
            while (!waiting.isEmpty()) {
                Waiting w = waiting.poll();
                write(w.channel(), w.receivedNs(), w.timeNs(), w.json());
            }
        }
    }

    void state(byte[] json, long receivedNs) throws IOException {
        other(stateChannel, json, receivedNs, -1);
    }

    /** An event; {@code time_ns} in it (loop events) is the robot's clock. */
    void event(byte[] json, long receivedNs) throws IOException {
        other(eventsChannel, json, receivedNs, loopTimeNs(json));
    }

    private void other(int channel, byte[] json, long receivedNs, long timeNs) throws IOException {
        if (timeNs >= 0 || haveOffset) {
            write(channel, receivedNs, timeNs, json);
        } else if (waiting.size() < MAX_WAITING) {
            waiting.add(new Waiting(channel, receivedNs, timeNs, json));
        } else {
            dropped++;
        }
    }

    private void write(int channel, long receivedNs, long timeNs, byte[] json) throws IOException {
        long t;
        if (timeNs >= 0) {
            t = timeNs;
        } else if (haveOffset) {
            t = Math.max(0, receivedNs + offsetNs);
        } else {
            t = Math.max(0, receivedNs - startNs);
        }
        int seq = channel == stateChannel ? 1 : 2;
        writer.addMessage(channel, ++sequence[seq], t, t, json);
    }

    /** The {@code time_ns} of a loop event, or -1 when it has none (an off-loop event, or not JSON). */
    static long loopTimeNs(byte[] json) {
        if (json.length > 64 * 1024) {
            return -1;
        }
        try {
            Object v = dev.chromatic.runtime.json.Json.parseObject(new String(json, StandardCharsets.UTF_8), 64 * 1024)
                    .get("time_ns");
            return v instanceof Number n && n.longValue() >= 0 ? n.longValue() : -1;
        } catch (dev.chromatic.runtime.json.JsonFormatException e) {
            return -1;
        }
    }

    /** One sample as the JSON the telemetry channel's schema describes. */
    static byte[] sampleJson(TelemetryBatch b, TelemetryBatch.Sample s) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"batch\":").append(b.batch())
                .append(",\"cycle\":").append(s.cycle())
                .append(",\"time_ns\":").append(s.timeNs())
                .append(",\"lateness_ns\":").append(s.latenessNs())
                .append(",\"cycle_ns\":").append(s.cycleNs())
                .append(",\"state\":\"").append(TelemetryStats.stateName(s.state(), 0).replaceAll("\\(.*", "")).append('"')
                .append(",\"safe_reason\":\"").append(s.state() == 2 ? TelemetryStats.reasonName(s.reason()) : "none").append('"')
                .append(",\"phase\":\"").append(phaseName(s.phase())).append('"')
                .append(",\"roll_rad\":");
        number(sb, s.rollRad());
        sb.append(",\"pitch_rad\":");
        number(sb, s.pitchRad());
        sb.append(",\"roll_rate_rad_s\":");
        number(sb, s.rollRateRadS());
        sb.append(",\"pitch_rate_rad_s\":");
        number(sb, s.pitchRateRadS());
        array(sb.append(",\"observation\":"), s.observation());
        array(sb.append(",\"action\":"), s.action());
        array(sb.append(",\"motor_target_rad\":"), s.motorTargetRad());
        array(sb.append(",\"motor_angle_rad\":"), s.motorAngleRad());
        sb.append(",\"period_ns\":").append(b.periodNs())
                .append(",\"overruns\":").append(b.overruns())
                .append(",\"dropped\":").append(b.dropped()).append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String phaseName(int phase) {
        dev.chromatic.runtime.events.Phase[] all = dev.chromatic.runtime.events.Phase.values();
        return phase >= 0 && phase < all.length ? all[phase].wireName() : "unknown";
    }

    private static void array(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            number(sb, v[i]);
        }
        sb.append(']');
    }

    private static void number(StringBuilder sb, float v) {
        if (Float.isFinite(v)) {
            sb.append(v);
        } else {
            sb.append("null");
        }
    }

    long samples() {
        return samples;
    }

    long messages() {
        return writer.messageCount();
    }

    /** State or event messages that arrived while too many were waiting for the first telemetry. */
    long droppedWaiting() {
        return dropped;
    }

    @Override
    public void close() throws IOException {
        try {
            while (!waiting.isEmpty()) {
                Waiting w = waiting.poll();
                write(w.channel(), w.receivedNs(), w.timeNs(), w.json());
            }
        } finally {
            writer.close();
        }
    }
}
