package dev.chromatic.tools.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The onboard runtime as its own process, exactly as it runs on a robot:
 * {@code java -jar chromatic-robot.jar --config robot.properties}, its output going to a log file.
 */
final class RobotProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private RobotProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the robot jar with {@code config}; output goes to {@code log}. */
    static RobotProcess start(Path robotJar, Path config, Path log) throws IOException {
        if (!Files.isRegularFile(robotJar)) {
            throw new IOException("robot jar " + robotJar + " is missing; build it with 'mvn -B -DskipTests package'");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-jar");
        cmd.add(robotJar.toString());
        cmd.add("--config");
        cmd.add(config.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new RobotProcess(p, log);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of the robot's log, for error messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the runtime to stop (SIGTERM: it damps the motors and says offline), then waits. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
