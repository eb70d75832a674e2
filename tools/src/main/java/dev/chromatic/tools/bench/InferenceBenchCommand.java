package dev.chromatic.tools.bench;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.tools.BadInputException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
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
 * {@code chromatic bench inference}: runs {@link InferenceBenchmark} with JMH (GC profiler for the
 * allocation per inference) and measures the fixed-point error against the float64 reference.
 * Top-level JSON figures are for the robot's 7-41-13 net; {@code nets} holds both nets.
 */
@Command(name = "inference", mixinStandardHelpOptions = true,
        description = {"ns per inference of dense float, the float reference, dense fixed point and mailman fixed point",
                "on 17-41-6 and 7-41-13 chromatic nets (M = 17), allocation per inference, and the fixed-point error",
                "vs float64 over 10^4 states. Default: a short run (1 fork, 3 x 0.5 s warm-up, 5 x 0.5 s measured)."})
public final class InferenceBenchCommand implements Callable<Integer> {

    static final String ROBOT_NET = "7,41,13";
    static final String[] NETS = {"17,41,6", ROBOT_NET};
    private static final int ERROR_STATES = 10_000;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--full", description = "Longer run: 2 forks, 5 x 1 s warm-up, 10 x 1 s measured.")
    boolean full;

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks (0 runs in this JVM; default 1, or 2 with --full).")
    Integer forks;

    @Option(names = "--cpu-time", description = {"Also measure each kernel's thread CPU time per inference in this JVM",
            "(interleaved rounds, best round): steadier than wall time when other processes share the cores."})
    boolean cpuTime;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int f = forks != null ? forks : full ? 2 : 1;
        if (f < 0 || f > 10) {
            throw new BadInputException("--forks must be in 0..10, was " + f);
        }
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(InferenceBenchmark.class.getName() + ".infer")
                .forks(f)
                .warmupIterations(full ? 5 : 3)
                .warmupTime(TimeValue.milliseconds(full ? 1000 : 500))
                .measurementIterations(full ? 10 : 5)
                .measurementTime(TimeValue.milliseconds(full ? 1000 : 500))
                .addProfiler(GCProfiler.class)
                .verbosity(json ? VerboseMode.SILENT : VerboseMode.NORMAL)
                .shouldFailOnError(true);
        if (f > 0) {
            opt.jvmArgsAppend("-Xmx512m");
        }
        Collection<RunResult> results = new Runner(opt.build()).run();

        Map<String, double[]> ns = new LinkedHashMap<>();
        double allocMax = 0;
        for (RunResult r : results) {
            String d = r.getParams().getParam("dims");
            String k = r.getParams().getParam("kernel");
            ns.computeIfAbsent(d, key -> new double[InferenceBenchmark.KERNELS.length])[index(k)] = r.getPrimaryResult().getScore();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (alloc != null && Double.isFinite(alloc.getScore())) {
                allocMax = Math.max(allocMax, alloc.getScore());
            }
        }
        JsonWriter nets = new JsonWriter();
        Map<String, double[]> cpuNs = new LinkedHashMap<>();
        double maxErr = 0;
        double sumSq = 0;
        long n = 0;
        for (String d : NETS) {
            double[] e = errors(InferenceBenchmark.policy(d));
            maxErr = Math.max(maxErr, e[0]);
            sumSq += e[1];
            n += (long) e[2];
            double[] t = ns.getOrDefault(d, new double[InferenceBenchmark.KERNELS.length]);
            JsonWriter net = new JsonWriter();
            for (int k = 0; k < t.length; k++) {
                net.put(InferenceBenchmark.KERNELS[k] + "_ns", t[k]);
            }
            net.put("mailman_plan", Arrays.toString(MailmanNetwork.of(InferenceBenchmark.policy(d)).plans()));
            if (cpuTime) {
                double[] cpu = CpuTimeBench.nsPerInference(InferenceBenchmark.policy(d));
                for (int k = 0; k < cpu.length; k++) {
                    net.put(InferenceBenchmark.KERNELS[k] + "_cpu_ns", cpu[k]);
                }
                cpuNs.put(d, cpu);
            }
            nets.put(d.replace(',', '-'), net);
        }
        double rms = Math.sqrt(sumSq / n);
        double[] robot = ns.getOrDefault(ROBOT_NET, new double[InferenceBenchmark.KERNELS.length]);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new JsonWriter()
                    .put("dense_float_ns", robot[0])
                    .put("dense_fixed_ns", robot[2])
                    .put("mailman_fixed_ns", robot[3])
                    .put("max_abs_error", maxErr)
                    .put("rms_error", rms)
                    .put("alloc_bytes_per_op", allocMax)
                    .put("reference_float_ns", robot[1])
                    .put("net", ROBOT_NET.replace(',', '-'))
                    .put("nets", nets));
            return 0;
        }
        out.println();
        out.printf(Locale.ROOT, "%-10s %14s %16s %14s %16s  %s%n", "net", "dense_float", "reference_float", "dense_fixed", "mailman_fixed", "mailman/dense_float");
        for (String d : NETS) {
            double[] t = ns.getOrDefault(d, new double[4]);
            out.printf(Locale.ROOT, "%-10s %11.1f ns %13.1f ns %11.1f ns %13.1f ns  %.2f%n", d.replace(',', '-'), t[0], t[1], t[2], t[3], t[3] / t[0]);
        }
        for (Map.Entry<String, double[]> c : cpuNs.entrySet()) {
            double[] t = c.getValue();
            out.printf(Locale.ROOT, "%-10s %11.1f ns %13.1f ns %11.1f ns %13.1f ns  %.2f  (thread CPU time)%n",
                    c.getKey().replace(',', '-'), t[0], t[1], t[2], t[3], t[3] / t[0]);
        }
        out.printf(Locale.ROOT, "fixed point vs float64 over %d states per net: max |error| %.2e, RMS %.2e%n", ERROR_STATES, maxErr, rms);
        out.printf(Locale.ROOT, "allocation per inference (max over benchmarks): %.3f bytes%n", allocMax);
        return 0;
    }

    private static int index(String kernel) {
        for (int i = 0; i < InferenceBenchmark.KERNELS.length; i++) {
            if (InferenceBenchmark.KERNELS[i].equals(kernel)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown kernel " + kernel);
    }

    /** {max |error|, sum of squared errors, count} of the mailman kernel against the float64 reference. */
    static double[] errors(Policy p) {
        FloatNetwork ref = FloatNetwork.of(p);
        MailmanNetwork fixed = MailmanNetwork.of(p);
        SplittableRandom rng = new SplittableRandom(99);
        double[] x = new double[p.observationDim()];
        double[] a = new double[p.actionDim()];
        double[] b = new double[p.actionDim()];
        double max = 0;
        double sumSq = 0;
        for (int t = 0; t < ERROR_STATES; t++) {
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextDouble(-5.0, 5.0);
            }
            ref.evaluate(x, a);
            fixed.evaluate(x, b);
            for (int i = 0; i < a.length; i++) {
                double e = Math.abs(a[i] - b[i]);
                max = Math.max(max, e);
                sumSq += e * e;
            }
        }
        return new double[] {max, sumSq, (double) ERROR_STATES * p.actionDim()};
    }
}
