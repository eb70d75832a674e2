package dev.chromatic.tools.policy;

import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic policy new}: a randomly initialised policy in the real file format. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Writes a randomly initialised policy (shared weights ~ N(0,1), hidden biases ~ U(-1,1), one seeded stream).",
                "Every structure is stored as a coloring into one pool of shared weights; --colors is M for chromatic,",
                "the other structures derive their pool from --dims (Toeplitz a+b-1, circulant max(a,b), unstructured a*b per layer)."})
public final class PolicyNewCommand implements Callable<Integer> {

    @Option(names = "--structure", required = true, paramLabel = "S",
            description = "chromatic, toeplitz, circulant, unstructured or masked.")
    String structure;

    @Option(names = "--colors", paramLabel = "M", defaultValue = "17", description = "Number of shared weights of a chromatic policy (default ${DEFAULT-VALUE}).")
    int colors;

    @Option(names = "--dims", required = true, paramLabel = "D0,D1,...", description = "Layer sizes, observation first, e.g. 7,41,13.")
    String dims;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hidden-activation", paramLabel = "A", defaultValue = "tanh", description = "tanh or linear (default ${DEFAULT-VALUE}); the output layer is tanh.")
    String hidden;

    @Option(names = "--robot", defaultValue = "none", description = "Robot id stored in the file (default ${DEFAULT-VALUE}).")
    String robot;

    @Option(names = "--stack", defaultValue = "plain", description = "Controller stack id stored in the file (default ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--task", defaultValue = "none", description = "Task id stored in the file (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--control-period-ms", defaultValue = "10", description = "Control period the policy is meant for (default ${DEFAULT-VALUE}).")
    double controlPeriodMs;

    @Option(names = "--out", required = true, paramLabel = "FILE.cpol", description = "Output file (replaced atomically).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException, PolicyFormatException {
        StructureKind kind = parseStructure(structure);
        int[] layerSizes = parseDims(dims);
        Activation act = switch (hidden.toLowerCase(Locale.ROOT)) {
            case "tanh" -> Activation.TANH;
            case "linear" -> Activation.LINEAR;
            default -> throw new BadInputException("--hidden-activation must be tanh or linear, was '" + hidden + "'");
        };
        if (!(controlPeriodMs > 0) || controlPeriodMs > 60_000) {
            throw new BadInputException("--control-period-ms must be in (0, 60000], was " + controlPeriodMs);
        }
        Policy.Builder b = PolicyFactory.random(kind, colors, layerSizes, act, seed).toBuilder();
        b.robot = robot;
        b.stack = stack;
        b.task = task;
        b.controlPeriodNs = Math.round(controlPeriodMs * 1e6);
        b.metadata.put("created_utc", clock.instant().toString());
        b.metadata.put("created_by", "chromatic policy new");
        Policy p = b.build();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new BadInputException("output folder " + parent + " does not exist");
        }
        PolicyFiles.write(out, p);
        spec.commandLine().getOut().println("wrote " + out + ": " + kind.name().toLowerCase(Locale.ROOT) + " "
                + dims + ", " + p.colorCount() + " shared weights, seed " + seed);
        return 0;
    }

    static StructureKind parseStructure(String s) {
        try {
            return StructureKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--structure must be chromatic, toeplitz, circulant, unstructured or masked, was '" + s + "'");
        }
    }

    static int[] parseDims(String s) {
        String[] parts = s.split(",");
        if (parts.length < 2) {
            throw new BadInputException("--dims needs at least two sizes, e.g. 7,41,13; was '" + s + "'");
        }
        int[] d = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                d[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--dims entry " + (i + 1) + " is not a number: '" + parts[i] + "'");
            }
            if (d[i] < 1 || d[i] > 4096) {
                throw new BadInputException("--dims entry " + (i + 1) + " must be in 1..4096, was " + d[i]);
            }
        }
        return d;
    }
}
