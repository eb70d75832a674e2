package dev.chromatic.tools.cluster;

import dev.chromatic.trainer.cluster.HazelcastRolloutEvaluator;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --cluster HOST:PORT[,...]} of {@code train}: rollouts run on every member of the
 * cluster (this process too, with {@code --threads}); without it they run in-process.
 */
public class ClusterTrainOptions {

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,...]", description = "Run rollouts on the workers at these addresses ('chromatic worker'), plus this machine's --threads.")
    String cluster;

    @Option(names = "--cluster-port", paramLabel = "P", description = "This process's member port with --cluster; without it 5701 or the next free one.")
    Integer port;

    @Option(names = "--cluster-interface", paramLabel = "IP", description = "Address to bind and announce with --cluster (default: Hazelcast picks).")
    String networkInterface;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "chromatic", description = "Cluster name with --cluster (default: ${DEFAULT-VALUE}).")
    String clusterName;

    /** Builds the rollout evaluator for a run with {@code threads} local rollout threads. */
    public Function<ParallelFor, RolloutEvaluator> evaluators(int threads) {
        if (cluster == null) {
            return LocalRolloutEvaluator::new;
        }
        MemberOptions m = new MemberOptions();
        m.port = port;
        m.networkInterface = networkInterface;
        m.clusterName = clusterName;
        var settings = m.settings("--cluster", cluster, threads);
        return parallel -> {
            HazelcastRolloutEvaluator e = HazelcastRolloutEvaluator.start(settings, System::nanoTime);
            System.err.printf("cluster '%s': this member %s, %d members offering %d rollout threads%n", clusterName,
                    e.localMember().address(), e.workers().size(), e.parallelism());
            return e;
        };
    }
}
