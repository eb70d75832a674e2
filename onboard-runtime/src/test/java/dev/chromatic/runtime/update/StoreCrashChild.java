package dev.chromatic.runtime.update;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link PolicyStoreCrashTest} kills: opens the store (recovering like a restarted
 * robot), says "ready", then installs versions one after another, announcing each "begin" before
 * touching the disk and "done" after the commit returned, until it is killed.
 */
public final class StoreCrashChild {

    private StoreCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int payloadBytes = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        PolicyStore store = PolicyStore.open(dir, FakePolicyFiles.VERIFIER);
        out.println("ready " + store.active().map(PolicySlot::version).orElse(0L));
        out.flush();
        long v = store.installedVersion() + 1;
        long stopAt = v + 100_000;
        while (v < stopAt) {
            byte[] file = FakePolicyFiles.file(v, payloadBytes);
            out.println("begin " + v);
            out.flush();
            store.install(file);
            out.println("done " + v);
            out.flush();
            v++;
        }
    }
}
