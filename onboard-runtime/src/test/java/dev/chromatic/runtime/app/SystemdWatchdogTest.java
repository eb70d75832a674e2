package dev.chromatic.runtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SystemdWatchdogTest {

    @Test
    void onlyAServiceWithAWatchdogGetsOne() {
        assertNull(SystemdWatchdog.fromEnvironment(Map.of(), () -> 0));
        assertNull(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), () -> 0));
        SystemdWatchdog w = SystemdWatchdog.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "2000000"), () -> 0);
        assertNotNull(w);
        assertEquals(1_000_000_000L, w.intervalNs(), "fed at half the watchdog period");
        assertNull(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
                "WATCHDOG_USEC", "2000000", "WATCHDOG_PID", "1"), () -> 0), "the watchdog is another process's");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemdWatchdog.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "soon"), () -> 0));
        assertTrue(e.getMessage().startsWith("WATCHDOG_USEC"), e.getMessage());
    }

    @Test
    void feedsTheWatchdogOnlyWhileTheLoopMakesProgress() throws Exception {
        AtomicLong cycles = new AtomicLong();
        LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
        SystemdWatchdog w = new SystemdWatchdog(cycles::get, 10_000_000L, sent::add);
        try {
            w.start();
            assertEquals("READY=1", sent.poll(5, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                cycles.addAndGet(100);
                assertEquals("WATCHDOG=1", sent.poll(5, TimeUnit.SECONDS), "fed while the loop runs");
            }
            assertNull(sent.poll(300, TimeUnit.MILLISECONDS), "a stalled loop is not vouched for");
            cycles.incrementAndGet();
            assertEquals("WATCHDOG=1", sent.poll(5, TimeUnit.SECONDS), "fed again once it moves");
        } finally {
            w.close();
        }
    }
}
