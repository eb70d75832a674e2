package dev.chromatic.runtime.telemetry;

import java.util.regex.Pattern;

/** The MQTT topics of one robot: {@code chromatic/<robot-id>/{state,telemetry,events,cmd}}. */
public final class Topics {

    private static final Pattern ROBOT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String robotId;
    private final String prefix;

    public Topics(String robotId) {
        if (!isValidRobotId(robotId)) {
            throw new IllegalArgumentException("robot id must be 1-64 of [A-Za-z0-9_-], was \"" + robotId + "\"");
        }
        this.robotId = robotId;
        this.prefix = "chromatic/" + robotId + "/";
    }

    public static boolean isValidRobotId(String id) {
        return id != null && ROBOT_ID.matcher(id).matches();
    }

    public String robotId() {
        return robotId;
    }

    /** Retained JSON: online/offline (last will), armed, safe-state reason, policy, rate. */
    public String state() {
        return prefix + "state";
    }

    /** FlatBuffers telemetry batches (QoS 0). */
    public String telemetry() {
        return prefix + "telemetry";
    }

    /** One JSON object per sample, decimated (QoS 0): for plotting and dashboard tools. */
    public String telemetryJson() {
        return prefix + "telemetry/json";
    }

    /** JSON events (QoS 1). */
    public String events() {
        return prefix + "events";
    }

    /** JSON commands to the robot. */
    public String cmd() {
        return prefix + "cmd";
    }

    /** Any other topic under the robot's prefix, e.g. {@code policy}. */
    public String sub(String name) {
        return prefix + name;
    }
}
