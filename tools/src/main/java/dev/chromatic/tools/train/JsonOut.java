package dev.chromatic.tools.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds one flat JSON object by hand (strings, numbers, booleans), keys in insertion order. */
final class JsonOut {

    private final Map<String, String> fields = new LinkedHashMap<>();

    JsonOut put(String key, String value) {
        fields.put(key, value == null ? "null" : quote(value));
        return this;
    }

    JsonOut put(String key, double value) {
        fields.put(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
        return this;
    }

    JsonOut put(String key, long value) {
        fields.put(key, Long.toString(value));
        return this;
    }

    JsonOut put(String key, boolean value) {
        fields.put(key, Boolean.toString(value));
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(quote(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
