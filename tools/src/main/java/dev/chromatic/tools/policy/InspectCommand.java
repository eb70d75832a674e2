package dev.chromatic.tools.policy;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyStats;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chromatic inspect}: what a policy file holds, its size in the paper's terms, and its signature status. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Checks a policy file (size caps, SHA-256, signature, every field) and describes it:",
                "structure, dims, colors, edges, parameters, compression vs unstructured, the paper's bits,",
                "file bytes, coloring entropy and signature status."})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.cpol", description = "The policy file.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--trust", paramLabel = "DIR", description = "Folder of trusted *.pub keys to verify the signature against.")
    Path trustDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, PolicyFormatException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("policy file " + file + " not found");
        }
        TrustedKeys trust = TrustedKeys.none();
        if (trustDir != null) {
            if (!Files.isDirectory(trustDir)) {
                throw new BadInputException("--trust folder " + trustDir + " not found");
            }
            trust = TrustedKeys.fromDirectory(trustDir);
        }
        LoadedPolicy loaded = PolicyFiles.load(file, trust, false);
        Policy p = loaded.policy();
        PolicyStats s = PolicyStats.of(p);
        int[] hidden = Arrays.copyOfRange(p.layerSizes(), 1, p.layerSizes().length - 1);
        String signature = !loaded.signed() ? "unsigned"
                : loaded.verified() ? "signed by " + loaded.keyId() + " (verified)"
                : "signed by " + loaded.keyId() + " (key not in --trust; not verified)";
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new JsonWriter()
                    .put("structure", p.structure().name().toLowerCase(Locale.ROOT))
                    .put("obs_dim", p.observationDim())
                    .put("act_dim", p.actionDim())
                    .put("hidden", hidden)
                    .put("colors", p.colorCount())
                    .put("edges", s.edges())
                    .put("weight_params", s.weightParams())
                    .put("total_params", s.totalParams())
                    .put("compression", s.compression())
                    .put("paper_bits", s.paperBits())
                    .put("file_bytes", loaded.fileBytes())
                    .put("entropy_bits", s.entropyBits())
                    .put("signed", loaded.signed())
                    .put("sha256", loaded.sha256Hex()));
            return 0;
        }
        out.printf(Locale.ROOT, "file            %s (%d bytes)%n", file, loaded.fileBytes());
        out.printf(Locale.ROOT, "sha256          %s%n", loaded.sha256Hex());
        out.printf(Locale.ROOT, "signature       %s%n", signature);
        out.printf(Locale.ROOT, "policy version  %d%n", loaded.policyVersion());
        out.printf(Locale.ROOT, "structure       %s%n", p.structure().name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "dims            %s (activations %s)%n", Arrays.toString(p.layerSizes()),
                Arrays.toString(p.activations()).toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "colors M        %d%n", p.colorCount());
        out.printf(Locale.ROOT, "edges           %d (%d pruned)%n", s.edges(), s.prunedEdges());
        out.printf(Locale.ROOT, "weight params   %d%n", s.weightParams());
        out.printf(Locale.ROOT, "total params    %d (%d biases%s)%n", s.totalParams(), s.biasParams(),
                p.outputBias() ? ", output bias on" : ", no output bias");
        out.printf(Locale.ROOT, "compression     %.1f%% vs unstructured%n", 100 * s.compression());
        out.printf(Locale.ROOT, "paper bits      %d%n", s.paperBits());
        out.printf(Locale.ROOT, "entropy bits    %.0f (coloring, %.3f per edge)%n", s.entropyBits(), s.entropyBits() / s.edges());
        out.printf(Locale.ROOT, "robot/stack     %s / %s, task %s, period %.3f ms%n", p.robot(), p.stack(), p.task(),
                p.controlPeriodNs() / 1e6);
        for (Map.Entry<String, String> m : p.metadata().entrySet()) {
            out.printf(Locale.ROOT, "meta %-10s %s%n", m.getKey(), m.getValue());
        }
        return 0;
    }
}
