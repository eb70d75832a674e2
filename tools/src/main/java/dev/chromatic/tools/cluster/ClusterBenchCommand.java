package dev.chromatic.tools.cluster;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.policy.JsonLine;
import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.Trainer;
import dev.chromatic.trainer.cluster.ClusterMember;
import dev.chromatic.trainer.cluster.ClusterSettings;
import dev.chromatic.trainer.cluster.HazelcastRolloutEvaluator;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import dev.chromatic.trainer.rollout.RolloutWorker;
import dev.chromatic.trainer.rollout.TrainingEnvs;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic bench cluster}: what dispatching costs per rollout, in-process and through
 * Hazelcast, next to what a rollout costs, and the iteration time with 1..N worker members on
 * loopback. The workload is the first iteration of {@code train} with the same settings.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Dispatch overhead per rollout (in-process pool, Hazelcast) against the rollout time, and",
                "iteration time for 1..N worker members on 127.0.0.1 (one JVM, one TCP stack per member)."})
public final class ClusterBenchCommand implements Callable<Integer> {

    @Option(names = "--env", defaultValue = "pendulum", description = "Task whose rollouts are timed (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--max-steps", defaultValue = "0", description = "Episode step limit; 0 = the task's own.")
    int maxSteps;

    @Option(names = "--perturbations", defaultValue = "16", description = "ES directions per iteration (default: ${DEFAULT-VALUE}).")
    int perturbations;

    @Option(names = "--exact", defaultValue = "8", description = "Unperturbed rollouts per iteration (default: ${DEFAULT-VALUE}).")
    int exact;

    @Option(names = "--iterations", defaultValue = "15", description = "Timed iterations per setting, after as many warm-up ones (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--members", defaultValue = "3", description = "Largest number of worker members (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--threads-per-member", defaultValue = "1", description = "Rollout threads of each worker member (default: ${DEFAULT-VALUE}).")
    int threadsPerMember;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!TrainingEnvs.ids().contains(env)) {
            throw new BadInputException("--env: unknown env '" + env + "', expected one of " + TrainingEnvs.ids());
        }
        check(iterations >= 1 && iterations <= 10_000, "--iterations must be in 1..10000, was " + iterations);
        check(members >= 1 && members <= 16, "--members must be in 1..16, was " + members);
        check(threadsPerMember >= 1 && threadsPerMember <= 64, "--threads-per-member must be in 1..64, was " + threadsPerMember);
        TrainConfig cfg = new TrainConfig();
        cfg.env = env;
        cfg.maxSteps = maxSteps;
        cfg.perturbations = perturbations;
        cfg.exact = exact;
        cfg.iterations = 1;
        cfg.threads = 1;
        cfg.checkpointEvery = 0;
        try {
            cfg.validate();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
        Workload w = Workload.capture(cfg);
        int n = w.specs.size();
        log("workload: %s, %d rollouts per iteration, %d timed iterations per setting", env, n, iterations);

        double rolloutNs = median(serialPasses(w));
        log("rollout alone: %.1f us", rolloutNs / 1e3);
        double localIterNs;
        try (ParallelFor p = new ParallelFor(1); LocalRolloutEvaluator e = new LocalRolloutEvaluator(p)) {
            localIterNs = median(iterationTimes(e, w));
        }
        double localOverheadNs = localIterNs / n - rolloutNs;
        log("in-process pool, 1 thread: iteration %.2f ms, overhead %.2f us per rollout (%.2f %%)",
                localIterNs / 1e6, localOverheadNs / 1e3, 100 * localOverheadNs / rolloutNs);

        double[] clusterIterNs = new double[members];
        String name = "bench-" + UUID.randomUUID();
        List<ClusterMember> started = new ArrayList<>();
        try {
            int coordinatorPort = freePort();
            String join = "127.0.0.1:" + coordinatorPort;
            ClusterMember coordinator = ClusterMember.start(settings(name, coordinatorPort, 0, join));
            started.add(coordinator);
            HazelcastRolloutEvaluator e = new HazelcastRolloutEvaluator(coordinator, 0, System::nanoTime);
            for (int k = 1; k <= members; k++) {
                started.add(ClusterMember.start(settings(name, freePort(), threadsPerMember, join)));
                awaitMigrations(coordinator);
                clusterIterNs[k - 1] = median(iterationTimes(e, w));
                log("hazelcast, %d worker member(s) x %d thread(s): iteration %.2f ms", k, threadsPerMember,
                        clusterIterNs[k - 1] / 1e6);
            }
        } finally {
            if (!started.isEmpty()) {
                started.get(0).hazelcast().getCluster().shutdown();
            }
            for (ClusterMember m : started) {
                m.close();
            }
        }
        double hzOverheadNs = clusterIterNs[0] / (n / (double) threadsPerMember) - rolloutNs;
        if (threadsPerMember == 1) {
            log("hazelcast overhead: %.2f us per rollout (%.2f %% of a rollout)", hzOverheadNs / 1e3,
                    100 * hzOverheadNs / rolloutNs);
        }
        if (json) {
            JsonLine byMembers = new JsonLine();
            for (int k = 1; k <= clusterIterNs.length; k++) {
                byMembers.put(Integer.toString(k), clusterIterNs[k - 1] / 1e6);
            }
            System.out.println(new JsonLine().put("env", env).put("rollouts_per_iteration", n)
                    .put("threads_per_member", threadsPerMember)
                    .put("rollout_us", rolloutNs / 1e3)
                    .put("local_overhead_us_per_rollout", localOverheadNs / 1e3)
                    .put("local_overhead_percent", 100 * localOverheadNs / rolloutNs)
                    .put("hazelcast_overhead_us_per_rollout", hzOverheadNs / 1e3)
                    .put("hazelcast_overhead_percent", 100 * hzOverheadNs / rolloutNs)
                    .put("local_iteration_ms", localIterNs / 1e6)
                    .put("hazelcast_iteration_ms_by_members", byMembers));
        }
        return 0;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new BadInputException(message);
        }
    }

    private void log(String format, Object... args) {
        (json ? System.err : System.out).println(String.format(Locale.ROOT, format, args));
    }

    private static ClusterSettings settings(String name, int port, int threads, String join) {
        ClusterSettings s = new ClusterSettings();
        s.clusterName = name;
        s.port = port;
        s.portAutoIncrement = false;
        s.networkInterface = "127.0.0.1";
        s.threads = threads;
        s.join = ClusterSettings.parseMembers("join", join);
        return s;
    }

    /** Partitions move when a member joins; timing starts once they have settled. */
    private static void awaitMigrations(ClusterMember m) throws InterruptedException {
        for (int i = 0; i < 300 && !m.hazelcast().getPartitionService().isClusterSafe(); i++) {
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Nanoseconds per rollout of each pass over the specs on one worker, called directly. */
    private double[] serialPasses(Workload w) {
        try (RolloutWorker worker = new RolloutWorker()) {
            double[] t = new double[iterations];
            for (int r = -iterations; r < iterations; r++) {
                long start = System.nanoTime();
                for (RolloutSpec s : w.specs) {
                    sink(worker.run(w.broadcast, s));
                }
                if (r >= 0) {
                    t[r] = (System.nanoTime() - start) / (double) w.specs.size();
                }
            }
            return t;
        }
    }

    private double[] iterationTimes(RolloutEvaluator e, Workload w) {
        double[] t = new double[iterations];
        for (int r = -iterations; r < iterations; r++) {
            long start = System.nanoTime();
            for (RolloutResult res : e.evaluate(w.broadcast, w.specs)) {
                sink(res);
            }
            if (r >= 0) {
                t[r] = System.nanoTime() - start;
            }
        }
        return t;
    }

    private double checksum;

    private void sink(RolloutResult r) {
        checksum += r.totalReward;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** The broadcast and specs of the first iteration {@code train} would run with {@code cfg}. */
    static final class Workload {
        IterationBroadcast broadcast;
        List<RolloutSpec> specs;

        static Workload capture(TrainConfig cfg) throws IOException {
            Workload w = new Workload();
            try (ParallelFor p = new ParallelFor(1); LocalRolloutEvaluator local = new LocalRolloutEvaluator(p)) {
                RolloutEvaluator capturing = new RolloutEvaluator() {
                    @Override
                    public List<RolloutResult> evaluate(IterationBroadcast b, List<RolloutSpec> specs) {
                        if (w.broadcast == null) {
                            w.broadcast = b;
                            w.specs = new ArrayList<>(specs);
                        }
                        return local.evaluate(b, specs);
                    }

                    @Override
                    public int parallelism() {
                        return 1;
                    }

                    @Override
                    public void close() {
                    }
                };
                new Trainer(cfg, capturing, p, System::nanoTime).runUntil(1, null, null);
            }
            return w;
        }
    }
}
