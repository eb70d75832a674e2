package dev.chromatic.tools.hw;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.device.Calibration;
import dev.chromatic.hal.device.JointCalibration;
import dev.chromatic.hal.device.Pca9685;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The calibration walk-through: for each joint in turn, only that servo is powered; the person
 * nudges its pulse until the joint sits at the model's zero (upper link straight down) and
 * confirms; then the servo turns a test angle and the person says whether the leg opened (the
 * positive direction of the model). Reads answers line by line, so it runs from a script too.
 */
final class CalibrationSession {

    /** Angle of the direction test. */
    static final double TEST_ANGLE_RAD = 0.5;
    static final double SMALL_STEP_US = 10.0;
    static final double LARGE_STEP_US = 100.0;

    private final RobotSpec spec;
    private final Pca9685 pca;
    private final BufferedReader in;
    private final PrintStream out;
    private final double[] pulses;

    CalibrationSession(RobotSpec spec, Pca9685 pca, BufferedReader in, PrintStream out) {
        this.spec = spec;
        this.pca = pca;
        this.in = in;
        this.out = out;
        this.pulses = new double[spec.motorCount()];
    }

    /** Thrown when the person quits or the input ends: nothing is written. */
    static final class Aborted extends Exception {
        private static final long serialVersionUID = 1L;

        Aborted(String message) {
            super(message);
        }
    }

    /** Walks through {@code motors} (spec indices) starting from {@code start}; returns the new calibration. */
    Calibration run(Calibration start, int[] motors) throws IOException, Aborted {
        Calibration cal = start;
        out.println("Calibration of " + spec.name() + ": " + motors.length + " joint(s). The robot must hang free,");
        out.println("legs off the ground. Commands: + / - nudge 10 us, ++ / -- nudge 100 us, a number sets the pulse");
        out.println("in us, ok accepts, skip keeps this joint as it was, quit stops without writing anything.");
        for (int n = 0; n < motors.length; n++) {
            int m = motors[n];
            JointCalibration j = cal.joint(m);
            out.printf(Locale.ROOT, "%nJoint %d/%d %s on channel %d.%n", n + 1, motors.length, spec.motorName(m), j.channel);
            out.println("Move it to zero: the upper link straight down.");
            double pulse = clamp(j, j.zeroPulseUs);
            boolean skipped = false;
            while (true) {
                drive(cal, m, pulse);
                out.printf(Locale.ROOT, "  pulse %.0f us > ", pulse);
                out.flush();
                String line = next();
                if (line.equals("ok")) {
                    break;
                } else if (line.equals("skip")) {
                    skipped = true;
                    break;
                } else if (line.equals("+")) {
                    pulse = clamp(j, pulse + SMALL_STEP_US);
                } else if (line.equals("-")) {
                    pulse = clamp(j, pulse - SMALL_STEP_US);
                } else if (line.equals("++")) {
                    pulse = clamp(j, pulse + LARGE_STEP_US);
                } else if (line.equals("--")) {
                    pulse = clamp(j, pulse - LARGE_STEP_US);
                } else {
                    try {
                        double v = Double.parseDouble(line);
                        if (v < j.minPulseUs || v > j.maxPulseUs) {
                            out.printf(Locale.ROOT, "  %s is outside this joint's limits %.0f..%.0f us%n", line,
                                    j.minPulseUs, j.maxPulseUs);
                        } else {
                            pulse = v;
                        }
                    } catch (NumberFormatException e) {
                        out.println("  unknown answer '" + line + "': use + - ++ -- a number, ok, skip or quit");
                    }
                }
            }
            if (skipped) {
                allOff();
                continue;
            }
            double zero = pulse;
            double testPulse = clamp(j, zero + j.usPerRad * TEST_ANGLE_RAD);
            if (testPulse == zero) {
                testPulse = clamp(j, zero - j.usPerRad * TEST_ANGLE_RAD);
            }
            boolean pulseUp = testPulse > zero;
            drive(cal, m, testPulse);
            out.println("The joint turned by about " + TEST_ANGLE_RAD + " rad. Did the leg open"
                    + " (the upper link turned away from its partner link)? [y/n]");
            int direction;
            while (true) {
                out.print("  > ");
                out.flush();
                String line = next();
                if (line.equals("y") || line.equals("yes")) {
                    direction = pulseUp ? 1 : -1;
                    break;
                }
                if (line.equals("n") || line.equals("no")) {
                    direction = pulseUp ? -1 : 1;
                    break;
                }
                out.println("  answer y or n");
            }
            drive(cal, m, zero);
            allOff();
            cal = cal.withJoint(spec, m, new JointCalibration(spec.motorName(m), j.channel, zero, direction,
                    j.usPerRad, j.minPulseUs, j.maxPulseUs));
            out.printf(Locale.ROOT, "  %s: zero %.0f us, direction %+d%n", spec.motorName(m), zero, direction);
        }
        allOff();
        return cal;
    }

    private String next() throws IOException, Aborted {
        String line = in.readLine();
        if (line == null) {
            allOff();
            throw new Aborted("input ended before the calibration was finished; nothing written");
        }
        line = line.trim().toLowerCase(Locale.ROOT);
        if (line.equals("quit") || line.equals("q")) {
            allOff();
            throw new Aborted("calibration stopped; nothing written");
        }
        return line;
    }

    private void drive(Calibration cal, int motor, double pulseUs) {
        Arrays.fill(pulses, -1.0);
        pulses[cal.joint(motor).channel - cal.firstChannel()] = pulseUs;
        if (!pca.writePulses(pulses)) {
            out.println("  (I2C write failed; check the wiring)");
        }
    }

    private void allOff() {
        Arrays.fill(pulses, -1.0);
        pca.writePulses(pulses);
    }

    private static double clamp(JointCalibration j, double us) {
        return Math.max(j.minPulseUs, Math.min(j.maxPulseUs, us));
    }
}
