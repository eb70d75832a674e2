package dev.chromatic.tools.sim;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.tools.BadInputException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic bench sim}: physics speed of the Minitaur model with JMH, on one thread and on
 * {@code --threads} threads (one physics space each), and the scaling between the two.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Microseconds per 1 ms physics substep (full motor model, open-loop trot) on one thread, "
                + "substeps per second on N threads with one physics space each, and the CPU time per substep "
                + "of this thread (unaffected by other processes). Default: a short run (1 fork, 3 x 0.5 s "
                + "warm-up, 5 x 0.5 s measured per thread count).")
public final class SimBenchCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the parallel run (default: all cores).")
    Integer threads;

    @Option(names = "--full", description = "Longer run: 2 forks, 5 x 1 s warm-up, 10 x 1 s measured.")
    boolean full;

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks (0 runs in this JVM; default 1, or 2 with --full).")
    Integer forks;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int n = threads != null ? threads : cores;
        if (n < 1 || n > 256) {
            throw new BadInputException("--threads must be in 1..256, was " + n);
        }
        int f = forks != null ? forks : full ? 2 : 1;
        if (f < 0 || f > 10) {
            throw new BadInputException("--forks must be in 0..10, was " + f);
        }
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double usPerStep1 = run(1, f);
        double usPerStepN = n == 1 ? usPerStep1 : run(n, f);
        double cpuUsPerSubstep = cpuMicrosPerSubstep();
        double cpuUsPerSubstepN = n == 1 ? cpuUsPerSubstep : cpuMicrosPerSubstepOn(n);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        int substeps = SimConfig.defaults().substepsPerControl();
        double usPerSubstep = usPerStep1 / substeps;
        double substepsPerS = 1e6 / usPerSubstep;
        double controlStepsPerS = 1e6 / usPerStep1;
        double substepsPerSAll = n * 1e6 / (usPerStepN / substeps);
        double scaling = substepsPerSAll / substepsPerS;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new JsonWriter()
                    .put("us_per_substep", usPerSubstep)
                    .put("substeps_per_s", substepsPerS)
                    .put("control_steps_per_s", controlStepsPerS)
                    .put("threads", n)
                    .put("scaling", scaling)
                    .put("substeps_per_s_all_threads", substepsPerSAll)
                    .put("us_per_substep_all_threads", usPerStepN / substeps)
                    .put("cpu_us_per_substep", cpuUsPerSubstep)
                    .put("cpu_us_per_substep_all_threads", cpuUsPerSubstepN)
                    .put("cores", cores)
                    .put("load_average_1m", loadBefore)
                    .put("load_average_before", loadBefore)
                    .put("load_average_after", loadAfter));
            return 0;
        }
        out.printf(Locale.ROOT, "1 thread : %.2f us per 1 ms substep (%.0f substeps/s, %.0f control steps/s of %d substeps)%n",
                usPerSubstep, substepsPerS, controlStepsPerS, substeps);
        out.printf(Locale.ROOT, "%d threads: %.0f substeps/s in all (%.2f us per substep per thread), scaling %.2fx%n",
                n, substepsPerSAll, usPerStepN / substeps, scaling);
        out.printf(Locale.ROOT, "CPU time per substep: %.2f us on one thread, %.2f us per thread with %d threads%n",
                cpuUsPerSubstep, cpuUsPerSubstepN, n);
        out.printf(Locale.ROOT, "load average %.2f before, %.2f after, on %d cores (other processes slow these figures)%n",
                loadBefore, loadAfter, cores);
        return 0;
    }

    /**
     * CPU time (not wall time) this thread spends per substep, after a warm-up: what the simulator
     * costs when it has a core to itself, however busy the machine is.
     */
    static double cpuMicrosPerSubstep() {
        return cpuMicrosPerSubstep(SimConfig.defaults(), 3000, 5000);
    }

    /** As {@link #cpuMicrosPerSubstep()}, with other simulator settings and step counts. */
    static double cpuMicrosPerSubstep(SimConfig config, int warmUpSteps, int steps) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!bean.isCurrentThreadCpuTimeSupported()) {
            return Double.NaN;
        }
        SimBenchmark b = new SimBenchmark();
        b.setUp(config);
        try {
            for (int i = 0; i < warmUpSteps; i++) {
                b.controlStep();
            }
            long t0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < steps; i++) {
                b.controlStep();
            }
            long t1 = bean.getCurrentThreadCpuTime();
            return (t1 - t0) / 1e3 / ((double) steps * config.substepsPerControl());
        } finally {
            b.tearDown();
        }
    }

    /**
     * Mean per-thread CPU time per substep with {@code n} simulators running at once: equal to the
     * one-thread figure when the spaces share nothing, whatever the wall clock says.
     */
    static double cpuMicrosPerSubstepOn(int n) throws InterruptedException {
        double[] results = new double[n];
        Thread[] workers = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            workers[i] = new Thread(() -> results[index] = cpuMicrosPerSubstep(), "bench-sim-" + i);
            workers[i].start();
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            workers[i].join();
            sum += results[i];
        }
        return sum / n;
    }

    /** Average microseconds per control step per thread with {@code threads} threads. */
    private double run(int threads, int forkCount) throws Exception {
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(SimBenchmark.class.getName() + ".controlStep")
                .forks(forkCount)
                .threads(threads)
                .warmupIterations(full ? 5 : 3)
                .warmupTime(TimeValue.milliseconds(full ? 1000 : 500))
                .measurementIterations(full ? 10 : 5)
                .measurementTime(TimeValue.milliseconds(full ? 1000 : 500))
                .verbosity(json ? VerboseMode.SILENT : VerboseMode.NORMAL)
                .shouldFailOnError(true);
        if (forkCount > 0) {
            opt.jvmArgsAppend("-Xmx512m");
        }
        Collection<RunResult> results = new Runner(opt.build()).run();
        for (RunResult r : results) {
            return r.getPrimaryResult().getScore();
        }
        throw new IllegalStateException("JMH returned no result");
    }
}
