package dev.chromatic.tools.policy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chromatic policy}: commands that make policy files. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Make policy files (.cpol).",
        subcommands = {PolicyNewCommand.class, PolicyCompactCommand.class})
public final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
