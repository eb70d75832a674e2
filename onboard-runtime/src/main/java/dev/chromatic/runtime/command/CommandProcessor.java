package dev.chromatic.runtime.command;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.events.EventOutbox;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code cmd} messages into mailbox entries for the loop. A message is a JSON object
 * {@code {"seq": N, "cmd": "arm"|"disarm"|"estop"|"reset"|"set-rate", "hz": H, "force": bool}}; the
 * sequence number must exceed every sequence already accepted, so duplicates and replays are applied
 * once. Malformed or unknown input is rejected with a {@code command_rejected} event naming the
 * problem. Messages beyond a rate limit are dropped unread (counted, reported once a second),
 * except anything mentioning {@code estop}. Runs
 * on the messaging thread, never the loop; never throws.
 */
public final class CommandProcessor {

    /** What became of one message. */
    public enum Outcome { ACCEPTED, DUPLICATE, MALFORMED, MAILBOX_FULL, RATE_LIMITED }

    /** Messages allowed per second (burst of the same size) before the rest is dropped unread. */
    public static final int DEFAULT_MAX_PER_SECOND = 200;

    private static final Set<String> KEYS = Set.of("seq", "cmd", "hz", "force");

    private final CommandMailbox mailbox;
    private final EventOutbox events;
    private final NanoClock clock;
    private final int maxPerSecond;
    private double tokens;
    private long lastRefillNs;
    private long lastLimitEventNs;
    private long limitedSinceEvent;
    private long rateLimited;
    private long lastAcceptedSeq;
    private long accepted;
    private long duplicates;
    private long malformed;
    private long full;

    public CommandProcessor(CommandMailbox mailbox, EventOutbox events) {
        this(mailbox, events, NanoClock.system(), DEFAULT_MAX_PER_SECOND);
    }

    /**
     * @param maxPerSecond token-bucket rate: a flood beyond it is dropped before parsing, so it costs
     *     neither CPU nor garbage; one {@code command_rate_limited} event per second reports the count
     */
    public CommandProcessor(CommandMailbox mailbox, EventOutbox events, NanoClock clock, int maxPerSecond) {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("maxPerSecond must be >= 1, was " + maxPerSecond);
        }
        this.mailbox = mailbox;
        this.events = events;
        this.clock = clock;
        this.maxPerSecond = maxPerSecond;
        this.tokens = maxPerSecond;
        this.lastRefillNs = clock.nanoTime();
        this.lastLimitEventNs = lastRefillNs;
    }

    /** Handles one raw message. */
    public synchronized Outcome onMessage(byte[] payload) {
        long nowNs = clock.nanoTime();
        // tokens += rate * dt, capped at one second's worth
        tokens = Math.min(maxPerSecond, tokens + (nowNs - lastRefillNs) * 1e-9 * maxPerSecond);
        lastRefillNs = nowNs;
        if (tokens < 1.0 && !mentionsEstop(payload)) {
            rateLimited++;
            limitedSinceEvent++;
            if (nowNs - lastLimitEventNs >= 1_000_000_000L) {
                reportRateLimit(nowNs);
            }
            return Outcome.RATE_LIMITED;
        }
        tokens = Math.max(0.0, tokens - 1.0);
        if (limitedSinceEvent > 0 && nowNs - lastLimitEventNs >= 1_000_000_000L) {
            reportRateLimit(nowNs);
        }
        Map<String, Object> m;
        long seq;
        long op;
        try {
            m = Json.parseObject(payload);
            seq = seqOf(m);
            op = opOf(m);
        } catch (JsonFormatException e) {
            malformed++;
            reject(e.getMessage(), -1);
            return Outcome.MALFORMED;
        } catch (RuntimeException e) {
            malformed++;
            reject("unreadable command: " + e.getClass().getSimpleName(), -1);
            return Outcome.MALFORMED;
        }
        if (seq <= lastAcceptedSeq) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (!mailbox.offer(seq, op)) {
            full++;
            reject("command queue full", seq);
            return Outcome.MAILBOX_FULL;
        }
        lastAcceptedSeq = seq;
        accepted++;
        return Outcome.ACCEPTED;
    }

    private static long seqOf(Map<String, Object> m) throws JsonFormatException {
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                throw new JsonFormatException("unknown field \"" + key + "\"");
            }
        }
        Object s = m.get("seq");
        if (!(s instanceof Long n)) {
            throw new JsonFormatException(s == null ? "missing field \"seq\"" : "field \"seq\" must be an integer");
        }
        if (n < 1) {
            throw new JsonFormatException("field \"seq\" must be >= 1, was " + n);
        }
        return n;
    }

    private static long opOf(Map<String, Object> m) throws JsonFormatException {
        Object c = m.get("cmd");
        if (!(c instanceof String name)) {
            throw new JsonFormatException(c == null ? "missing field \"cmd\"" : "field \"cmd\" must be a string");
        }
        CommandKind kind = CommandKind.byWireName(name);
        if (kind == null) {
            throw new JsonFormatException("unknown command \"" + name + "\" (arm, disarm, estop, reset, set-rate)");
        }
        Object f = m.get("force");
        if (f != null && !(f instanceof Boolean)) {
            throw new JsonFormatException("field \"force\" must be true or false");
        }
        boolean force = Boolean.TRUE.equals(f);
        Object hz = m.get("hz");
        if (kind == CommandKind.SET_RATE) {
            if (!(hz instanceof Long h)) {
                throw new JsonFormatException(hz == null ? "set-rate needs field \"hz\"" : "field \"hz\" must be an integer");
            }
            if (h < 50 || h > 1000) {
                throw new JsonFormatException("field \"hz\" must be in 50..1000, was " + h);
            }
            return CommandMailbox.op(kind, (int) (long) h, force);
        }
        if (hz != null) {
            throw new JsonFormatException("field \"hz\" belongs to set-rate only");
        }
        return CommandMailbox.op(kind, 0, force);
    }

    /** An E-stop is never rate-limited: a cheap scan for the bytes {@code estop} before parsing. */
    private static boolean mentionsEstop(byte[] p) {
        for (int i = 0; i + 5 <= p.length; i++) {
            if (p[i] == 'e' && p[i + 1] == 's' && p[i + 2] == 't' && p[i + 3] == 'o' && p[i + 4] == 'p') {
                return true;
            }
        }
        return false;
    }

    private void reportRateLimit(long nowNs) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", "command_rate_limited");
        e.put("reason", "more than " + maxPerSecond + " commands/s");
        e.put("dropped", limitedSinceEvent);
        e.put("time_ms", System.currentTimeMillis());
        events.offer(Json.write(e));
        limitedSinceEvent = 0;
        lastLimitEventNs = nowNs;
    }

    private void reject(String why, long seq) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", "command_rejected");
        e.put("reason", why);
        if (seq >= 0) {
            e.put("seq", seq);
        }
        e.put("time_ms", System.currentTimeMillis());
        events.offer(Json.write(e));
    }

    /** The highest sequence accepted so far (a client may continue from it after a restart). */
    public synchronized long lastAcceptedSeq() {
        return lastAcceptedSeq;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long malformed() {
        return malformed;
    }

    /** Messages dropped unread because they came faster than the allowed rate. */
    public synchronized long rateLimited() {
        return rateLimited;
    }

    public synchronized long mailboxFull() {
        return full;
    }
}
