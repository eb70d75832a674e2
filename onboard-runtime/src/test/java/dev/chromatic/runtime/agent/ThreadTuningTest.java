package dev.chromatic.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadTuningTest {

    /** A tuned thread's timed parks fire without the default 50 us slack (Linux). */
    @Test
    void aTunedThreadHasOneNanosecondOfTimerSlack() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "needs Linux /proc");
        AtomicReference<String> slack = new AtomicReference<>();
        AtomicReference<ThreadTuning.Result> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                long tid = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
                // no real-time request and no pinning: only what any thread may do for itself
                result.set(ThreadTuning.applyToCurrentThread(0, -1));
                slack.set(Files.readString(ThreadTuning.timerSlackFile(tid)).trim());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertNull(failure.get());
        assertEquals("ok", result.get().message());
        assertFalse(result.get().realtime());
        assertEquals("1", slack.get(), "timer slack of the tuned thread, ns");
    }
}
