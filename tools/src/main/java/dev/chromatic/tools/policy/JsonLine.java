package dev.chromatic.tools.policy;

import java.util.Locale;

/** Builds one JSON object on one line, in insertion order. Numbers must be finite; strings are escaped. */
public final class JsonLine {

    private final StringBuilder sb = new StringBuilder("{");

    public JsonLine put(String key, String value) {
        key(key);
        if (value == null) {
            sb.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    public JsonLine put(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    public JsonLine put(String key, double value) {
        key(key);
        sb.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value).trim() : "null");
        return this;
    }

    public JsonLine put(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    public JsonLine put(String key, int[] values) {
        key(key);
        sb.append('[');
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        sb.append(']');
        return this;
    }

    /** Embeds another object. */
    public JsonLine put(String key, JsonLine object) {
        key(key);
        sb.append(object.toString());
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    private void key(String key) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        quote(key);
        sb.append(':');
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
