package dev.chromatic.runtime.telemetry;

import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one telemetry sample as a flat JSON object for the {@code telemetry/json} topic (see
 * docs/mqtt.md): every key carries its unit in its name, numbers are plain decimals (non-finite
 * values become {@code null}), and {@code timestamp} is the sample's loop-clock time in seconds.
 * Writes into one buffer sized at construction for the largest sample: encoding allocates nothing.
 * Not thread-safe; the telemetry agent owns one.
 */
public final class TelemetryJsonEncoder {

    /** Digits after the point for angles, rates and actions (1 µrad). */
    private static final int ANGLE_DECIMALS = 6;
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};
    /** Longest number this encoder writes: sign, 19 digits, point, 9 decimals, exponent. */
    private static final int MAX_NUMBER_BYTES = 40;

    private final byte[] robotIdField;
    private final byte[][] actionKeys;
    private final byte[][] targetKeys;
    private final byte[][] angleKeys;
    private final byte[][] stateNames;
    private final byte[][] reasonNames;
    private final byte[][] phaseNames;
    private final byte[] buf;
    private final byte[] digits = new byte[20];
    private int len;

    /**
     * @param robotId written into every message as {@code robot_id}
     * @param actionCapacity most action entries a sample can hold
     * @param motorCount motor targets and angles per sample
     */
    public TelemetryJsonEncoder(String robotId, int actionCapacity, int motorCount) {
        if (!Topics.isValidRobotId(robotId)) {
            throw new IllegalArgumentException("robot id must be 1-64 of [A-Za-z0-9_-], was \"" + robotId + "\"");
        }
        if (actionCapacity < 0 || actionCapacity > 1024 || motorCount < 0 || motorCount > 1024) {
            throw new IllegalArgumentException("action capacity and motor count must be in 0..1024, were "
                    + actionCapacity + " and " + motorCount);
        }
        robotIdField = ascii("\"robot_id\":\"" + robotId + "\"");
        actionKeys = keys("action_", actionCapacity, "");
        targetKeys = keys("motor_target_rad_", motorCount, "");
        angleKeys = keys("motor_angle_rad_", motorCount, "");
        stateNames = new byte[SafetyState.values().length][];
        for (SafetyState s : SafetyState.values()) {
            stateNames[s.ordinal()] = ascii(s.wireName());
        }
        reasonNames = new byte[Reason.values().length][];
        for (Reason r : Reason.values()) {
            reasonNames[r.ordinal()] = ascii(r.wireName());
        }
        phaseNames = new byte[Phase.values().length][];
        for (Phase p : Phase.values()) {
            phaseNames[p.ordinal()] = ascii(p.wireName());
        }
        int numbers = 16 + actionCapacity + 2 * motorCount;
        buf = new byte[512 + robotIdField.length + numbers * (MAX_NUMBER_BYTES + 24)];
    }

    /**
     * Encodes {@code s}; the result is {@link #buffer()}{@code [0..length)}, valid until the next call.
     *
     * @param periodNs the loop's period
     * @param overruns overruns counted so far
     * @param dropped telemetry samples lost so far
     * @return the length in bytes
     */
    public int encode(TelemetrySample s, long periodNs, long overruns, long dropped) {
        len = 0;
        raw("{\"timestamp\":");
        fixed(s.timeNs * 1e-9, 6);
        comma();
        bytes(robotIdField);
        key("cycle");
        integer(s.cycle);
        key("state");
        name(stateNames, s.state);
        key("safe_reason");
        name(reasonNames, s.state == SafetyState.SAFE.ordinal() ? s.reason : Reason.NONE.ordinal());
        key("phase");
        name(phaseNames, s.phase);
        key("roll_rad");
        fixed(s.rollRad, ANGLE_DECIMALS);
        key("pitch_rad");
        fixed(s.pitchRad, ANGLE_DECIMALS);
        key("roll_rate_rad_s");
        fixed(s.rollRateRadS, ANGLE_DECIMALS);
        key("pitch_rate_rad_s");
        fixed(s.pitchRateRadS, ANGLE_DECIMALS);
        key("lateness_us");
        fixed(s.latenessNs * 1e-3, 3);
        key("cycle_us");
        fixed(s.cycleNs * 1e-3, 3);
        key("loop_period_us");
        fixed(periodNs * 1e-3, 3);
        key("overruns");
        integer(overruns);
        key("samples_dropped");
        integer(dropped);
        int actions = Math.min(s.actionLength, actionKeys.length);
        for (int i = 0; i < actions; i++) {
            comma();
            bytes(actionKeys[i]);
            fixed(s.action[i], ANGLE_DECIMALS);
        }
        int motors = Math.min(s.motorTargetRad.length, targetKeys.length);
        for (int i = 0; i < motors; i++) {
            comma();
            bytes(targetKeys[i]);
            fixed(s.motorTargetRad[i], ANGLE_DECIMALS);
        }
        motors = Math.min(s.motorAngleRad.length, angleKeys.length);
        for (int i = 0; i < motors; i++) {
            comma();
            bytes(angleKeys[i]);
            fixed(s.motorAngleRad[i], ANGLE_DECIMALS);
        }
        buf[len++] = '}';
        return len;
    }

    /** The buffer {@link #encode} wrote into. */
    public byte[] buffer() {
        return buf;
    }

    private static byte[][] keys(String prefix, int n, String suffix) {
        byte[][] k = new byte[n][];
        for (int i = 0; i < n; i++) {
            k[i] = ascii("\"" + prefix + i + suffix + "\":");
        }
        return k;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void comma() {
        buf[len++] = ',';
    }

    /** {@code ,"name":} for a constant name (ASCII, no escaping needed). */
    private void key(String name) {
        buf[len++] = ',';
        buf[len++] = '"';
        raw(name);
        buf[len++] = '"';
        buf[len++] = ':';
    }

    private void raw(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    private void bytes(byte[] b) {
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void name(byte[][] names, int ordinal) {
        buf[len++] = '"';
        if (ordinal >= 0 && ordinal < names.length) {
            bytes(names[ordinal]);
        } else {
            raw("unknown");
        }
        buf[len++] = '"';
    }

    private void integer(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                raw("-9223372036854775808");
                return;
            }
            buf[len++] = '-';
            v = -v;
        }
        int n = 0;
        do {
            digits[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n > 0) {
            buf[len++] = digits[--n];
        }
    }

    /** {@code v} rounded to {@code decimals} places, trailing zeros dropped; null when not finite. */
    void fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            raw("null");
            return;
        }
        double abs = Math.abs(v);
        long scale = POW10[decimals];
        if (abs >= 1e18 / scale) {
            int exp = (int) Math.floor(Math.log10(abs));
            fixed(v / Math.pow(10, exp), 6);
            buf[len++] = 'e';
            integer(exp);
            return;
        }
        long units = Math.round(abs * scale);
        if (units == 0) {
            buf[len++] = '0';
            return;
        }
        if (v < 0) {
            buf[len++] = '-';
        }
        integer(units / scale);
        long frac = units % scale;
        if (frac != 0) {
            int places = decimals;
            while (frac % 10 == 0) {
                frac /= 10;
                places--;
            }
            buf[len++] = '.';
            int n = 0;
            for (int i = 0; i < places; i++) {
                digits[n++] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            while (n > 0) {
                buf[len++] = digits[--n];
            }
        }
    }

    /** Test access to {@link #fixed}: the text of one number. */
    String numberText(double v, int decimals) {
        len = 0;
        fixed(v, decimals);
        return new String(buf, 0, len, StandardCharsets.US_ASCII);
    }
}
