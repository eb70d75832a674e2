package dev.chromatic.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code chromatic bench}: speed measurements (JMH). Each area adds its measurement as one entry
 * in {@code subcommands}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speeds with JMH (short runs by default; see docs/BENCHMARKS.md).",
        subcommands = {
                InferenceBenchCommand.class, dev.chromatic.tools.cluster.ClusterBenchCommand.class,
                dev.chromatic.tools.sim.SimBenchCommand.class, dev.chromatic.tools.sim.SolverBenchCommand.class,
                dev.chromatic.tools.run.LoopBenchCommand.class, FirstStepsBenchCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
