package dev.chromatic.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code chromatic} command line. Every subcommand has {@code --help}. Exit codes: 0 success,
 * 1 the command ran and failed (a step, a check), 2 bad input (arguments, a bad file). An unknown
 * command exits 2 with one line naming the closest known one.
 */
@Command(name = "chromatic",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Train, inspect, sign, flash, run and watch chromatic policies for a Minitaur-style quadruped.",
        subcommands = {
                CommandLine.HelpCommand.class,
                dev.chromatic.tools.demo.DemoCommand.class,
                dev.chromatic.tools.demo.HilSoakCommand.class,
                dev.chromatic.tools.hw.SimServerCommand.class, dev.chromatic.tools.hw.CalibrateCommand.class, dev.chromatic.tools.hw.HilProbeCommand.class,
                dev.chromatic.tools.policy.PolicyCommand.class, dev.chromatic.tools.policy.InspectCommand.class, dev.chromatic.tools.bench.BenchCommand.class,
                dev.chromatic.tools.train.TrainCommand.class, dev.chromatic.tools.cluster.WorkerCommand.class, dev.chromatic.tools.train.EvalCommand.class, dev.chromatic.tools.train.ExperimentCommand.class,
                dev.chromatic.tools.flash.KeygenCommand.class, dev.chromatic.tools.flash.SignCommand.class,
                dev.chromatic.tools.flash.FlashCommand.class, dev.chromatic.tools.flash.StatusCommand.class,
                dev.chromatic.tools.flash.FlashSoakCommand.class, dev.chromatic.tools.cmd.CmdCommand.class,
                dev.chromatic.tools.watch.TelemetryCommand.class, dev.chromatic.tools.dashboard.DashboardCommand.class,
                dev.chromatic.tools.sim.RenderCommand.class,
                dev.chromatic.tools.run.RunCommand.class, dev.chromatic.tools.run.BrokerCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (used by tests without exiting the JVM). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    /** The configured command line: bad arguments exit 2, other failures print one line and exit 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new CliErrors());
        cli.setParameterExceptionHandler(new CliErrors());
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cli.setExecutionStrategy(parseResult -> {
            // "chromatic foo --help" parses (help suppresses the unmatched-argument error): refuse it here
            String unknown = CliErrors.unknownCommand(cli, parseResult.originalArgs().toArray(new String[0]));
            if (unknown != null) {
                cli.getErr().println(unknown);
                return CliErrors.EXIT_BAD_INPUT;
            }
            return run.execute(parseResult);
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reports the version of the tools jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"chromatic " + (v == null ? "dev" : v)};
        }
    }
}
