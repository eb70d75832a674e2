package dev.chromatic.tools.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.hal.ForwardingHardware;
import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.hil.MinitaurSimFactory;
import dev.chromatic.sim.hil.SimServer;
import dev.chromatic.sim.hil.SimulatorFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot jar, as a separate process with {@code hal=remote:127.0.0.1:P}, runs its control loop
 * against the simulator server and damps the motors when it is stopped, for the Minitaur and for
 * the hobby-servo build ({@code robot.model=minitaur-servo} against {@code sim-server --robot
 * minitaur-servo}); a robot of another model than the server's does not start. Skipped, visibly, when the
 * jar has not been built ({@code mvn package}).
 */
class RobotJarHilEndToEndTest {

    private static final Path ROBOT_JAR = Path.of("..", "onboard-runtime", "target", "chromatic-robot.jar");
    private static final long PERIOD_NS = 10_000_000L;

    /** The Bullet Minitaur with a record of the last drive mode the robot sent. */
    static final class Recording extends ForwardingHardware {
        volatile MotorCommand.Mode lastMode;
        volatile long writes;

        Recording(Hardware sim) {
            super(sim);
        }

        @Override
        protected void beforeWrite(MotorCommand command) {
            lastMode = command.mode;
            writes++;
        }
    }

    @Test
    void robotJarRunsItsLoopAgainstTheSimServerAndDampsOnStop(@TempDir Path dir) throws Exception {
        runsAndDamps(dir, "minitaur", MinitaurSimFactory.nominal(PERIOD_NS));
    }

    @Test
    void theServoBuildsRobotJarRunsAgainstTheServoSimulator(@TempDir Path dir) throws Exception {
        runsAndDamps(dir, "minitaur-servo", MinitaurSimFactory.of(
                SimConfig.builder().controlPeriodNs(PERIOD_NS).set("robot", "minitaur-servo").build()));
    }

    @Test
    void aRobotOfAnotherModelIsRefusedByTheServoSimulator(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(ROBOT_JAR), "robot jar not built at " + ROBOT_JAR.toAbsolutePath()
                + " (run mvn package): end-to-end HIL run skipped");
        writePolicy(dir, "minitaur");
        MinitaurSimFactory servo = MinitaurSimFactory.of(
                SimConfig.builder().controlPeriodNs(PERIOD_NS).set("robot", "minitaur-servo").build());
        try (SimServer server = new SimServer(servo, 8, 1L, false, "127.0.0.1", 0, NanoClock.system())) {
            Thread serving = new Thread(server, "sim-server");
            serving.start();
            Path config = writeConfig(dir, server.port(), "minitaur");
            Path log = dir.resolve("robot.log");
            Process robot = startRobot(config, log);
            assertTrue(robot.waitFor(30, TimeUnit.SECONDS), "the robot should stop at start");
            assertEquals(1, robot.exitValue(), read(log));
            assertTrue(read(log).contains("simulates robot 'minitaur-servo', expected 'minitaur'"), read(log));
            server.close();
            serving.join(5000);
        }
    }

    private static void writePolicy(Path dir, String robotModel) throws Exception {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 13, new int[] {7, 13}, Activation.TANH, 5)
                .toBuilder();
        b.robot = robotModel;
        b.stack = "minitaur-pmtg";
        b.task = "minitaur-walk";
        b.controlPeriodNs = PERIOD_NS;
        PolicyFiles.write(dir.resolve("policy.cpol"), b.build());
    }

    private static Path writeConfig(Path dir, int port, String robotModel) throws IOException {
        Path config = dir.resolve("robot.properties");
        Files.writeString(config, "robot.id=hil-e2e\n"
                + "robot.model=" + robotModel + "\n"
                + "hal=remote:127.0.0.1:" + port + "\n"
                + "policy.file=policy.cpol\n"
                + "policy.require_signature=false\n", StandardCharsets.UTF_8);
        return config;
    }

    private static Process startRobot(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-jar", ROBOT_JAR.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void runsAndDamps(Path dir, String robotModel, MinitaurSimFactory minitaur) throws Exception {
        assumeTrue(Files.isRegularFile(ROBOT_JAR), "robot jar not built at " + ROBOT_JAR.toAbsolutePath()
                + " (run mvn package): end-to-end HIL run skipped");
        writePolicy(dir, robotModel);
        Recording[] served = new Recording[1];
        SimulatorFactory recording = new SimulatorFactory() {
            @Override
            public long controlPeriodNs() {
                return PERIOD_NS;
            }

            @Override
            public Hardware create(long seed) throws HardwareException {
                served[0] = new Recording(minitaur.create(seed));
                return served[0];
            }
        };
        try (SimServer server = new SimServer(recording, 8, 1L, false, "127.0.0.1", 0, NanoClock.system())) {
            Thread serving = new Thread(server, "sim-server");
            serving.start();
            Path config = writeConfig(dir, server.port(), robotModel);
            Path log = dir.resolve("robot.log");
            Process robot = startRobot(config, log);
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (server.step() < 200 && robot.isAlive() && System.nanoTime() - deadline < 0) {
                    Thread.sleep(50);
                }
                assertTrue(robot.isAlive(), "robot exited early: " + read(log));
                assertTrue(server.step() >= 200, "only " + server.step() + " steps: " + read(log));
            } finally {
                robot.destroy();
                assertTrue(robot.waitFor(20, TimeUnit.SECONDS), "robot did not stop on SIGTERM");
            }
            Thread.sleep(200);
            assertEquals(1, server.stats().sessions, read(log));
            assertEquals(MotorCommand.Mode.DAMP, served[0].lastMode, "the last command of a stopping robot damps");
            assertTrue(read(log).contains("remote:127.0.0.1:" + server.port()), read(log));
            assertEquals(robotModel, served[0].spec().name());
            server.close();
            serving.join(5000);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }
}
