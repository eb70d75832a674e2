package dev.chromatic.hal.device;

import dev.chromatic.hal.RobotSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * The servo calibration of one robot, stored as a properties file next to its robot.properties
 * (written by {@code chromatic calibrate}):
 * <pre>
 *   calibration.robot=minitaur
 *   pca9685.oscillatorHz=25000000
 *   joint.front_left_a.channel=0
 *   joint.front_left_a.zeroPulseUs=512.3
 *   joint.front_left_a.direction=1
 *   joint.front_left_a.usPerRad=636.62
 *   joint.front_left_a.minPulseUs=500
 *   joint.front_left_a.maxPulseUs=2500
 *   ... one block per motor of the spec
 * </pre>
 * The motors must sit on consecutive PCA9685 channels (any order) so one burst writes them all.
 * Immutable.
 */
public final class Calibration {

    /** Pulse range of a typical hobby servo: 2000 us over pi rad. */
    public static final double DEFAULT_US_PER_RAD = 2000.0 / Math.PI;

    private final String robot;
    private final double oscillatorHz;
    private final JointCalibration[] joints;
    private final int firstChannel;

    public Calibration(RobotSpec spec, double oscillatorHz, JointCalibration[] joints) {
        if (joints.length != spec.motorCount()) {
            throw new IllegalArgumentException("calibration has " + joints.length + " joints, the robot "
                    + spec.motorCount());
        }
        if (!(oscillatorHz >= 20e6 && oscillatorHz <= 30e6)) {
            throw new IllegalArgumentException("pca9685.oscillatorHz must lie in 20e6..30e6, was " + oscillatorHz);
        }
        int first = Integer.MAX_VALUE;
        for (JointCalibration j : joints) {
            first = Math.min(first, j.channel);
        }
        boolean[] used = new boolean[joints.length];
        for (int m = 0; m < joints.length; m++) {
            int offset = joints[m].channel - first;
            if (offset >= joints.length || used[offset]) {
                throw new IllegalArgumentException("joint." + spec.motorName(m) + ".channel: the " + joints.length
                        + " motors need distinct consecutive channels, got " + joints[m].channel);
            }
            used[offset] = true;
        }
        this.robot = spec.name();
        this.oscillatorHz = oscillatorHz;
        this.joints = joints.clone();
        this.firstChannel = first;
    }

    /**
     * A starting point before calibration: motor {@code m} on channel {@code m}, 2000 us per pi
     * rad, the middle of the motor's range at 1500 us, pulses limited to 500..2500 us.
     */
    public static Calibration defaults(RobotSpec spec) {
        JointCalibration[] joints = new JointCalibration[spec.motorCount()];
        for (int m = 0; m < joints.length; m++) {
            double middleRad = 0.5 * (spec.minPositionRad(m) + spec.maxPositionRad(m));
            double zero = 1500.0 - DEFAULT_US_PER_RAD * middleRad;
            joints[m] = new JointCalibration(spec.motorName(m), m, zero, 1, DEFAULT_US_PER_RAD, 500, 2500);
        }
        return new Calibration(spec, Pca9685.INTERNAL_OSCILLATOR_HZ, joints);
    }

    public String robot() {
        return robot;
    }

    public double oscillatorHz() {
        return oscillatorHz;
    }

    /** Motors calibrated (the robot's motor count). */
    public int motorCount() {
        return joints.length;
    }

    /** Calibration of motor {@code motor} (spec order). */
    public JointCalibration joint(int motor) {
        return joints[motor];
    }

    /** Lowest channel used; the motors occupy {@code firstChannel .. firstChannel + motorCount - 1}. */
    public int firstChannel() {
        return firstChannel;
    }

    /** A copy with one joint replaced. */
    public Calibration withJoint(RobotSpec spec, int motor, JointCalibration joint) {
        JointCalibration[] copy = joints.clone();
        copy[motor] = joint;
        return new Calibration(spec, oscillatorHz, copy);
    }

    /** A copy with another oscillator frequency. */
    public Calibration withOscillatorHz(RobotSpec spec, double hz) {
        return new Calibration(spec, hz, joints);
    }

    /** Reads and checks a calibration file; messages name the file and the key. */
    public static Calibration load(Path file, RobotSpec spec) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, spec, file.toString());
        }
    }

    /** Parses calibration text (see the class comment); {@code source} names it in messages. */
    public static Calibration parse(Reader text, RobotSpec spec, String source) throws IOException {
        Properties p = new Properties();
        p.load(text);
        try {
            String robot = require(p, "calibration.robot");
            if (!robot.equals(spec.name())) {
                throw new IllegalArgumentException("calibration.robot is '" + robot + "', expected '" + spec.name() + "'");
            }
            double osc = number(p, "pca9685.oscillatorHz");
            JointCalibration[] joints = new JointCalibration[spec.motorCount()];
            for (int m = 0; m < joints.length; m++) {
                String name = spec.motorName(m);
                String key = "joint." + name + ".";
                joints[m] = new JointCalibration(name,
                        integer(p, key + "channel"),
                        number(p, key + "zeroPulseUs"),
                        integer(p, key + "direction"),
                        number(p, key + "usPerRad"),
                        number(p, key + "minPulseUs"),
                        number(p, key + "maxPulseUs"));
            }
            return new Calibration(spec, osc, joints);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** The file text, motors in spec order. */
    public String format(RobotSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Servo calibration of one ").append(robot).append(" robot (chromatic calibrate).\n");
        sb.append("# pulseUs = zeroPulseUs + direction * usPerRad * angleRad, clamped to [minPulseUs, maxPulseUs]\n");
        sb.append("calibration.robot=").append(robot).append('\n');
        sb.append("pca9685.oscillatorHz=").append(fmt(oscillatorHz)).append('\n');
        for (int m = 0; m < joints.length; m++) {
            JointCalibration j = joints[m];
            String key = "joint." + spec.motorName(m) + ".";
            sb.append(key).append("channel=").append(j.channel).append('\n');
            sb.append(key).append("zeroPulseUs=").append(fmt(j.zeroPulseUs)).append('\n');
            sb.append(key).append("direction=").append(j.direction).append('\n');
            sb.append(key).append("usPerRad=").append(fmt(j.usPerRad)).append('\n');
            sb.append(key).append("minPulseUs=").append(fmt(j.minPulseUs)).append('\n');
            sb.append(key).append("maxPulseUs=").append(fmt(j.maxPulseUs)).append('\n');
        }
        return sb.toString();
    }

    /** Writes the file atomically: a temporary file next to it, then a rename. */
    public void save(Path file, RobotSpec spec) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, format(spec), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Parses {@link #format} output again (used by tests and the calibrate command). */
    public static Calibration fromText(String text, RobotSpec spec) throws IOException {
        return parse(new StringReader(text), spec, "calibration");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
    }

    private static String require(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return v.trim();
    }

    private static double number(Properties p, String key) {
        String v = require(p, key);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + v + "'");
        }
    }

    private static int integer(Properties p, String key) {
        String v = require(p, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not an integer: '" + v + "'");
        }
    }
}
