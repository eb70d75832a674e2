package dev.chromatic.tools.cluster;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.cluster.ClusterMember;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chromatic worker}: a cluster member that runs rollouts for any {@code train --cluster}
 * reaching it, until interrupted (Ctrl-C, SIGTERM), then leaves the cluster gracefully.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Runs rollouts for 'chromatic train --cluster' on this machine's cores (see docs/cluster.md).",
                "Joins the members listed in --join over TCP (no multicast); stops with Ctrl-C."})
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT[,...]", description = "Members to join (workers or the trainer); this machine's own address may be listed too.")
    String join;

    @Option(names = "--threads", paramLabel = "N", description = "Rollout threads (default: all cores).")
    Integer threads;

    @Mixin
    MemberOptions member = new MemberOptions();

    @Override
    public Integer call() throws InterruptedException {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1 || n > 256) {
            throw new BadInputException("--threads must be in 1..256, was " + n);
        }
        ClusterMember m = ClusterMember.start(member.settings("--join", join, n));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            m.close();
            stopped.countDown();
        }, "chromatic-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf("worker %s in cluster '%s' with %d rollout threads; %d members%n", m.address(),
                member.clusterName, n, m.hazelcast().getCluster().getMembers().size());
        System.out.flush();
        while (m.isRunning() && !stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            // serve rollouts until stopped
        }
        return 0;
    }
}
