package dev.chromatic.runtime.telemetry;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.agent.Agent;
import dev.chromatic.runtime.agent.SampleRing;
import dev.chromatic.runtime.events.CycleEpoch;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.events.EventRing;
import dev.chromatic.runtime.events.LoopEvent;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drains the loop's telemetry and event rings and the off-loop event outbox and publishes them:
 * FlatBuffers batches on {@code telemetry} (QoS 0; a batch goes out when full or after
 * {@code maxBatchAgeNs}), JSON on {@code events} (QoS 1) and the retained JSON {@code state}
 * (on connect and whenever it changes, at most every 50 ms). Every sample also feeds the JSON
 * telemetry on {@code telemetry/json} (QoS 0, one flat object per message), decimated by the
 * samples' own time to {@link #setJsonRateHz} (default {@value #DEFAULT_JSON_RATE_HZ} Hz; 0 = off) and
 * encoded here into a reused buffer. What cannot be sent is dropped and counted; the loop never
 * waits for this agent. Runs on its own thread (it allocates).
 */
public final class TelemetryAgent implements Agent {

    private static final long STATE_CHECK_NS = 50_000_000L;
    private static final int MAX_EVENTS_PER_TICK = 64;
    /** JSON telemetry messages a second unless {@link #setJsonRateHz} says otherwise. */
    public static final double DEFAULT_JSON_RATE_HZ = 20.0;
    /** Highest accepted JSON rate; more than the sample rate sends every sample. */
    public static final double MAX_JSON_RATE_HZ = 1000.0;

    private final Topics topics;
    private final NanoClock clock;
    private final Publisher publisher;
    private final RuntimeStatus status;
    private final SampleRing<TelemetrySample> samples;
    private final EventRing loopEvents;
    private final EventOutbox outbox;
    private final int decimation;
    private final long maxBatchAgeNs;
    private final TelemetrySample[] batch;
    private final TelemetryEncoder encoder = new TelemetryEncoder();
    private final TelemetryJsonEncoder jsonEncoder;
    /** Nanoseconds between JSON messages (sample time), 0 = off; written by any thread. */
    private volatile long jsonIntervalNs;
    private boolean jsonStarted;
    private long nextJsonNs;
    private final LoopEvent event = new LoopEvent();
    private int batchCount;
    private long batchStartNs;
    private long batchNumber;
    private boolean statePublished;
    private long lastStateCheckNs;
    private String lastState = "";
    private volatile long samplesSent;
    private volatile long samplesUnsent;
    private volatile long batchesSent;
    private volatile long eventsSent;
    private volatile long eventsUnsent;
    private volatile long statesSent;
    private volatile long jsonSent;
    private volatile long jsonUnsent;
    private volatile java.util.function.Supplier<Map<String, Object>> policyStore;

    public TelemetryAgent(Topics topics, NanoClock clock, Publisher publisher, RuntimeStatus status,
                          SampleRing<TelemetrySample> samples, EventRing loopEvents, EventOutbox outbox,
                          int decimation, int batchSize, long maxBatchAgeNs, TelemetrySample prototype) {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("telemetry batch size must be in 1..1000, was " + batchSize);
        }
        this.topics = topics;
        this.clock = clock;
        this.publisher = publisher;
        this.status = status;
        this.samples = samples;
        this.loopEvents = loopEvents;
        this.outbox = outbox;
        this.decimation = decimation;
        this.maxBatchAgeNs = maxBatchAgeNs;
        this.batch = new TelemetrySample[batchSize];
        for (int i = 0; i < batchSize; i++) {
            batch[i] = new TelemetrySample(prototype.observation.length, prototype.action.length,
                    prototype.motorTargetRad.length);
        }
        this.jsonEncoder = new TelemetryJsonEncoder(topics.robotId(), prototype.action.length,
                prototype.motorTargetRad.length);
        setJsonRateHz(DEFAULT_JSON_RATE_HZ);
    }

    /**
     * JSON telemetry messages a second, by the samples' own time (0 turns the topic off; more than
     * the sample rate sends every sample). Any thread.
     *
     * @throws IllegalArgumentException unless 0 &lt;= hz &lt;= {@value #MAX_JSON_RATE_HZ}
     */
    public void setJsonRateHz(double hz) {
        if (!(hz >= 0 && hz <= MAX_JSON_RATE_HZ)) {
            throw new IllegalArgumentException("JSON telemetry rate must be in 0.." + MAX_JSON_RATE_HZ + " Hz, was " + hz);
        }
        jsonIntervalNs = hz == 0 ? 0 : Math.max(1L, Math.round(1e9 / hz));
    }

    @Override
    public String roleName() {
        return "telemetry";
    }

    @Override
    public int doWork() {
        long nowNs = clock.nanoTime();
        int work = publisher.doWork(nowNs);
        boolean connected = publisher.isConnected();
        if (!connected) {
            statePublished = false;
        } else if (!statePublished || nowNs - lastStateCheckNs >= STATE_CHECK_NS) {
            lastStateCheckNs = nowNs;
            work += publishStateIfChanged();
        }
        work += drainEvents();
        while (samples.poll(batch[batchCount])) {
            work++;
            json(batch[batchCount]);
            if (batchCount == 0) {
                batchStartNs = nowNs;
            }
            if (++batchCount == batch.length) {
                flush();
            }
        }
        if (batchCount > 0 && nowNs - batchStartNs >= maxBatchAgeNs) {
            flush();
            work++;
        }
        return work;
    }

    /** Publishes {@code s} as JSON when the sample time has reached the next JSON slot. */
    private void json(TelemetrySample s) {
        long interval = jsonIntervalNs;
        if (interval == 0) {
            jsonStarted = false;
            return;
        }
        if (jsonStarted && s.timeNs - nextJsonNs < 0) {
            return;
        }
        // a gap of more than one interval (the robot paused, samples lost) restarts the grid at this sample
        nextJsonNs = jsonStarted && s.timeNs - nextJsonNs < interval ? nextJsonNs + interval : s.timeNs + interval;
        jsonStarted = true;
        if (!publisher.isConnected()) {
            jsonUnsent++;
            return;
        }
        int n = jsonEncoder.encode(s, status.periodNs(), status.overruns(), samples.dropped() + samplesUnsent);
        // the publisher keeps the array until the message is sent: it gets its own copy
        byte[] payload = java.util.Arrays.copyOf(jsonEncoder.buffer(), n);
        if (publisher.publish(topics.telemetryJson(), payload, 0, false)) {
            jsonSent++;
        } else {
            jsonUnsent++;
        }
    }

    private int publishStateIfChanged() {
        String json = stateJson(true);
        if (statePublished && json.equals(lastState)) {
            return 0;
        }
        if (publisher.publish(topics.state(), json.getBytes(StandardCharsets.UTF_8), 1, true)) {
            lastState = json;
            statePublished = true;
            statesSent++;
            return 1;
        }
        return 0;
    }

    /**
     * Adds the policy store's facts (active and previous slot, installed version, last verdict) to
     * every online state message under {@code policy_store}; the supplier must be cheap and
     * thread-safe. Any thread.
     */
    public void setPolicyStoreState(java.util.function.Supplier<Map<String, Object>> supplier) {
        this.policyStore = supplier;
    }

    /** The {@code state} JSON; {@code online=false} is the last will's payload. */
    public String stateJson(boolean online) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("robot_id", topics.robotId());
        m.put("online", online);
        if (online) {
            SafetyState s = status.safetyState();
            m.put("state", s.wireName());
            m.put("armed", s == SafetyState.ARMED);
            m.put("safe_reason", s == SafetyState.SAFE ? status.safetyReason().wireName() : null);
            m.put("phase", status.phase().wireName());
            m.put("policy_sha256", status.policySha256());
            m.put("policy_version", status.policySha256() == null ? null : status.policyVersion());
            m.put("rate_hz", Math.round(1e9 / status.periodNs() * 1000.0) / 1000.0);
            m.put("last_seq", status.lastAppliedSequence());
            java.util.function.Supplier<Map<String, Object>> store = policyStore;
            if (store != null) {
                m.put("policy_store", store.get());
            }
        }
        return dev.chromatic.runtime.json.Json.write(m);
    }

    /** The last will: the retained state a broker publishes when the robot vanishes. */
    public static String offlineJson(String robotId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("robot_id", robotId);
        m.put("online", false);
        return dev.chromatic.runtime.json.Json.write(m);
    }

    private int drainEvents() {
        int n = 0;
        while (n < MAX_EVENTS_PER_TICK && loopEvents.poll(event)) {
            sendEvent(eventJson(event));
            n++;
        }
        String text;
        while (n < 2 * MAX_EVENTS_PER_TICK && (text = outbox.poll()) != null) {
            sendEvent(text);
            n++;
        }
        return n;
    }

    private void sendEvent(String json) {
        if (publisher.publish(topics.events(), json.getBytes(StandardCharsets.UTF_8), 1, false)) {
            eventsSent++;
        } else {
            eventsUnsent++;
        }
    }

    /** The JSON of a loop event; the meaning of {@code value} depends on the kind. */
    public static String eventJson(LoopEvent e) {
        EventKind kind = EventKind.of(e.kind);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", kind.wireName());
        m.put("reason", Reason.of(e.reason).wireName());
        m.put("cycle", e.cycle);
        m.put("time_ns", e.timeNs);
        m.put("time_ms", System.currentTimeMillis());
        switch (kind) {
            case ARMED, ARM_REFUSED, DISARMED, RESET, RESET_REFUSED -> m.put("seq", e.value);
            case RATE_CHANGED, RATE_REFUSED -> m.put("hz", e.value);
            case POLICY_INSTALLED -> m.put("policy_version", e.value);
            case OVERRUN -> m.put("epoch", CycleEpoch.of((int) e.value).wireName());
            case HANDED_OVER -> m.put("settle_wait_ms", e.value);
            default -> { }
        }
        return dev.chromatic.runtime.json.Json.write(m);
    }

    private void flush() {
        int n = batchCount;
        batchCount = 0;
        TelemetryEncoder.BatchInfo info = new TelemetryEncoder.BatchInfo(topics.robotId(), batchNumber + 1,
                status.periodNs(), decimation, samples.dropped() + samplesUnsent, status.overruns(),
                status.missedPeriods());
        byte[] bytes = encoder.encode(info, batch, n);
        if (publisher.isConnected() && publisher.publish(topics.telemetry(), bytes, 0, false)) {
            batchNumber++;
            batchesSent++;
            samplesSent += n;
        } else {
            samplesUnsent += n;
        }
    }

    /** Publishes the final state (online=false) before a clean shutdown; false if it could not. */
    public boolean publishOffline() {
        return publisher.isConnected()
                && publisher.publish(topics.state(), offlineJson(topics.robotId()).getBytes(StandardCharsets.UTF_8), 1, true);
    }

    public long samplesSent() {
        return samplesSent;
    }

    /** Samples lost: overwritten in the ring (reader thread's count) plus batches that could not be sent. */
    public long samplesDropped() {
        return samples.dropped() + samplesUnsent;
    }

    /** JSON telemetry messages handed to the publisher. */
    public long jsonSent() {
        return jsonSent;
    }

    /** JSON telemetry messages that could not be sent (disconnected, in-flight window full). */
    public long jsonUnsent() {
        return jsonUnsent;
    }

    public long batchesSent() {
        return batchesSent;
    }

    public long eventsSent() {
        return eventsSent;
    }

    public long eventsUnsent() {
        return eventsUnsent;
    }

    public long statesSent() {
        return statesSent;
    }
}
