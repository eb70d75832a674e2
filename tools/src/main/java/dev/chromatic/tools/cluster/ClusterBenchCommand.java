package dev.chromatic.tools.cluster;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.tools.BadInputException;
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
        description = {"Dispatch overhead per rollout (in-process pool, Hazelcast), in wall and Java-thread CPU time, against",
                "the rollout time, and iteration time for 1..N worker members on 127.0.0.1 (one JVM, one TCP stack per member)."})
public final class ClusterBenchCommand implements Callable<Integer> {

    private static final int BLOCKS = 3;
    private static final long IDLE_MS = 2000;
    private static final long WARMUP_NS = 8_000_000_000L;

    @Option(names = "--env", defaultValue = "pendulum", description = "Task whose rollouts are timed (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--max-steps", defaultValue = "0", description = "Episode step limit; 0 = the task's own.")
    int maxSteps;

    @Option(names = "--perturbations", defaultValue = "16", description = "ES directions per iteration (default: ${DEFAULT-VALUE}).")
    int perturbations;

    @Option(names = "--exact", defaultValue = "8", description = "Unperturbed rollouts per iteration (default: ${DEFAULT-VALUE}).")
    int exact;

    @Option(names = "--iterations", defaultValue = "20", description = "Iterations per block; 3 timed blocks per setting after one warm-up block (default: ${DEFAULT-VALUE}).")
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
        log("workload: %s, %d rollouts per iteration, %d blocks of %d iterations per setting", env, n, BLOCKS, iterations);
        double[] clusterIterNs = new double[members];
        String name = "bench-" + UUID.randomUUID();
        List<ClusterMember> started = new ArrayList<>();
        Rounds rounds = new Rounds(BLOCKS);
        double idleCpuPerSecond;
        try (ParallelFor p = new ParallelFor(1); LocalRolloutEvaluator local = new LocalRolloutEvaluator(p);
             RolloutWorker worker = new RolloutWorker()) {
            int coordinatorPort = freePort();
            String join = "127.0.0.1:" + coordinatorPort;
            ClusterMember coordinator = ClusterMember.start(settings(name, coordinatorPort, 0, join));
            started.add(coordinator);
            HazelcastRolloutEvaluator hz = new HazelcastRolloutEvaluator(coordinator, 0, System::nanoTime);
            started.add(ClusterMember.start(settings(name, freePort(), threadsPerMember, join)));
            awaitMigrations(coordinator);
            // blocks of iterations, interleaved so that load from other processes hits all three alike;
            // the JIT needs thousands of calls through Hazelcast's invocation path, not a few dozen
            warmUp(() -> w.results(hz), WARMUP_NS);
            warmUp(() -> w.results(local), WARMUP_NS / 4);
            for (int b = -1; b < BLOCKS; b++) {
                rounds.record(b, 0, iterations, () -> {
                    for (RolloutSpec s : w.specs) {
                        sink(worker.run(w.broadcast, s));
                    }
                });
                rounds.record(b, 1, iterations, () -> w.results(local));
                rounds.record(b, 2, iterations, () -> w.results(hz));
            }
            idleCpuPerSecond = rounds.idleCpuPerSecond(IDLE_MS);
            clusterIterNs[0] = median(rounds.wallNs[2]);
            for (int k = 2; k <= members; k++) {
                started.add(ClusterMember.start(settings(name, freePort(), threadsPerMember, join)));
                awaitMigrations(coordinator);
                double[] t = new double[iterations];
                for (int r = -iterations; r < iterations; r++) {
                    long start = System.nanoTime();
                    w.results(hz);
                    if (r >= 0) {
                        t[r] = System.nanoTime() - start;
                    }
                }
                clusterIterNs[k - 1] = median(t);
            }
        } finally {
            if (!started.isEmpty()) {
                started.get(0).hazelcast().getCluster().shutdown();
            }
            for (ClusterMember m : started) {
                m.close();
            }
        }
        double rolloutWallNs = median(rounds.wallNs[0]) / n;
        double rolloutCpuNs = median(rounds.cpuNs[0]) / n;
        double localWallNs = median(rounds.wallNs[1]) / n - rolloutWallNs;
        double localCpuNs = median(rounds.cpuNs[1]) / n - rolloutCpuNs;
        double hzWallNs = median(rounds.wallNs[2]) * threadsPerMember / n - rolloutWallNs;
        double hzCpuNs = median(rounds.cpuNs[2]) / n - rolloutCpuNs;
        double idleShareNs = idleCpuPerSecond * median(rounds.wallNs[2]) * 1e-9 / n;
        double hzActiveCpuNs = hzCpuNs - idleShareNs;
        log("rollout alone: %.1f us wall, %.1f us CPU", rolloutWallNs / 1e3, rolloutCpuNs / 1e3);
        log("overhead per rollout, in-process pool (1 thread): %.2f us wall (%.2f %%), %.2f us CPU (%.2f %%)",
                localWallNs / 1e3, 100 * localWallNs / rolloutWallNs, localCpuNs / 1e3, 100 * localCpuNs / rolloutCpuNs);
        log("overhead per rollout, hazelcast (1 worker member, %d thread): %.2f us wall (%.2f %%), %.2f us CPU (%.2f %%)",
                threadsPerMember, hzWallNs / 1e3, 100 * hzWallNs / rolloutWallNs, hzCpuNs / 1e3, 100 * hzCpuNs / rolloutCpuNs);
        log("  of which Hazelcast's idle background (%.1f %% of a core for the two members in this JVM): %.2f us;"
                + " dispatch itself: %.2f us CPU (%.2f %%)", 100 * idleCpuPerSecond * 1e-9, idleShareNs / 1e3,
                hzActiveCpuNs / 1e3, 100 * hzActiveCpuNs / rolloutCpuNs);
        for (int k = 1; k <= members; k++) {
            log("hazelcast, %d worker member(s) x %d thread(s): iteration %.2f ms (in-process, 1 thread: %.2f ms)", k,
                    threadsPerMember, clusterIterNs[k - 1] / 1e6, median(rounds.wallNs[1]) / 1e6);
        }
        if (json) {
            JsonWriter byMembers = new JsonWriter();
            for (int k = 1; k <= clusterIterNs.length; k++) {
                byMembers.put(Integer.toString(k), clusterIterNs[k - 1] / 1e6);
            }
            System.out.println(new JsonWriter().put("env", env).put("rollouts_per_iteration", n)
                    .put("threads_per_member", threadsPerMember)
                    .put("rollout_us", rolloutWallNs / 1e3)
                    .put("rollout_cpu_us", rolloutCpuNs / 1e3)
                    .put("local_overhead_us_per_rollout", localWallNs / 1e3)
                    .put("local_overhead_cpu_us_per_rollout", localCpuNs / 1e3)
                    .put("hazelcast_overhead_us_per_rollout", hzWallNs / 1e3)
                    .put("hazelcast_overhead_cpu_us_per_rollout", hzCpuNs / 1e3)
                    .put("hazelcast_overhead_percent", 100 * hzWallNs / rolloutWallNs)
                    .put("hazelcast_overhead_cpu_percent", 100 * hzCpuNs / rolloutCpuNs)
                    .put("hazelcast_idle_cpu_percent_of_core", 100 * idleCpuPerSecond * 1e-9)
                    .put("hazelcast_dispatch_cpu_us_per_rollout", hzActiveCpuNs / 1e3)
                    .put("hazelcast_dispatch_cpu_percent", 100 * hzActiveCpuNs / rolloutCpuNs)
                    .put("local_iteration_ms", median(rounds.wallNs[1]) / 1e6)
                    .put("hazelcast_iteration_ms_by_members", byMembers));
        }
        return 0;
    }

    /** Wall and Java-thread CPU time per iteration of each timed block of each setting. */
    private static final class Rounds {
        final double[][] wallNs;
        final double[][] cpuNs;
        private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();

        /**
         * CPU time of every live Java thread (rollout, dispatch and Hazelcast threads; not the JIT
         * compiler or GC, which a short run would otherwise charge to whatever it measures).
         */
        private long cpuNs() {
            long sum = 0;
            for (long id : threads.getAllThreadIds()) {
                long t = threads.getThreadCpuTime(id);
                if (t > 0) {
                    sum += t;
                }
            }
            return sum;
        }

        Rounds(int n) {
            wallNs = new double[3][n];
            cpuNs = new double[3][n];
        }

        /** Thread CPU nanoseconds per second while nothing but the cluster runs. */
        double idleCpuPerSecond(long ms) throws InterruptedException {
            long cpu0 = cpuNs();
            long t0 = System.nanoTime();
            Thread.sleep(ms);
            return (cpuNs() - cpu0) / ((System.nanoTime() - t0) * 1e-9);
        }

        /** Runs {@code work} {@code times} times as block {@code block} (negative: warm-up) of {@code setting}. */
        void record(int block, int setting, int times, Runnable work) {
            long cpu0 = cpuNs();
            long t0 = System.nanoTime();
            for (int i = 0; i < times; i++) {
                work.run();
            }
            long t1 = System.nanoTime();
            long cpu1 = cpuNs();
            if (block >= 0) {
                wallNs[setting][block] = (t1 - t0) / (double) times;
                cpuNs[setting][block] = (cpu1 - cpu0) / (double) times;
            }
        }
    }

    private static void warmUp(Runnable work, long forNs) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < forNs) {
            work.run();
        }
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
        double checksum;

        void results(RolloutEvaluator e) {
            for (RolloutResult r : e.evaluate(broadcast, specs)) {
                checksum += r.totalReward;
            }
        }

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
