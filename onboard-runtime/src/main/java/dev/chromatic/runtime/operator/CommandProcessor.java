package dev.chromatic.runtime.operator;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.agent.Agent;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.command.OperatorLink;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Screens the robot's {@code cmd} topic, cheapest checks first, and hands what survives to the loop.
 *
 * <p>On the messaging thread ({@link #onMessage}): the size cap, a bounded parse, and then an
 * {@code estop} (any JSON object whose {@code cmd} is {@code "estop"}, signed or not) is applied at
 * once through {@link CommandMailbox#requestEstop}, never rate-limited. Everything else passes a
 * token bucket, then a check of its fields (no {@code force}, a signature present, this robot's
 * id, a known key), and waits in a small bounded queue.
 *
 * <p>On the verifier's thread ({@link #doWork}, never the loop): the per-key counter must exceed the
 * last accepted one (replay), a second token bucket caps signature verifications per second, the
 * Ed25519 signature is checked, the counter is persisted (heartbeats lazily, at most once a second:
 * a replayed heartbeat cannot arm anything) and the command goes to the mailbox. Every refusal is a
 * {@code command_rejected} event naming the reason ({@link Rejection}); beyond 20 a second they are
 * summed up once a second in a {@code commands_rejected} event. Never throws.
 */
public final class CommandProcessor implements Agent {

    /** What became of one message at the gate. */
    public enum Outcome { ESTOP, QUEUED, REJECTED }

    private static final Set<String> FIELDS = Set.of("robot", "key", "ctr", "cmd", "hz", "sig");
    private static final int QUEUE = 32;
    private static final int EVENTS_PER_SECOND = 20;
    private static final long SECOND_NS = 1_000_000_000L;

    private record Pending(SignedCommand command, int estopGeneration) {
    }

    private final String robotId;
    private final CommandMailbox mailbox;
    private final OperatorLink link;
    private final EventOutbox events;
    private final NanoClock clock;
    private final CommandSettings settings;
    private final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLongArray rejected = new AtomicLongArray(Rejection.values().length);
    private final AtomicLong estops = new AtomicLong();
    private volatile long lastEstopNs;
    private final AtomicLong accepted = new AtomicLong();
    private final TokenBucket gate;
    private final TokenBucket verifies;
    private final long[] unreported = new long[Rejection.values().length];
    private long reportWindowNs;
    private int reportedInWindow;
    private long lastFlushNs;

    public CommandProcessor(String robotId, CommandMailbox mailbox, OperatorLink link, EventOutbox events,
                            NanoClock clock, CommandSettings settings) {
        this.robotId = robotId;
        this.mailbox = mailbox;
        this.link = link;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        long now = clock.nanoTime();
        this.gate = new TokenBucket(settings.maxPerSecond(), now);
        this.verifies = new TokenBucket(settings.maxVerifiesPerSecond(), now);
        this.reportWindowNs = now;
        this.lastFlushNs = now;
    }

    @Override
    public String roleName() {
        return "commands";
    }

    /** Messaging thread: a retained message arrived on {@code cmd}; it is ignored and reported. */
    public void onRetained(int bytes) {
        reject(Rejection.RETAINED, "a retained message (" + bytes + " bytes) is not a live command", null, null);
    }

    /** Messaging thread: screens one message; an E-stop is applied before this returns. */
    public synchronized Outcome onMessage(byte[] payload) {
        if (payload.length > settings.maxBytes()) {
            return reject(Rejection.TOO_LARGE, payload.length + " bytes (max " + settings.maxBytes() + ")", null, null);
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(payload);
        } catch (JsonFormatException e) {
            return reject(Rejection.MALFORMED, e.getMessage(), null, null);
        } catch (RuntimeException e) {
            return reject(Rejection.MALFORMED, "unreadable: " + e.getClass().getSimpleName(), null, null);
        }
        if ("estop".equals(m.get("cmd"))) {
            mailbox.requestEstop();
            lastEstopNs = clock.nanoTime();
            estops.incrementAndGet();
            return Outcome.ESTOP;
        }
        if (!gate.take(clock.nanoTime())) {
            return reject(Rejection.RATE_LIMITED, "more than " + settings.maxPerSecond() + " commands/s", null, null);
        }
        SignedCommand c;
        try {
            c = read(m);
        } catch (Refused r) {
            return rejectClaimed(r.why, r.getMessage(), m);
        }
        if (settings.keys().get(c.keyId()) == null) {
            return reject(Rejection.UNKNOWN_KEY, settings.keys().size() == 0
                    ? "this robot has no operator keys (cmd.operator_keys): only estop is accepted"
                    : "key " + c.keyId() + " is not an operator key of this robot", c.kind().wireName(), c);
        }
        if (!queue.offer(new Pending(c, (int) mailbox.estopRequests()))) {
            return reject(Rejection.QUEUE_FULL, "more than " + QUEUE + " commands waiting for verification", c.kind().wireName(), c);
        }
        return Outcome.QUEUED;
    }

    private SignedCommand read(Map<String, Object> m) throws Refused {
        if (m.containsKey("force")) {
            throw new Refused(Rejection.FORBIDDEN, "\"force\" is not accepted from the network (loop.force_rate is set on the robot)");
        }
        if (!m.containsKey("sig")) {
            throw new Refused(Rejection.UNSIGNED, "only estop is accepted without a signature");
        }
        for (String k : m.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new Refused(Rejection.MALFORMED, "unknown field \"" + k + "\"");
            }
        }
        Object robot = m.get("robot");
        if (!(robot instanceof String r)) {
            throw new Refused(Rejection.MALFORMED, robot == null ? "missing field \"robot\"" : "field \"robot\" must be a string");
        }
        if (!r.equals(robotId)) {
            throw new Refused(Rejection.WRONG_ROBOT, "for robot \"" + (r.length() > 64 ? r.substring(0, 64) + "..." : r)
                    + "\", this is \"" + robotId + "\"");
        }
        Object cmd = m.get("cmd");
        if (!(cmd instanceof String name)) {
            throw new Refused(Rejection.MALFORMED, cmd == null ? "missing field \"cmd\"" : "field \"cmd\" must be a string");
        }
        CommandKind kind = CommandKind.byWireName(name);
        if (kind == null) {
            throw new Refused(Rejection.MALFORMED, "unknown command (arm, disarm, estop, reset, heartbeat, set-rate)");
        }
        Object key = m.get("key");
        if (!(key instanceof String keyId) || !keyId.matches("[0-9a-f]{16}")) {
            throw new Refused(Rejection.MALFORMED, "field \"key\" must be a key id of 16 hex digits");
        }
        Object ctr = m.get("ctr");
        if (!(ctr instanceof Long counter) || counter < 1 || counter > SignedCommand.MAX_COUNTER) {
            throw new Refused(Rejection.MALFORMED, "field \"ctr\" must be an integer in 1.." + SignedCommand.MAX_COUNTER);
        }
        Object hz = m.get("hz");
        int rate = 0;
        if (kind == CommandKind.SET_RATE) {
            if (!(hz instanceof Long h) || h < 50 || h > 1000) {
                throw new Refused(Rejection.MALFORMED, "set-rate needs \"hz\", an integer in 50..1000");
            }
            rate = (int) (long) h;
        } else if (hz != null) {
            throw new Refused(Rejection.MALFORMED, "field \"hz\" belongs to set-rate only");
        }
        Object sig = m.get("sig");
        byte[] signature;
        try {
            signature = sig instanceof String s ? Base64.getDecoder().decode(s) : null;
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        if (signature == null || signature.length != SignedCommand.SIGNATURE_BYTES) {
            throw new Refused(Rejection.MALFORMED, "field \"sig\" must be a base64 Ed25519 signature of 64 bytes");
        }
        return new SignedCommand(robotId, keyId, counter, kind, rate, signature);
    }

    /** Verifier thread: checks queued commands and hands the good ones to the loop. */
    @Override
    public int doWork() {
        int n = 0;
        Pending p;
        while (n < QUEUE && (p = queue.poll()) != null) {
            verify(p);
            n++;
        }
        long now = clock.nanoTime();
        if (now - lastFlushNs >= SECOND_NS) {
            lastFlushNs = now;
            try {
                settings.counters().flush();
            } catch (IOException e) {
                reject(Rejection.COUNTER_NOT_SAVED, "heartbeat counters: " + e.getMessage(), null, null);
            }
            reportSummary(now);
        }
        return n;
    }

    private void verify(Pending p) {
        SignedCommand c = p.command();
        String kind = c.kind().wireName();
        CounterStore counters = settings.counters();
        long last = counters.last(c.keyId());
        if (c.counter() <= last) {
            reject(Rejection.REPLAY, "counter " + c.counter() + " is not above the last accepted " + last, kind, c);
            return;
        }
        if (!verifies.take(clock.nanoTime())) {
            reject(Rejection.RATE_LIMITED, "more than " + settings.maxVerifiesPerSecond() + " signature checks/s", kind, c);
            return;
        }
        PublicKey key = settings.keys().get(c.keyId());
        if (key == null || !c.verify(key)) {
            reject(Rejection.BAD_SIGNATURE, "the signature does not match key " + c.keyId(), kind, c);
            return;
        }
        try {
            if (c.kind() == CommandKind.HEARTBEAT) {
                counters.acceptVolatile(c.keyId(), c.counter());
            } else {
                counters.acceptDurable(c.keyId(), c.counter());
            }
        } catch (IOException e) {
            reject(Rejection.COUNTER_NOT_SAVED, "cannot persist the counter: " + e.getMessage(), kind, c);
            return;
        }
        link.contact();
        if (c.kind() == CommandKind.HEARTBEAT) {
            accepted.incrementAndGet();
            return;
        }
        int argument = switch (c.kind()) {
            case SET_RATE -> c.hz();
            case RESET -> p.estopGeneration();
            default -> 0;
        };
        if (!mailbox.offer(c.counter(), CommandMailbox.op(c.kind(), argument, false))) {
            reject(Rejection.QUEUE_FULL, "the loop's command queue is full", kind, c);
            return;
        }
        accepted.incrementAndGet();
    }

    /** As below, naming the key and counter a refused message claimed, when they are well formed. */
    private Outcome rejectClaimed(Rejection why, String detail, Map<String, Object> m) {
        Object cmd = m.get("cmd");
        Object key = m.get("key");
        Object ctr = m.get("ctr");
        if (key instanceof String k && k.matches("[0-9a-f]{16}") && ctr instanceof Long n) {
            return reject(why, detail, cmd, new SignedCommand(robotId, k, n, CommandKind.HEARTBEAT, 0, null));
        }
        return reject(why, detail, cmd, (SignedCommand) null);
    }

    private Outcome reject(Rejection why, String detail, Object cmd, SignedCommand c) {
        rejected.incrementAndGet(why.ordinal());
        synchronized (unreported) {
            long now = clock.nanoTime();
            if (now - reportWindowNs >= SECOND_NS) {
                reportSummary(now);
            }
            if (reportedInWindow >= EVENTS_PER_SECOND) {
                unreported[why.ordinal()]++;
                return Outcome.REJECTED;
            }
            reportedInWindow++;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", "command_rejected");
        e.put("reason", why.wireName());
        e.put("detail", detail);
        if (cmd instanceof String s && s.length() <= 16) {
            e.put("cmd", s);
        }
        if (c != null) {
            e.put("key", c.keyId());
            e.put("ctr", c.counter());
        }
        e.put("time_ms", System.currentTimeMillis());
        events.offer(Json.write(e));
        return Outcome.REJECTED;
    }

    private void reportSummary(long now) {
        synchronized (unreported) {
            Map<String, Object> counts = new LinkedHashMap<>();
            for (Rejection r : Rejection.values()) {
                if (unreported[r.ordinal()] > 0) {
                    counts.put(r.wireName(), unreported[r.ordinal()]);
                    unreported[r.ordinal()] = 0;
                }
            }
            if (now - reportWindowNs >= SECOND_NS) {
                reportWindowNs = now;
                reportedInWindow = 0;
            }
            if (counts.isEmpty()) {
                return;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("event", "commands_rejected");
            e.put("counts", counts);
            e.put("time_ms", System.currentTimeMillis());
            events.offer(Json.write(e));
        }
    }

    /** Commands refused for {@code why} so far (any thread). */
    public long rejected(Rejection why) {
        return rejected.get(why.ordinal());
    }

    /** Every refusal so far. */
    public long rejectedTotal() {
        long n = 0;
        for (int i = 0; i < rejected.length(); i++) {
            n += rejected.get(i);
        }
        return n;
    }

    /** Signed commands verified and handed on (heartbeats included). */
    public long accepted() {
        return accepted.get();
    }

    /** E-stops applied. */
    public long estops() {
        return estops.get();
    }

    /** When the last E-stop was handed to the loop (this processor's clock), 0 before any. */
    public long lastEstopNs() {
        return lastEstopNs;
    }

    /** Commands waiting for verification. */
    public int pending() {
        return queue.size();
    }

    public CommandSettings settings() {
        return settings;
    }

    /** A field check failed; carries the reason. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Rejection why;

        Refused(Rejection why, String message) {
            super(message, null, false, false);
            this.why = why;
        }
    }

    /** tokens += rate * dt, capped at one second's worth; one token per message. */
    private static final class TokenBucket {
        private final int perSecond;
        private double tokens;
        private long lastNs;

        TokenBucket(int perSecond, long nowNs) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
            this.lastNs = nowNs;
        }

        synchronized boolean take(long nowNs) {
            tokens = Math.min(perSecond, tokens + (nowNs - lastNs) * 1e-9 * perSecond);
            lastNs = nowNs;
            if (tokens < 1.0) {
                return false;
            }
            tokens -= 1.0;
            return true;
        }
    }
}
