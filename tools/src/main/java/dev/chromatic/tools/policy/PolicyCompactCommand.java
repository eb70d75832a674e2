package dev.chromatic.tools.policy;

import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.CompactPolicyCodec;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyEncoding;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.Normaliser;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chromatic policy compact}: the compact file of a policy, its metadata in a sidecar, and an
 * honest account of what rounding to float32 changed (nothing for a file the trainer wrote since it
 * exports at float32; for an older float64 file, the numbers and the robot's fixed-point actions).
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Writes IN (a full or compact policy file) as a compact file OUT: float32 numbers, mixed-radix colors,",
                "the metadata in OUT.json next to it. Reports how many numbers rounding to float32 changed and, when any",
                "did, how the robot's fixed-point actions change over --states random states (within 4 standard",
                "deviations of the observation mean). OUT is unsigned: sign it with 'chromatic sign'."})
public final class PolicyCompactCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.cpol", description = "The policy file to convert.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.cpol", description = "The compact file to write (replaced atomically).")
    Path out;

    @Option(names = "--states", defaultValue = "10000", paramLabel = "N",
            description = "Random states to compare the fixed-point actions on when a number changed (default ${DEFAULT-VALUE}).")
    int states;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random states (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How rounding to float32 moved the numbers. */
    record NumberChanges(int numbers, int changed, double maxAbs, double maxRelative, String maxAt) {
    }

    /** How the robot's fixed-point actions moved over random states. */
    record ActionChanges(int states, int differing, double maxAbs, long maxOutputSteps) {
    }

    @Override
    public Integer call() throws IOException, PolicyFormatException {
        if (!Files.isRegularFile(in)) {
            throw new BadInputException("policy file " + in + " not found");
        }
        if (states < 1 || states > 10_000_000) {
            throw new BadInputException("--states must be in 1..10000000, was " + states);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new BadInputException("output folder " + parent + " does not exist");
        }
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new BadInputException("OUT must be another file than IN");
        }
        byte[] bytes = PolicyFiles.read(in);
        LoadedPolicy loaded = PolicyFiles.load(bytes, TrustedKeys.none(), false);
        Policy original = loaded.policy();
        Policy.Builder b = CompactPolicyCodec.toFloat32(original).toBuilder();
        if (loaded.encoding() == PolicyEncoding.COMPACT) {
            PolicySidecar sidecar = PolicySidecar.readNextTo(in);
            if (sidecar != null && sidecar.describes(bytes)) {
                b.metadata.putAll(sidecar.metadata());
            }
        }
        b.metadata.put("compact_from", in.getFileName().toString());
        b.metadata.put("compact_from_sha256", sha256Hex(bytes));
        NumberChanges numbers = compare(original, b.build());
        if (numbers.changed() > 0) {
            // rewards and other figures above were measured with IN's numbers
            b.metadata.put("compact_rounded_numbers", numbers.changed() + " of " + numbers.numbers());
        }
        Policy compact = b.build();
        ActionChanges actions = numbers.changed() == 0 ? new ActionChanges(0, 0, 0, 0) : compareActions(original, compact, states, seed);
        PolicyFiles.write(out, compact, PolicyEncoding.COMPACT);
        Path sidecar = PolicySidecar.write(out, compact);
        long outBytes = Files.size(out);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(new JsonWriter().put("in", in.toString()).put("in_format", loaded.encoding().name().toLowerCase(Locale.ROOT))
                    .put("in_bytes", loaded.fileBytes()).put("in_signed", loaded.signed())
                    .put("out", out.toString()).put("out_bytes", outBytes).put("sidecar", sidecar.toString())
                    .put("numbers", numbers.numbers()).put("changed_numbers", numbers.changed())
                    .put("max_abs_change", numbers.maxAbs()).put("max_relative_change", numbers.maxRelative())
                    .put("states", actions.states()).put("states_with_other_actions", actions.differing())
                    .put("max_action_change", actions.maxAbs()).put("max_output_change_q16", actions.maxOutputSteps()));
            return 0;
        }
        w.printf(Locale.ROOT, "wrote %s: compact, %d bytes (%s: %s, %d bytes%s); metadata in %s%n", out, outBytes, in,
                loaded.encoding().name().toLowerCase(Locale.ROOT), loaded.fileBytes(), loaded.signed() ? ", signed" : "",
                sidecar.getFileName());
        if (numbers.changed() == 0) {
            w.printf(Locale.ROOT, "every one of the %d numbers was a float32 already: %s acts bit for bit as %s%n",
                    numbers.numbers(), out.getFileName(), in.getFileName());
        } else {
            w.printf(Locale.ROOT, "rounding to float32 changed %d of %d numbers (largest %.3g, relative %.3g, at %s)%n",
                    numbers.changed(), numbers.numbers(), numbers.maxAbs(), numbers.maxRelative(), numbers.maxAt());
            w.printf(Locale.ROOT, "fixed-point actions over %d random states: %d states act otherwise, largest change %.3g"
                    + " (network outputs at most %d Q16.16 step%s apart)%n", actions.states(), actions.differing(), actions.maxAbs(),
                    actions.maxOutputSteps(), actions.maxOutputSteps() == 1 ? "" : "s");
        }
        if (loaded.signed()) {
            w.printf(Locale.ROOT, "%s is unsigned: sign it with 'chromatic sign --key K %s'%n", out.getFileName(), out);
        }
        return 0;
    }

    static NumberChanges compare(Policy a, Policy b) {
        Tally t = new Tally();
        t.add("shared_weights", a.sharedWeights(), b.sharedWeights());
        for (int l = 0; l < a.layerCount(); l++) {
            if (l < a.layerCount() - 1 || a.outputBias()) {
                t.add("biases[" + l + "]", a.biases(l), b.biases(l));
            }
        }
        t.add("obs_mean", a.obsMean(), b.obsMean());
        t.add("obs_std", a.obsStd(), b.obsStd());
        t.add("obs_clip", new double[] {a.obsClip()}, new double[] {b.obsClip()});
        t.add("action_scale", a.actionScale(), b.actionScale());
        t.add("action_offset", a.actionOffset(), b.actionOffset());
        return new NumberChanges(t.numbers, t.changed, t.maxAbs, t.maxRelative, t.maxAt);
    }

    /** The robot's chain (normalise, fixed-point mailman network, action scaling) of both policies on the same random states. */
    static ActionChanges compareActions(Policy a, Policy b, int states, long seed) {
        MailmanNetwork netA = MailmanNetwork.of(a);
        MailmanNetwork netB = MailmanNetwork.of(b);
        int in = a.observationDim();
        int outDim = a.actionDim();
        double[] s = new double[in];
        double[] xA = new double[in];
        double[] xB = new double[in];
        double[] yA = new double[outDim];
        double[] yB = new double[outDim];
        double[] actA = new double[outDim];
        double[] actB = new double[outDim];
        SplittableRandom rng = new SplittableRandom(seed);
        int differing = 0;
        double maxAbs = 0;
        long maxSteps = 0;
        for (int t = 0; t < states; t++) {
            for (int j = 0; j < in; j++) {
                s[j] = a.obsMean()[j] + a.obsStd()[j] * rng.nextDouble(-4.0, 4.0);
            }
            Normaliser.normalise(s, a.obsMean(), a.obsStd(), a.obsClip(), xA);
            Normaliser.normalise(s, b.obsMean(), b.obsStd(), b.obsClip(), xB);
            netA.evaluate(xA, yA);
            netB.evaluate(xB, yB);
            Normaliser.scaleAction(yA, a.actionScale(), a.actionOffset(), actA);
            Normaliser.scaleAction(yB, b.actionScale(), b.actionOffset(), actB);
            boolean same = true;
            for (int i = 0; i < outDim; i++) {
                maxSteps = Math.max(maxSteps, Math.round(Math.abs(yA[i] - yB[i]) * 65536.0));
                if (Double.doubleToRawLongBits(actA[i]) != Double.doubleToRawLongBits(actB[i])) {
                    same = false;
                    maxAbs = Math.max(maxAbs, Math.abs(actA[i] - actB[i]));
                }
            }
            differing += same ? 0 : 1;
        }
        return new ActionChanges(states, differing, maxAbs, maxSteps);
    }

    private static final class Tally {
        int numbers;
        int changed;
        double maxAbs;
        double maxRelative;
        String maxAt = "-";

        void add(String field, double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) {
                numbers++;
                if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                    changed++;
                    double d = Math.abs(a[i] - b[i]);
                    if (d > maxAbs) {
                        maxAbs = d;
                        maxAt = a.length == 1 ? field : field + "[" + i + "]";
                    }
                    maxRelative = Math.max(maxRelative, a[i] == 0 ? 0 : d / Math.abs(a[i]));
                }
            }
        }
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
