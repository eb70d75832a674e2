package dev.chromatic.runtime.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives the calling thread real-time scheduling ({@code chrt -f -p PRIO TID}), pins it to a CPU
 * ({@code taskset -p -c CPU TID}) and sets its timer slack to 1 ns ({@code /proc/TID/timerslack_ns})
 * on Linux. Called once, when a thread starts, never in a loop. Real-time scheduling needs
 * CAP_SYS_NICE (root or a suitable rtprio limit); failures are reported, not thrown.
 *
 * <p>The timer slack: a timed park ({@code LockSupport.parkNanos}, a futex wait) may fire up to the
 * thread's slack late, 50 us by default. Kernels from 6.11 give real-time threads zero slack
 * themselves; older ones apply it to futex waits even at SCHED_FIFO, so the thread asks for 1 ns
 * (0 would mean "back to the default"). A thread may set its own slack without privileges.
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
        minimiseTimerSlack(tid, problems);
        return new Result(realtime, pinned, problems.isEmpty() ? "ok" : String.join("; ", problems));
    }

    /** The file holding a thread's timer slack in ns (per thread under /proc/TID, not /proc/PID/task/TID). */
    static Path timerSlackFile(long tid) {
        return Path.of("/proc", Long.toString(tid), "timerslack_ns");
    }

    private static void minimiseTimerSlack(long tid, List<String> problems) {
        try {
            Files.writeString(timerSlackFile(tid), "1");
        } catch (IOException | RuntimeException e) {
            problems.add("cannot set the timer slack (" + timerSlackFile(tid) + "): " + e.getMessage());
        }
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
