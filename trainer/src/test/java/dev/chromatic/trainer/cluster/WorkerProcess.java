package dev.chromatic.trainer.cluster;

import java.io.IOException;

/**
 * A rollout member in its own JVM for the fault tests: {@code NAME PORT THREADS JOINLIST}. Prints
 * {@code ready UUID} once joined and stops when its standard input closes (the test ended).
 */
public final class WorkerProcess {

    private WorkerProcess() {
    }

    public static void main(String[] args) throws IOException {
        ClusterSettings s = LoopbackCluster.settings(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
        try (ClusterMember m = ClusterMember.start(s)) {
            System.out.println("ready " + m.uuid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
        System.exit(0);
    }
}
