package dev.chromatic.runtime.update;

/**
 * Writes one flat-or-nested JSON object by hand: {@code new Json().put("a", 1).put("b", "x").end()}.
 * Strings are escaped; non-finite numbers become {@code null}. Not thread-safe.
 */
public final class Json {

    private final StringBuilder sb = new StringBuilder(256).append('{');
    private boolean first = true;

    private Json key(String k) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        quote(sb, k);
        sb.append(':');
        return this;
    }

    public Json put(String k, String v) {
        key(k);
        if (v == null) {
            sb.append("null");
        } else {
            quote(sb, v);
        }
        return this;
    }

    public Json put(String k, long v) {
        key(k).sb.append(v);
        return this;
    }

    public Json put(String k, double v) {
        key(k);
        if (Double.isFinite(v)) {
            sb.append(v);
        } else {
            sb.append("null");
        }
        return this;
    }

    public Json put(String k, boolean v) {
        key(k).sb.append(v);
        return this;
    }

    /** Inserts an already-encoded JSON value (object, array, number) under {@code k}. */
    public Json putRaw(String k, String json) {
        key(k).sb.append(json == null ? "null" : json);
        return this;
    }

    public String end() {
        return sb.append('}').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
