package dev.chromatic.tools.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.device.Calibration;
import dev.chromatic.hal.device.ServoBoard;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The calibration walk-through driven by a script against a fake PWM board. */
class CalibrateCommandTest {

    private static final double TICK_US = 122 / 25.0;
    private final RobotSpec spec = RobotSpec.minitaur();
    private final FakePwmBus bus = new FakePwmBus();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private CalibrateCommand command(Path dir, String... args) throws IOException {
        Path config = dir.resolve("robot.properties");
        Files.writeString(config, "hal=device\ndevice.calibration=cal.properties\n");
        CalibrateCommand cmd = new CalibrateCommand();
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(cmd).parseArgs(all);
        return cmd;
    }

    private int run(CalibrateCommand cmd, String script) throws IOException, HardwareException {
        return cmd.run(new BufferedReader(new StringReader(script)), new PrintStream(console, true, StandardCharsets.UTF_8),
                (config, cal) -> {
                    ServoBoard board = new ServoBoard(bus, cal, 8, null);
                    board.start(config.servoRateHz, ns -> { });
                    return board;
                });
    }

    @Test
    void scriptedWalkThroughWritesZeroAndDirectionOfEachChosenJoint(@TempDir Path dir) throws Exception {
        CalibrateCommand cmd = command(dir, "--joint", "front_left_a", "--joint", "back_right_b");
        double defaultZero = Calibration.defaults(spec).joint(0).zeroPulseUs;
        assertEquals(0, run(cmd, "+\n++\nok\ny\n1700\nok\nn\n"));
        Calibration cal = Calibration.load(dir.resolve("cal.properties"), spec);
        assertEquals(defaultZero + 110, cal.joint(0).zeroPulseUs, 1e-3);
        assertEquals(1, cal.joint(0).direction);
        assertEquals(1700.0, cal.joint(7).zeroPulseUs, 0.0);
        assertEquals(-1, cal.joint(7).direction);
        assertEquals(Calibration.defaults(spec).joint(3).zeroPulseUs, cal.joint(3).zeroPulseUs, 1e-3, "untouched joint");

        // while a joint was being set only its own channel carried a pulse
        boolean sawJoint7At1700 = false;
        for (int[] snap : bus.snapshots) {
            int on = 0;
            for (int ch = 0; ch < 16; ch++) {
                on += snap[ch] >= 0 ? 1 : 0;
            }
            assertTrue(on <= 1, "more than one servo powered at once");
            sawJoint7At1700 |= snap[7] == Math.round(1700 / TICK_US);
        }
        assertTrue(sawJoint7At1700, "channel 7 never got 1700 us");
        for (int ch = 0; ch < 16; ch++) {
            assertEquals(-1, bus.offTicks(ch), "all servos off at the end");
        }
    }

    @Test
    void inputEndingEarlyWritesNothing(@TempDir Path dir) throws Exception {
        CalibrateCommand cmd = command(dir, "--joint", "front_left_a");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(cmd, "+\n"));
        assertTrue(e.getMessage().contains("nothing written"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cal.properties")));
    }

    @Test
    void oscillatorModeStoresTheFrequencyAScopeImplies(@TempDir Path dir) throws Exception {
        CalibrateCommand cmd = command(dir, "--oscillator");
        assertEquals(0, run(cmd, "abc\n1530\n"));
        Calibration cal = Calibration.load(dir.resolve("cal.properties"), spec);
        assertEquals(25_000_000 * 1500.0 / 1530.0, cal.oscillatorHz(), 1e-3);
        assertTrue(bus.snapshots.stream().anyMatch(snap -> snap[0] == Math.round(1500 / TICK_US)),
                "channel 0 never got the 1500 us test pulse");
        assertEquals(-1, bus.offTicks(0), "off again after the measurement");
    }

    @Test
    void unknownJointIsBadInput(@TempDir Path dir) throws Exception {
        CalibrateCommand cmd = command(dir, "--joint", "front_middle_a");
        BadInputException e = assertThrows(BadInputException.class, () -> run(cmd, ""));
        assertTrue(e.getMessage().contains("front_middle_a"), e.getMessage());
    }

    @Test
    void cliReportsBadConfigWithExitCode2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("robot.properties");
        Files.writeString(config, "device.servoRateHz=5000\n");
        assertEquals(2, Main.run("calibrate", "--config", config.toString()));
        assertEquals(2, Main.run("calibrate", "--config", dir.resolve("missing.properties").toString()));
    }
}
