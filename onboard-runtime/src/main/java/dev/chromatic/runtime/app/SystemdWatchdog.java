package dev.chromatic.runtime.app;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The systemd service watchdog ({@code WatchdogSec=} in the unit), fed by the control loop's
 * progress: every half watchdog period a thread of its own reads the loop's cycle counter (a
 * volatile the loop already writes each cycle: nothing is allocated or sent on the loop thread)
 * and sends {@code WATCHDOG=1} only when the counter moved. A loop that hangs, or a process that
 * dies, stops the notifications; systemd then kills the process (SIGABRT) and restarts it, and it
 * comes back disarmed. (A PCA9685 keeps repeating its last pulses while no process drives it:
 * its OE line, {@code device.oe_pin} with a pull-up, cuts them, docs/robot-build.md.)
 *
 * <p>Java cannot send on a Unix datagram socket without a native library, so notifications go
 * through {@code systemd-notify --pid=<this JVM>}; the unit sets {@code NotifyAccess=all} for it.
 */
public final class SystemdWatchdog implements AutoCloseable {

    /** Sends one notification state line such as {@code WATCHDOG=1}. */
    @FunctionalInterface
    public interface Sender {
        void send(String state) throws IOException, InterruptedException;
    }

    private final LongSupplier progress;
    private final long intervalNs;
    private final Sender sender;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long sent;
    private volatile String lastError;
    /** The loop's progress when the watchdog started: read before READY=1 is sent. */
    private volatile long startProgress;

    SystemdWatchdog(LongSupplier progress, long intervalNs, Sender sender) {
        if (intervalNs <= 0) {
            throw new IllegalArgumentException("watchdog interval must be positive, was " + intervalNs + " ns");
        }
        this.progress = progress;
        this.intervalNs = intervalNs;
        this.sender = sender;
        this.thread = new Thread(this::run, "systemd-watchdog");
        this.thread.setDaemon(true);
    }

    /**
     * The watchdog systemd asked for: {@code NOTIFY_SOCKET} and {@code WATCHDOG_USEC} set (and
     * {@code WATCHDOG_PID}, when set, this process), or null when the service has no watchdog.
     *
     * @throws IllegalArgumentException naming the variable when one is malformed
     */
    public static SystemdWatchdog fromEnvironment(Map<String, String> env, LongSupplier progress) {
        String socket = env.get("NOTIFY_SOCKET");
        String usec = env.get("WATCHDOG_USEC");
        if (socket == null || socket.isBlank() || usec == null) {
            return null;
        }
        long us;
        try {
            us = Long.parseLong(usec.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WATCHDOG_USEC: not a number: '" + usec + "'");
        }
        if (us <= 0) {
            throw new IllegalArgumentException("WATCHDOG_USEC: must be positive, was " + us);
        }
        String pid = env.get("WATCHDOG_PID");
        long self = ProcessHandle.current().pid();
        if (pid != null && !pid.isBlank() && !pid.trim().equals(Long.toString(self))) {
            return null;
        }
        return new SystemdWatchdog(progress, us * 1000L / 2, state -> notify(self, state));
    }

    private static void notify(long pid, String state) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-notify", "--pid=" + pid, state)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("systemd-notify did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("systemd-notify exited with " + p.exitValue());
        }
    }

    /** Tells systemd the service is up ({@code READY=1}) and starts feeding the watchdog. */
    public void start() {
        startProgress = progress.getAsLong();
        try {
            sender.send("READY=1");
        } catch (IOException e) {
            lastError = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        thread.start();
    }

    private void run() {
        long last = startProgress;
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(intervalNs);
                long now = progress.getAsLong();
                if (now != last && !closed) {
                    last = now;
                    sender.send("WATCHDOG=1");
                    sent++;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage();
            }
        }
    }

    /** Watchdog notifications sent so far. */
    public long sent() {
        return sent;
    }

    /** The last failure to notify, or null. */
    public String lastError() {
        return lastError;
    }

    public long intervalNs() {
        return intervalNs;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
