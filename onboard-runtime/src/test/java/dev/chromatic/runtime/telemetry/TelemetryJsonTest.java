package dev.chromatic.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.loop.LoopRig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The JSON telemetry topic: valid flat JSON with units in the key names, decimated by sample time, allocation-free. */
class TelemetryJsonTest {

    private final LoopRig rig = new LoopRig();
    private final ManualNanoClock clock = new ManualNanoClock(5);
    private final TelemetryAgentTest.RecordingPublisher pub = new TelemetryAgentTest.RecordingPublisher();
    private final Topics topics = new Topics("r7");
    private final TelemetryAgent agent = new TelemetryAgent(topics, clock, pub, rig.agent, rig.telemetry, rig.events,
            new EventOutbox(16), 1, 10, 100_000_000L, new TelemetrySample(16, 16, 8));

    private List<Map<String, Object>> jsonMessages() throws Exception {
        List<TelemetryAgentTest.RecordingPublisher.Message> msgs = pub.on("chromatic/r7/telemetry/json");
        java.util.ArrayList<Map<String, Object>> out = new java.util.ArrayList<>();
        for (TelemetryAgentTest.RecordingPublisher.Message m : msgs) {
            assertEquals(0, m.qos());
            assertTrue(!m.retained());
            out.add(Json.parseObject(new String(m.payload(), StandardCharsets.UTF_8), 64 * 1024));
        }
        return out;
    }

    /** Runs {@code cycles} cycles of the 1 kHz rig (one sample a cycle), draining the ring as the agent thread would. */
    private void run(int cycles) {
        for (int i = 0; i < cycles; i += 100) {
            rig.ticks(Math.min(100, cycles - i));
            agent.doWork();
        }
    }

    @Test
    void eachMessageIsOneValidFlatJsonObjectWithUnitsInItsKeys() throws Exception {
        rig.withPolicy(true);
        rig.armed();
        rig.hardware.rollRad = 0.125;
        rig.hardware.pitchRad = -0.0625;
        rig.hardware.rollRateRadPerS = 1.5;
        rig.hardware.pitchRateRadPerS = -0.25;
        run(200);
        List<Map<String, Object>> msgs = jsonMessages();
        assertTrue(msgs.size() >= 3, "messages: " + msgs.size());
        Map<String, Object> m = msgs.get(msgs.size() - 1);
        for (Map.Entry<String, Object> e : m.entrySet()) {
            assertTrue(!(e.getValue() instanceof Map) && !(e.getValue() instanceof List), "flat: " + e.getKey());
        }
        assertEquals("r7", m.get("robot_id"));
        assertEquals("armed", m.get("state"));
        assertEquals("none", m.get("safe_reason"));
        assertEquals(0.125, ((Number) m.get("roll_rad")).doubleValue(), 1e-6);
        assertEquals(-0.0625, ((Number) m.get("pitch_rad")).doubleValue(), 1e-6);
        assertEquals(1.5, ((Number) m.get("roll_rate_rad_s")).doubleValue(), 1e-6);
        assertEquals(-0.25, ((Number) m.get("pitch_rate_rad_s")).doubleValue(), 1e-6);
        assertEquals(1000.0, ((Number) m.get("loop_period_us")).doubleValue(), 1e-9, "1 kHz rig");
        long cycle = ((Number) m.get("cycle")).longValue();
        // the rig's clock starts at 1 s and advances one 1 ms period a cycle; a sample is stamped at its wake-up
        double t = ((Number) m.get("timestamp")).doubleValue();
        assertEquals(1.0 + cycle * 1e-3, t, 1.5e-3, "timestamp is the sample's loop-clock time in seconds");
        for (String key : new String[] {"lateness_us", "cycle_us", "overruns", "samples_dropped", "phase"}) {
            assertTrue(m.containsKey(key), "missing " + key + " in " + m);
        }
        for (int i = 0; i < 8; i++) {
            assertTrue(m.get("motor_target_rad_" + i) instanceof Number, "motor_target_rad_" + i + " in " + m);
            assertTrue(m.get("motor_angle_rad_" + i) instanceof Number, "motor_angle_rad_" + i + " in " + m);
            assertTrue(m.get("action_" + i) instanceof Number, "action_" + i + " in " + m);
        }
        clock.advance(200_000_000L);
        agent.doWork();
        assertEquals(rig.agent.cycles(), agent.samplesSent(), "the FlatBuffers batches still carry every sample");
        dev.chromatic.runtime.telemetry.fb.SampleFb fb = TelemetryEncoder.decode(
                pub.on(topics.telemetry()).get(5).payload()).samples(0);
        assertEquals(1.5f, fb.rollRateRadS(), "the batches carry the body rates too");
        assertEquals(-0.25f, fb.pitchRateRadS());
    }

    @Test
    void defaultRateIsTwentyMessagesPerSecondOfSampleTime() throws Exception {
        run(10_000);
        List<Map<String, Object>> msgs = jsonMessages();
        assertEquals(200, msgs.size(), "10 s of samples at 20 Hz");
        assertEquals(200, agent.jsonSent());
        for (int i = 1; i < msgs.size(); i++) {
            double dt = ((Number) msgs.get(i).get("timestamp")).doubleValue()
                    - ((Number) msgs.get(i - 1).get("timestamp")).doubleValue();
            assertEquals(0.05, dt, 1e-9, "message " + i);
        }
        assertTrue(pub.on(topics.telemetry()).size() >= 999, "batches of 10 keep every sample");
    }

    @Test
    void aConfiguredRateDecimatesAndZeroTurnsTheTopicOff() throws Exception {
        agent.setJsonRateHz(5);
        run(2000);
        assertEquals(10, jsonMessages().size(), "2 s at 5 Hz");
        agent.setJsonRateHz(0);
        run(2000);
        assertEquals(10, jsonMessages().size(), "off");
        assertTrue(pub.on(topics.telemetry()).size() >= 399, "the FlatBuffers topic is unaffected");
        agent.setJsonRateHz(TelemetryAgent.MAX_JSON_RATE_HZ);
        run(100);
        assertEquals(110, jsonMessages().size(), "a rate at or above the sample rate sends every sample");
        assertThrows(IllegalArgumentException.class, () -> agent.setJsonRateHz(-1));
        assertThrows(IllegalArgumentException.class, () -> agent.setJsonRateHz(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> agent.setJsonRateHz(1001));
    }

    @Test
    void nothingIsCountedAsSentWhileDisconnected() {
        pub.connected = false;
        run(1000);
        assertEquals(0, agent.jsonSent());
        assertEquals(20, agent.jsonUnsent());
    }

    @Test
    void numbersArePlainDecimalsAndNonFiniteValuesAreNull() throws Exception {
        TelemetryJsonEncoder enc = new TelemetryJsonEncoder("r1", 2, 2);
        assertEquals("0", enc.numberText(0.0, 6));
        assertEquals("0", enc.numberText(-1e-9, 6));
        assertEquals("-1.5", enc.numberText(-1.5, 6));
        assertEquals("3.141593", enc.numberText(Math.PI, 6));
        assertEquals("12.345", enc.numberText(12.345, 3));
        assertEquals("1000", enc.numberText(1000.0, 3));
        assertEquals("0.000001", enc.numberText(1e-6, 6));
        assertEquals("null", enc.numberText(Double.NaN, 6));
        assertEquals("null", enc.numberText(Double.NEGATIVE_INFINITY, 6));
        assertEquals(-2.5e20, ((Number) Json.parse(enc.numberText(-2.5e20, 6))).doubleValue(), 1e6);
        assertEquals(1e300, ((Number) Json.parse(enc.numberText(1e300, 6))).doubleValue(), 1e294);
        TelemetrySample s = new TelemetrySample(4, 2, 2);
        s.timeNs = 123_456_789_000L;
        s.rollRad = Double.NaN;
        s.state = 99;
        s.setAction(new double[] {Double.POSITIVE_INFINITY, 0.5});
        int n = enc.encode(s, 2_500_000L, 3, 4);
        Map<String, Object> m = Json.parseObject(new String(enc.buffer(), 0, n, StandardCharsets.UTF_8), 64 * 1024);
        assertNull(m.get("roll_rad"));
        assertTrue(m.containsKey("roll_rad"));
        assertNull(m.get("action_0"));
        assertEquals(0.5, ((Number) m.get("action_1")).doubleValue());
        assertEquals("unknown", m.get("state"));
        assertEquals(123.456789, ((Number) m.get("timestamp")).doubleValue(), 1e-9);
        assertEquals(2500.0, ((Number) m.get("loop_period_us")).doubleValue());
        assertEquals(3L, ((Number) m.get("overruns")).longValue());
        assertEquals(4L, ((Number) m.get("samples_dropped")).longValue());
    }

    @Test
    void encodingAllocatesNothing() {
        TelemetryJsonEncoder enc = new TelemetryJsonEncoder("r1", 16, 8);
        TelemetrySample s = new TelemetrySample(16, 16, 8);
        s.setAction(new double[16]);
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long bytes = -1;
        // a compilation switch-over can allocate once; a per-message allocation would show in every window
        for (int attempt = 0; attempt < 5 && bytes != 0; attempt++) {
            encodeMany(enc, s, 20_000);
            long before = mx.getThreadAllocatedBytes(id);
            encodeMany(enc, s, 20_000);
            bytes = mx.getThreadAllocatedBytes(id) - before;
        }
        assertEquals(0, bytes, "bytes allocated encoding 20,000 samples");
    }

    private static void encodeMany(TelemetryJsonEncoder enc, TelemetrySample s, int n) {
        for (int i = 0; i < n; i++) {
            s.timeNs = i * 1_000_000L;
            s.cycle = i;
            s.rollRad = Math.sin(i * 1e-3);
            s.action[i % 16] = -0.37 * (i % 11);
            s.motorTargetRad[i % 8] = 1e-3 * i;
            s.latenessNs = i % 5000;
            enc.encode(s, 1_000_000L, i, 0);
        }
    }

    /**
     * The loop thread keeps allocating nothing while the telemetry agent, on its own thread, encodes
     * and publishes every sample as JSON (the highest rate).
     */
    @Test
    void theLoopThreadAllocatesNothingWhileJsonIsPublishedOffIt() throws Exception {
        rig.withPolicy(true);
        rig.armed();
        agent.setJsonRateHz(TelemetryAgent.MAX_JSON_RATE_HZ);
        AtomicBoolean stop = new AtomicBoolean();
        Thread telemetryThread = new Thread(() -> {
            while (!stop.get()) {
                agent.doWork();
                if (pub.messages.size() > 10_000) {
                    synchronized (pub) {
                        pub.messages.clear();
                    }
                }
                Thread.onSpinWait();
            }
        }, "telemetry");
        telemetryThread.start();
        try {
            com.sun.management.ThreadMXBean mx =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            List<Long> windows = new java.util.ArrayList<>();
            int zeroInARow = 0;
            for (int w = 0; w < 10 && zeroInARow < 2; w++) {
                long before = mx.getThreadAllocatedBytes(id);
                rig.ticks(20_000);
                long bytes = mx.getThreadAllocatedBytes(id) - before;
                windows.add(bytes);
                zeroInARow = bytes == 0 ? zeroInARow + 1 : 0;
            }
            assertEquals(2, zeroInARow, "loop-thread bytes per window of 20,000 cycles: " + windows);
        } finally {
            stop.set(true);
            telemetryThread.join();
        }
        assertTrue(agent.jsonSent() > 0, "the agent published JSON meanwhile");
        assertTrue(rig.safety.isArmed(), rig.safety.reason().toString());
    }
}
