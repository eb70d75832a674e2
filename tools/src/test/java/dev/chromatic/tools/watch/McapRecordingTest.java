package dev.chromatic.tools.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.telemetry.TelemetryEncoder;
import dev.chromatic.runtime.telemetry.TelemetrySample;
import dev.chromatic.tools.Main;
import dev.chromatic.tools.mcap.Compression;
import dev.chromatic.tools.run.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chromatic telemetry --record FILE.mcap}, read back by an independent reader: the TypeScript
 * {@code @mcap/core} (pinned) run by Node, installed with npm under target/. Skipped, saying so, when
 * node or npm is missing or the install fails.
 */
class McapRecordingTest {

    static final String MCAP_CORE = "@mcap/core@2.2.2";
    static final String MCAP_SUPPORT = "@mcap/support@1.1.0";

    private static EmbeddedBroker broker;
    private static Path reader;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        broker = EmbeddedBroker.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Installs the reader once (target/mcap-reader); skips the test when that cannot be done. */
    private static synchronized Path reader() throws Exception {
        if (reader != null) {
            return reader;
        }
        for (String tool : new String[] {"node", "npm"}) {
            if (run(List.of(tool, "--version"), Path.of("."), 60).exit() != 0) {
                skip(tool + " is not installed: the MCAP file is not checked with the independent @mcap/core reader");
            }
        }
        Path dir = Path.of("target", "mcap-reader").toAbsolutePath();
        Files.createDirectories(dir);
        Path installed = dir.resolve("node_modules/@mcap/core/package.json");
        Path support = dir.resolve("node_modules/@mcap/support/package.json");
        if (!Files.exists(installed) || !Files.readString(installed).contains("\"version\": \"2.2.2\"")
                || !Files.exists(support)) {
            if (!Files.exists(dir.resolve("package.json"))) {
                Files.writeString(dir.resolve("package.json"), "{\"name\":\"mcap-reader\",\"private\":true,\"type\":\"module\"}\n");
            }
            Result r = run(List.of("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error",
                    MCAP_CORE, MCAP_SUPPORT), dir, 300);
            if (r.exit() != 0) {
                skip("npm install " + MCAP_CORE + " " + MCAP_SUPPORT + " failed (exit " + r.exit() + "): " + r.err().strip());
            }
        }
        try (InputStream in = McapRecordingTest.class.getResourceAsStream("/mcap/read-mcap.mjs")) {
            Files.write(dir.resolve("read-mcap.mjs"), in.readAllBytes());
        }
        reader = dir;
        return dir;
    }

    private static void skip(String why) {
        System.out.println("McapRecordingTest skipped: " + why);
        Assumptions.abort(why);
    }

    record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> cmd, Path dir, int timeoutS) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Path out = Files.createTempFile("mcap-out", ".txt");
        Path err = Files.createTempFile("mcap-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, "", e.getMessage());
        }
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, Files.readString(out), "timed out after " + timeoutS + " s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** The reader's JSON (the last line of its stdout). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path mcap) throws Exception {
        Path dir = reader();
        Result r = run(List.of("node", "read-mcap.mjs", mcap.toAbsolutePath().toString()), dir, 120);
        assertEquals(0, r.exit(), "node read-mcap.mjs: " + r.err());
        String[] lines = r.out().strip().split("\n");
        Map<String, Object> m = Json.parseObject(lines[lines.length - 1], 10_000_000);
        System.out.println("@mcap/core read " + mcap.getFileName() + " (" + Files.size(mcap) + " bytes) in "
                + m.get("read_ms") + " ms");
        return m;
    }

    /** Batch {@code b} of 10 samples at 1 kHz: cycle k at k ms on the robot's clock. */
    static byte[] batch(TelemetryEncoder enc, long b) {
        TelemetrySample[] s = new TelemetrySample[10];
        for (int i = 0; i < 10; i++) {
            long cycle = (b - 1) * 10 + i + 1;
            s[i] = new TelemetrySample(4, 2, 8);
            s[i].cycle = cycle;
            s[i].timeNs = cycle * 1_000_000L;
            s[i].latenessNs = cycle % 50 * 1000L;
            s[i].state = 1;
            s[i].phase = 3;
            s[i].rollRad = Math.sin(cycle * 0.01);
            s[i].rollRateRadS = 0.25;
            s[i].pitchRateRadS = -0.5;
            s[i].setObservation(new double[] {1, 2, 3, 4});
            s[i].setAction(new double[] {Math.cos(cycle * 0.02), -0.5});
        }
        return enc.encode(new TelemetryEncoder.BatchInfo("r9", b, 1_000_000L, 1, 0, 0, 0), s, 10);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topic(Map<String, Object> m, String name) {
        return (Map<String, Object>) ((Map<String, Object>) m.get("topics")).get(name);
    }

    private static long n(Object o) {
        return o instanceof Number x ? x.longValue() : Long.parseLong((String) o);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRecordingOverMqttReadsBackWithTheIndependentReader() throws Exception {
        reader();
        Path mcap = tmp.resolve("run.mcap");
        TelemetryWatch watch = new TelemetryWatch(broker.url(), "r9", mcap, null);
        long deadline = System.nanoTime() + 120_000_000_000L; // a bound against a hang, not a timing check
        // the recording ends once the last sample is in: every message sent before it was queued ahead of it
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread recorder = new Thread(() -> {
            try {
                result.set(watch.run(null, () -> watch.stats().samples() >= 300 || System.nanoTime() - deadline > 0, null));
            } catch (Exception e) {
                result.set(e);
            }
        });
        MqttClient robot = new MqttClient(broker.url(), "robot-r9", new MemoryPersistence());
        robot.connect();
        robot.publish("chromatic/r9/state", "{\"robot_id\":\"r9\",\"online\":true,\"state\":\"armed\"}"
                .getBytes(StandardCharsets.UTF_8), 1, true);
        recorder.start();
        assertTrue(watch.awaitSubscribed(60, TimeUnit.SECONDS), "the recorder subscribed");
        TelemetryEncoder enc = new TelemetryEncoder();
        for (long b = 1; b <= 30; b++) {
            robot.publish("chromatic/r9/telemetry", batch(enc, b), 0, false);
            if (b == 15) {
                robot.publish("chromatic/r9/events", "{\"event\":\"overrun\",\"reason\":\"none\",\"cycle\":150,\"time_ns\":150000000}"
                        .getBytes(StandardCharsets.UTF_8), 1, false);
                robot.publish("chromatic/r9/events", "{\"event\":\"command_rejected\",\"reason\":\"malformed\",\"time_ms\":1}"
                        .getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        recorder.join();
        robot.publish("chromatic/r9/state", new byte[0], 1, true);
        robot.disconnect();
        robot.close();
        assertTrue(result.get() instanceof TelemetryStats, "the recording ran: " + result.get());
        assertEquals(300, watch.recordedSamples());
        assertEquals(303, watch.recordedMessages(), "300 samples, the retained state, 2 events");

        Map<String, Object> m = read(mcap);
        assertEquals(303L, n(m.get("message_count")), "300 samples, the retained state, 2 events");
        assertEquals(303L, n(m.get("indexed_messages")), "read through the indexes");
        assertEquals(303L, n(m.get("streamed_messages")), "read front to back, chunk CRCs checked");
        assertEquals(Boolean.TRUE, m.get("data_section_crc_ok"));
        assertEquals(Boolean.TRUE, m.get("indexed_in_time_order"));
        assertEquals(List.of(""), m.get("compressions"), "uncompressed chunks by default");
        assertEquals(3L, n(m.get("channel_count")));
        List<Object> channels = (List<Object>) m.get("channels");
        List<String> topics = new ArrayList<>();
        for (Object o : channels) {
            Map<String, Object> c = (Map<String, Object>) o;
            topics.add((String) c.get("topic"));
            assertEquals("json", c.get("message_encoding"));
            assertEquals("jsonschema", c.get("schema_encoding"));
            assertEquals("r9", ((Map<String, Object>) c.get("metadata")).get("robot_id"));
        }
        assertEquals(List.of("chromatic/r9/telemetry", "chromatic/r9/state", "chromatic/r9/events"), topics);
        assertEquals("chromatic telemetry sample", ((Map<String, Object>) channels.get(0)).get("schema_title"));

        Map<String, Object> telemetry = topic(m, "chromatic/r9/telemetry");
        List<Object> logTimes = (List<Object>) telemetry.get("log_times");
        assertEquals(300, logTimes.size());
        for (int i = 0; i < 300; i++) {
            assertEquals((i + 1) * 1_000_000L, n(logTimes.get(i)), "log_time of sample " + (i + 1) + " is its robot time");
        }
        Map<String, Object> first = (Map<String, Object>) telemetry.get("first");
        assertEquals(1L, n(first.get("cycle")));
        assertEquals("armed", first.get("state"));
        assertEquals("policy", first.get("phase"));
        assertEquals(0.25, ((Number) first.get("roll_rate_rad_s")).doubleValue());
        assertEquals(-0.5, ((Number) first.get("pitch_rate_rad_s")).doubleValue());
        assertEquals(List.of(1L, 2L, 3L, 4L), ((List<Object>) first.get("observation")).stream().map(McapRecordingTest::n).toList());
        assertTrue(n(m.get("message_start_time")) <= 1_000_000L, "statistics start: " + m.get("message_start_time"));
        assertTrue(n(m.get("message_end_time")) >= 300_000_000L, "statistics end: " + m.get("message_end_time"));
        assertTrue(n(m.get("chunk_count")) >= 1);
        assertEquals(n(m.get("chunk_count")), n(m.get("chunk_indexes")), "one chunk index a chunk");
        Map<String, Object> events = topic(m, "chromatic/r9/events");
        assertEquals(2L, n(events.get("count")));
        assertTrue(((List<Object>) events.get("log_times")).stream().map(McapRecordingTest::n).toList().contains(150_000_000L),
                "a loop event is logged at its time_ns: " + events.get("log_times"));
        assertEquals(1L, n(topic(m, "chromatic/r9/state").get("count")));
        Map<String, Object> kinds = (Map<String, Object>) m.get("record_kinds");
        // the stream reader opens chunks and hands out the records inside them
        for (String k : new String[] {"Header", "MessageIndex", "DataEnd", "Schema", "Channel", "ChunkIndex",
            "Statistics", "SummaryOffset", "Footer"}) {
            assertTrue(kinds.containsKey(k), "no " + k + " record: " + kinds);
        }
        assertEquals(List.of(3L, 4L, 8L, 11L), ((List<Object>) m.get("summary_offset_opcodes")).stream()
                .map(McapRecordingTest::n).toList(), "summary offsets for schemas, channels, chunk indexes, statistics");
    }

    @Test
    void compressedRecordingsReadBackAndTimesWithoutARobotClockAreMappedOntoIt() throws Exception {
        reader();
        for (Compression c : new Compression[] {Compression.ZSTD, Compression.LZ4}) {
            Path f = tmp.resolve("c-" + c.optionName() + ".mcap");
            TelemetryEncoder enc = new TelemetryEncoder();
            // this process's clock is 5 s behind the robot's; the batch of samples up to k ms arrives 2 ms after the last
            long behind = 5_000_000_000L;
            try (McapRecorder rec = new McapRecorder(f, "r9", c, 0)) {
                rec.state("{\"robot_id\":\"r9\",\"online\":true}".getBytes(StandardCharsets.UTF_8), 50_000_000L - behind);
                for (long b = 1; b <= 200; b++) {
                    rec.telemetry(TelemetryBatch.decode(batch(enc, b)), b * 10_000_000L + 2_000_000L - behind);
                    if (b == 100) {
                        rec.event("{\"event\":\"command_rejected\",\"reason\":\"malformed\"}".getBytes(StandardCharsets.UTF_8),
                                1_004_000_000L - behind);
                    }
                }
            }
            Map<String, Object> m = read(f);
            assertEquals(2002L, n(m.get("message_count")), c.optionName());
            assertEquals(2002L, n(m.get("streamed_messages")), c.optionName());
            assertEquals(2002L, n(m.get("indexed_messages")), c.optionName());
            assertTrue(n(m.get("messages_from_mid")) > 700 && n(m.get("messages_from_mid")) < 1300,
                    "seeking to the middle by time reads about half: " + m.get("messages_from_mid"));
            assertEquals(List.of(c.wireName()), m.get("compressions"));
            assertTrue(n(m.get("chunk_count")) > 1, "several chunks");
            assertEquals(Boolean.TRUE, m.get("data_section_crc_ok"));
            // offset = robot time - local time = 5 s - 2 ms: the state received at 50 ms local-robot time
            // maps to 48 ms, the event to 1.002 s
            @SuppressWarnings("unchecked")
            List<Object> state = (List<Object>) topic(m, "chromatic/r9/state").get("log_times");
            assertEquals(List.of(48_000_000L), state.stream().map(McapRecordingTest::n).toList());
            @SuppressWarnings("unchecked")
            List<Object> ev = (List<Object>) topic(m, "chromatic/r9/events").get("log_times");
            assertEquals(List.of(1_002_000_000L), ev.stream().map(McapRecordingTest::n).toList());
        }
    }

    @Test
    void theCommandRecordsMcapByTheFileExtension() throws Exception {
        Path mcap = tmp.resolve("quiet.mcap");
        assertEquals(1, Main.run("telemetry", "--robot", "quiet", "--broker", broker.url(), "--seconds", "0.3",
                "--record", mcap.toString(), "--compress", "zstd", "--json"), "no telemetry: exit 1");
        Map<String, Object> m = read(mcap);
        assertEquals(0L, n(m.get("message_count")), "a valid, empty recording");
        assertEquals(3L, n(m.get("channel_count")));
    }

    @Test
    void compressionNeedsAnMcapRecording() {
        assertEquals(2, Main.run("telemetry", "--robot", "r9", "--record", tmp.resolve("x.csv").toString(), "--compress", "zstd"));
        assertEquals(2, Main.run("telemetry", "--robot", "r9", "--compress", "lz4"));
        assertEquals(2, Main.run("telemetry", "--robot", "r9", "--record", tmp.resolve("x.mcap").toString(), "--compress", "gzip"));
        assertEquals(2, Main.run("telemetry", "--robot", "r9", "--record", tmp.resolve("no/dir/x.mcap").toString()));
    }
}
