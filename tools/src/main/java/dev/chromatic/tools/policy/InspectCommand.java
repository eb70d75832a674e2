package dev.chromatic.tools.policy;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.CompactPolicyCodec;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyCodec;
import dev.chromatic.runtime.policy.PolicyEncoding;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicySidecar;
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
                "structure, dims, colors, edges, parameters, compression vs unstructured, the encoding (full or",
                "compact), file bytes next to the paper's bits and the entropy bound, signature status and metadata",
                "(a compact file's from its sidecar FILE.cpol.json)."})
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
        byte[] bytes = PolicyFiles.read(file);
        LoadedPolicy loaded = PolicyFiles.load(bytes, trust, false);
        Policy p = loaded.policy();
        PolicyStats s = PolicyStats.of(p);
        boolean compact = loaded.encoding() == PolicyEncoding.COMPACT;
        long fileBits = 8L * loaded.fileBytes();
        int[] hidden = Arrays.copyOfRange(p.layerSizes(), 1, p.layerSizes().length - 1);
        String signature = !loaded.signed() ? "unsigned"
                : loaded.verified() ? "signed by " + loaded.keyId() + " (verified)"
                : "signed by " + loaded.keyId() + " (key not in --trust; not verified)";
        Map<String, String> metadata = p.metadata();
        String metadataFrom = "the file";
        if (compact) {
            PolicySidecar sidecar = PolicySidecar.readNextTo(file);
            Path sidecarFile = PolicySidecar.pathOf(file).getFileName();
            if (sidecar == null) {
                metadataFrom = "none (no " + sidecarFile + ")";
            } else if (sidecar.describes(bytes)) {
                metadata = sidecar.metadata();
                metadataFrom = sidecarFile.toString();
            } else {
                metadataFrom = "none (" + sidecarFile + " describes another policy)";
            }
        }
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
                    .put("file_bits", fileBits)
                    .put("format", loaded.encoding().name().toLowerCase(Locale.ROOT))
                    .put("color_bytes", colorBytes(p, compact))
                    .put("entropy_bits", s.entropyBits())
                    .put("entropy_bound_bits", s.entropyBoundBits())
                    .put("signed", loaded.signed())
                    .put("sha256", loaded.sha256Hex())
                    .put("metadata_from", metadataFrom));
            return 0;
        }
        out.printf(Locale.ROOT, "file            %s (%d bytes = %d bits)%n", file, loaded.fileBytes(), fileBits);
        out.printf(Locale.ROOT, "format          %s%n", compact
                ? "compact (2): float32 numbers, colors " + CompactPolicyCodec.describeColoring(p) + ", metadata in a sidecar"
                : "full (1): float64 numbers, colors at " + PolicyCodec.bitsFor(p.colorCount() + (s.prunedEdges() > 0 ? 1 : 0))
                        + " bits per edge, metadata inside");
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
        out.printf(Locale.ROOT, "paper bits      %d (32-bit parameters%s)%n", s.paperBits(),
                s.paperBits() > 32L * s.totalParams() ? " and " + PolicyCodec.bitsFor(s.weightParams()) + " bits per edge" : "");
        out.printf(Locale.ROOT, "entropy bits    %.0f (coloring, %.3f per edge)%n", s.entropyBits(), s.entropyBits() / s.edges());
        out.printf(Locale.ROOT, "entropy bound   %.0f (32-bit parameters%s)%n", s.entropyBoundBits(),
                s.entropyBoundBits() > 32.0 * s.totalParams() ? " and the coloring at its entropy" : "");
        out.printf(Locale.ROOT, "file bits       %d = %.2f x paper bits, %.2f x entropy bound (colors %d bytes)%n", fileBits,
                fileBits / (double) s.paperBits(), fileBits / s.entropyBoundBits(), colorBytes(p, compact));
        out.printf(Locale.ROOT, "robot/stack     %s / %s, task %s, period %.3f ms%n", p.robot(), p.stack(), p.task(),
                p.controlPeriodNs() / 1e6);
        out.printf(Locale.ROOT, "metadata        %s%n", metadataFrom);
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            out.printf(Locale.ROOT, "meta %-10s %s%n", m.getKey(), m.getValue());
        }
        return 0;
    }

    /** Bytes the edge colors take in the file's payload. */
    private static long colorBytes(Policy p, boolean compact) {
        if (compact) {
            return CompactPolicyCodec.colorBytes(p);
        }
        boolean pruned = PolicyStats.of(p).prunedEdges() > 0;
        return ((long) p.edgeCount() * PolicyCodec.bitsFor(p.colorCount() + (pruned ? 1 : 0)) + 7) / 8;
    }
}
