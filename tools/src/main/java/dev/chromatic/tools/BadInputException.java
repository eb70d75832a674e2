package dev.chromatic.tools;

/** A user-supplied argument, file or setting is wrong; the CLI exits with code 2 and this message. */
public class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
