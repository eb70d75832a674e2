package dev.chromatic.tools.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.RemoteHardware;
import dev.chromatic.tools.Main;
import java.net.DatagramSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
    void badArgumentsExitWith2() {
        assertEquals(2, Main.run("sim-server", "--port", "70000", "--duration-s", "0.1"));
        assertEquals(2, Main.run("sim-server", "--port", "7000", "--control-period-ms", "0"));
        assertEquals(2, Main.run("sim-server"));
    }
}
