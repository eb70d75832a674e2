package dev.chromatic.tools.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The kernel's own wake-up latency, measured by {@code cyclictest} (Debian {@code rt-tests}) at a
 * given interval, priority and CPU: the floor under any program's periodic loop on this machine.
 * One {@link #run} is one block; its per-microsecond histogram goes into an HdrHistogram in
 * nanoseconds, the same unit as the robot loop's lateness recorder, so both sides are read alike.
 */
final class Cyclictest {

    /** Histogram range of one block; wake-ups later than this count as overflows. */
    static final int HISTOGRAM_LIMIT_US = 20_000;

    private final String executable;

    private Cyclictest(String executable) {
        this.executable = executable;
    }

    /** The cyclictest at {@code executable}. */
    static Cyclictest at(String executable) {
        return new Cyclictest(executable);
    }

    /** The {@code cyclictest} on the PATH, or null when there is none. */
    static Cyclictest find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "cyclictest");
            if (Files.isExecutable(p)) {
                return new Cyclictest(p.toString());
            }
        }
        return null;
    }

    /**
     * The command line of one block: the loop's rate, priority and CPU, and the loop's rule for idle
     * CPUs ({@code cpuLatencyUs} >= 0: {@code --latency=N}, what the loop holds while it runs; -1:
     * {@code --laptop}, cyclictest leaves the power management alone as the loop then does).
     */
    List<String> command(long intervalUs, double seconds, int rtPriority, int cpu, int cpuLatencyUs) {
        List<String> cmd = new ArrayList<>(List.of(executable, "-m", "-q", "-t", "1", "-i", Long.toString(intervalUs),
                "-D", Long.toString(Math.max(1, Math.round(seconds))), "-h", Integer.toString(HISTOGRAM_LIMIT_US)));
        if (rtPriority > 0) {
            cmd.add("-p");
            cmd.add(Integer.toString(rtPriority));
        }
        if (cpu >= 0) {
            cmd.add("-a");
            cmd.add(Integer.toString(cpu));
        }
        cmd.add(cpuLatencyUs >= 0 ? "--latency=" + cpuLatencyUs : "--laptop");
        return cmd;
    }

    /**
     * Runs one block and adds its wake-up latencies (ns) to {@code sink}.
     *
     * @throws IOException when cyclictest cannot run, fails, or prints no histogram
     */
    void run(long intervalUs, double seconds, int rtPriority, int cpu, int cpuLatencyUs, Histogram sink)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(intervalUs, seconds, rtPriority, cpu, cpuLatencyUs));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(Math.round(seconds) + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("cyclictest did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("cyclictest exited with " + p.exitValue() + " (it needs root or CAP_SYS_NICE for -p)");
        }
        parse(out, sink);
    }

    /**
     * Reads cyclictest's {@code -h} output: lines {@code "<us> <count>"}, then {@code "# Max
     * Latencies: <us>"} and {@code "# Histogram Overflows: <n>"}. Overflows are recorded at the
     * histogram's limit, except one at the reported maximum: a lower bound of the true tail, so the
     * baseline is never made to look worse than it was.
     *
     * @return the samples added
     * @throws IOException when the text holds no histogram
     */
    static long parse(String text, Histogram sink) throws IOException {
        long samples = 0;
        long overflows = -1;
        long maxUs = -1;
        boolean histogram = false;
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("#")) {
                if (line.startsWith("# Histogram") && !line.contains("Overflow")) {
                    histogram = true;
                } else if (line.startsWith("# Max Latencies:")) {
                    maxUs = firstNumber(line.substring("# Max Latencies:".length()));
                } else if (line.startsWith("# Histogram Overflows:")) {
                    overflows = firstNumber(line.substring("# Histogram Overflows:".length()));
                }
                continue;
            }
            if (!histogram || line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                continue;
            }
            long us = Long.parseLong(f[0]);
            long count = Long.parseLong(f[1]);
            if (count > 0) {
                sink.recordValueWithCount(us * 1000L, count);
                samples += count;
            }
        }
        if (!histogram || overflows < 0 || maxUs < 0) {
            throw new IOException("no histogram in cyclictest's output");
        }
        if (overflows > 0) {
            sink.recordValue(maxUs * 1000L);
            if (overflows > 1) {
                sink.recordValueWithCount((HISTOGRAM_LIMIT_US + 1) * 1000L, overflows - 1);
            }
            samples += overflows;
        }
        return samples;
    }

    private static long firstNumber(String s) throws IOException {
        String[] f = s.trim().split("\\s+");
        try {
            return Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw new IOException("cyclictest printed '" + s.trim() + "' where a number was expected", e);
        }
    }
}
