package dev.chromatic.runtime.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives the calling thread real-time scheduling ({@code chrt -f -p PRIO TID}) and pins it to a CPU
 * ({@code taskset -p -c CPU TID}) on Linux. Called once, when a thread starts, never in a loop.
 * Needs CAP_SYS_NICE (root or a suitable rtprio limit); failures are reported, not thrown.
 */
public final class ThreadTuning {

    /** What was applied; {@code message} says what failed, if anything. */
    public record Result(boolean realtime, boolean pinned, String message) {
    }

    private ThreadTuning() {
    }

    /**
     * @param fifoPriority SCHED_FIFO priority 1..99, or 0 to leave the scheduling alone
     * @param cpu the CPU to pin to, or -1 to leave the affinity alone
     */
    public static Result applyToCurrentThread(int fifoPriority, int cpu) {
        long tid;
        try {
            tid = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return new Result(false, false, "cannot find the thread id (not Linux?): " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        boolean realtime = false;
        boolean pinned = false;
        if (fifoPriority > 0) {
            realtime = run(problems, "chrt", "-f", "-p", Integer.toString(fifoPriority), Long.toString(tid));
        }
        if (cpu >= 0) {
            pinned = run(problems, "taskset", "-p", "-c", Integer.toString(cpu), Long.toString(tid));
        }
        return new Result(realtime, pinned, problems.isEmpty() ? "ok" : String.join("; ", problems));
    }

    private static boolean run(List<String> problems, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                problems.add(String.join(" ", cmd) + " failed: " + out);
                return false;
            }
            return true;
        } catch (IOException e) {
            problems.add(cmd[0] + " not available: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(cmd[0] + " interrupted");
            return false;
        }
    }
}
