package dev.chromatic.runtime.config;

/** A robot.properties value is missing or wrong; the message starts with the key. */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
