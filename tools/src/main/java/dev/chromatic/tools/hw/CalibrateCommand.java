package dev.chromatic.tools.hw;

import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.device.Calibration;
import dev.chromatic.hal.device.DeviceConfig;
import dev.chromatic.hal.device.Pca9685;
import dev.chromatic.hal.device.ServoBoard;
import dev.chromatic.tools.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic calibrate}: the interactive servo calibration that writes the robot's calibration file. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Walks you through the servo calibration of the robot and writes its calibration file.",
                "Each joint in turn is moved to its zero (upper link straight down) and its direction confirmed;",
                "the result goes to the file named by device.calibration in the robot config (docs/robot-build.md).",
                "Run it on the robot, legs off the ground. With --oscillator it instead measures the PCA9685 clock",
                "from a scope reading."})
public final class CalibrateCommand implements Callable<Integer> {

    /** Opens the PWM board; tests pass a fake bus. */
    @FunctionalInterface
    interface BoardOpener {
        ServoBoard open(DeviceConfig config, Calibration calibration) throws HardwareException;
    }

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The robot's robot.properties.")
    Path config;

    @Option(names = "--joint", paramLabel = "NAME", description = "Calibrate only this joint (repeatable; default: all 8).")
    List<String> joints = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of the device.calibration file.")
    Path out;

    @Option(names = "--oscillator", description = "Drive 1500 us on the first channel and enter the width a scope measures.")
    boolean oscillator;

    @Override
    public Integer call() throws IOException, HardwareException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return run(in, System.out, (c, cal) -> ServoBoard.open(c, cal, cal.motorCount()));
    }

    Integer run(BufferedReader in, PrintStream console, BoardOpener opener) throws IOException, HardwareException {
        DeviceConfig deviceConfig = readConfig();
        RobotSpec spec = robotModel();
        Path target = out != null ? out : deviceConfig.calibrationFile;
        Calibration start;
        if (Files.isRegularFile(deviceConfig.calibrationFile)) {
            try {
                start = Calibration.load(deviceConfig.calibrationFile, spec);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            console.println("starting from " + deviceConfig.calibrationFile);
        } else {
            start = Calibration.defaults(spec);
            console.println("no calibration at " + deviceConfig.calibrationFile + " yet: starting from defaults (motor m on channel m)");
        }
        int[] motors = selectMotors(spec);
        Calibration result;
        try (ServoBoard board = opener.open(deviceConfig, start)) {
            if (oscillator) {
                result = measureOscillator(spec, start, board.pca(), in, console);
            } else {
                result = new CalibrationSession(spec, board.pca(), in, console).run(start, motors);
            }
        } catch (CalibrationSession.Aborted e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        result.save(target, spec);
        console.println("wrote " + target);
        return 0;
    }

    /** The robot robot.properties names ({@code robot.model}, the Minitaur by default): calibrations are per robot. */
    private RobotSpec robotModel() throws IOException {
        String model = readProperties().getProperty("robot.model", "minitaur").trim();
        try {
            return RobotSpec.named(model);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(config + ": robot.model: " + e.getMessage());
        }
    }

    private Properties readProperties() throws IOException {
        if (!Files.isRegularFile(config)) {
            throw new BadInputException("--config " + config + ": no such file");
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        return props;
    }

    private DeviceConfig readConfig() throws IOException {
        Properties props = readProperties();
        try {
            Path dir = config.toAbsolutePath().getParent();
            return DeviceConfig.fromProperties(props, dir);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(config + ": " + e.getMessage());
        }
    }

    private int[] selectMotors(RobotSpec spec) {
        if (joints.isEmpty()) {
            int[] all = new int[spec.motorCount()];
            for (int m = 0; m < all.length; m++) {
                all[m] = m;
            }
            return all;
        }
        int[] chosen = new int[joints.size()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = -1;
            for (int m = 0; m < spec.motorCount(); m++) {
                if (spec.motorName(m).equals(joints.get(i))) {
                    chosen[i] = m;
                }
            }
            if (chosen[i] < 0) {
                List<String> names = new ArrayList<>();
                for (int m = 0; m < spec.motorCount(); m++) {
                    names.add(spec.motorName(m));
                }
                throw new BadInputException("--joint " + joints.get(i) + " is not a motor of " + spec.name() + " " + names);
            }
        }
        return chosen;
    }

    private static Calibration measureOscillator(RobotSpec spec, Calibration cal, Pca9685 pca, BufferedReader in,
                                                 PrintStream console) throws IOException, CalibrationSession.Aborted {
        double commandedUs = 1500.0;
        double[] pulses = new double[spec.motorCount()];
        java.util.Arrays.fill(pulses, -1.0);
        pulses[0] = commandedUs;
        pca.writePulses(pulses);
        console.printf(Locale.ROOT, "Channel %d now gets %.0f us (with the %.0f Hz oscillator assumed).%n",
                cal.firstChannel(), commandedUs, cal.oscillatorHz());
        console.println("Measure the high time of its signal pin with a scope or logic analyser and enter it in us:");
        while (true) {
            console.print("  > ");
            console.flush();
            String line = in.readLine();
            if (line == null || line.trim().equalsIgnoreCase("quit")) {
                pca.allOff();
                throw new CalibrationSession.Aborted("oscillator measurement stopped; nothing written");
            }
            try {
                double measured = Double.parseDouble(line.trim());
                double hz = Pca9685.calibratedOscillatorHz(cal.oscillatorHz(), commandedUs, measured);
                if (hz < 20e6 || hz > 30e6) {
                    console.println("  that implies a " + Math.round(hz) + " Hz oscillator, outside 20-30 MHz: measure again");
                    continue;
                }
                pca.allOff();
                console.printf(Locale.ROOT, "  oscillator %.0f Hz%n", hz);
                return cal.withOscillatorHz(spec, hz);
            } catch (IllegalArgumentException e) {
                console.println("  enter the measured width in microseconds, e.g. 1512");
            }
        }
    }
}
