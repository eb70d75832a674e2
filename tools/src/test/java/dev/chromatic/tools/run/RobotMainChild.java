package dev.chromatic.tools.run;

import dev.chromatic.runtime.app.RobotMain;
import dev.chromatic.runtime.json.JsonWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The robot's entry point in a process of its own, for tests that start it with the JVM options of
 * the systemd unit: {@link RobotMain#run} with the given arguments until a line (or the end) arrives
 * on standard input. The runtime's own output goes to standard error; standard output carries only
 * the result, one JSON object: {@code {"exit":N,"heap_max_bytes":M,"heap_peak_bytes":P}} (the peak
 * summed over the heap's memory pools).
 */
public final class RobotMainChild {

    private RobotMainChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        Thread stdin = new Thread(() -> {
            try {
                System.in.read();
            } catch (java.io.IOException closed) {
                // stop either way
            }
            stop.countDown();
        }, "stdin-stop");
        stdin.setDaemon(true);
        stdin.start();
        int exit = RobotMain.run(args, log, log, stop);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(new JsonWriter().put("exit", exit).put("heap_max_bytes", Runtime.getRuntime().maxMemory())
                .put("heap_peak_bytes", peak).end());
        System.out.flush();
        System.exit(0);
    }
}
