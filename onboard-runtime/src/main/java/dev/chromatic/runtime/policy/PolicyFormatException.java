package dev.chromatic.runtime.policy;

/**
 * The one checked exception for a bad policy: wrong envelope, failed integrity or signature check,
 * malformed payload or an invalid value. The message names the field (or check) that failed.
 */
public class PolicyFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    public PolicyFormatException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public PolicyFormatException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** The field or check that failed, e.g. {@code sha256} or {@code edge_colors[1][7]}. */
    public String field() {
        return field;
    }
}
