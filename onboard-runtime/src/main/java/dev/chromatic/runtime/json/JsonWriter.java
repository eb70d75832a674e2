package dev.chromatic.runtime.json;

/**
 * Writes one flat-or-nested JSON object by hand: {@code new JsonWriter().put("a", 1).put("b", "x").end()}.
 * Strings are escaped; non-finite numbers become {@code null}. Not thread-safe.
 */
public final class JsonWriter {

    private final StringBuilder sb = new StringBuilder(256).append('{');
    private boolean first = true;

    private JsonWriter key(String k) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        Json.quote(sb, k);
        sb.append(':');
        return this;
    }

    public JsonWriter put(String k, String v) {
        key(k);
        if (v == null) {
            sb.append("null");
        } else {
            Json.quote(sb, v);
        }
        return this;
    }

    public JsonWriter put(String k, long v) {
        key(k).sb.append(v);
        return this;
    }

    public JsonWriter put(String k, double v) {
        key(k);
        if (Double.isFinite(v)) {
            sb.append(v);
        } else {
            sb.append("null");
        }
        return this;
    }

    public JsonWriter put(String k, boolean v) {
        key(k).sb.append(v);
        return this;
    }

    /** Inserts an already-encoded JSON value (object, array, number) under {@code k}. */
    public JsonWriter putRaw(String k, String json) {
        key(k).sb.append(json == null ? "null" : json);
        return this;
    }

    /** An array of integers. */
    public JsonWriter put(String k, int[] values) {
        key(k).sb.append('[');
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        sb.append(']');
        return this;
    }

    /** A nested object. */
    public JsonWriter put(String k, JsonWriter object) {
        key(k).sb.append(object == null ? "null" : object.end());
        return this;
    }

    /** The object written so far, closed; the writer stays usable. */
    public String end() {
        return sb + "}";
    }

    @Override
    public String toString() {
        return end();
    }
}
