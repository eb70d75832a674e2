package dev.chromatic.runtime.json;

/** A message is not the JSON we accept; the message says what and where. */
public class JsonFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public JsonFormatException(String message) {
        super(message);
    }
}
