package dev.chromatic.tools.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.RemoteHardware;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.Main;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimServerCommandTest {

    @Test
    void servesTheMinitaurUntilItsDurationEnds() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        AtomicInteger exit = new AtomicInteger(-1);
        String p = Integer.toString(port);
        Thread cli = new Thread(() -> exit.set(Main.run("sim-server", "--port", p, "--seed", "3", "--duration-s", "4")));
        cli.start();
        RemoteHardware robot = new RemoteHardware("127.0.0.1", port, RobotSpec.minitaur(), 10_000_000L, 5_000_000_000L,
                NanoClock.system());
        robot.helloTimeoutNs(20_000_000_000L);
        robot.start();
        SensorFrame frame = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);
        cmd.mode = MotorCommand.Mode.POSITION;
        RobotSpec.minitaur().standingPose(cmd.positionRad);
        robot.read(frame);
        long firstNs = frame.timestampNs;
        for (int k = 0; k < 50; k++) {
            robot.write(cmd);
            robot.read(frame);
            assertFalse(robot.lastReadStale());
        }
        assertEquals(500_000_000L, frame.timestampNs - firstNs, "50 steps of 10 ms of simulated time");
        robot.close();
        cli.join(10_000);
        assertEquals(0, exit.get());
    }

    @Test
    void settingsFileAndStartApplyOnTopOfTheTrainingRanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("randomize.properties");
        Files.writeString(file, "massScaleMax = 1.05\nstart = standing\n");
        SimServerCommand command = new SimServerCommand();
        command.domainRandomization = true;
        command.randomize = file;
        command.start = "powerup";
        SimConfig settings = command.settings(10_000_000L);
        assertEquals(0.8, settings.massScaleMin, 0.0);
        assertEquals(1.05, settings.massScaleMax, 0.0);
        assertEquals(0.5, settings.inertiaScaleMin, 0.0);
        assertEquals(SimConfig.Start.POWERUP, settings.start);
        assertEquals(10_000_000L, settings.controlPeriodNs);

        Files.writeString(file, "massScal = 1.05\n");
        BadInputException unknown = assertThrows(BadInputException.class, () -> command.settings(10_000_000L));
        assertTrue(unknown.getMessage().contains("massScal"), unknown.getMessage());
        Files.writeString(file, "controlPeriodMs = 6\n");
        BadInputException period = assertThrows(BadInputException.class, () -> command.settings(10_000_000L));
        assertTrue(period.getMessage().contains("--control-period-ms"), period.getMessage());
    }

    @Test
    void robotSelectsTheServoBuildOverASettingsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("randomize.properties");
        Files.writeString(file, "robot = minitaur\n");
        SimServerCommand command = new SimServerCommand();
        command.domainRandomization = true;
        command.randomize = file;
        command.robot = "minitaur-servo";
        SimConfig settings = command.settings(10_000_000L);
        assertEquals("minitaur-servo", settings.robot);
        assertEquals(5.6, settings.servoNoLoadSpeedMinRadPerS, 0.0, "the servo ranges of the training randomisation");
        command.robot = "minitaur-hydraulic";
        dev.chromatic.tools.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.chromatic.tools.BadInputException.class, () -> command.settings(10_000_000L));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'robot'"), e.getMessage());
    }

    @Test
    void badArgumentsExitWith2() {
        assertEquals(2, Main.run("sim-server", "--port", "70000", "--duration-s", "0.1"));
        assertEquals(2, Main.run("sim-server", "--port", "7000", "--control-period-ms", "0"));
        assertEquals(2, Main.run("sim-server"));
        assertEquals(2, Main.run("sim-server", "--port", "0", "--start", "sideways", "--duration-s", "0.1"));
        assertEquals(2, Main.run("sim-server", "--port", "0", "--randomize", "/nonexistent/sim.properties",
                "--duration-s", "0.1"));
    }
}
