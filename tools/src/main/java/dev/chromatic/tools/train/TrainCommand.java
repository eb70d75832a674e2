package dev.chromatic.tools.train;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyEncoding;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chromatic train}: ES-ENAS (or a baseline structure) on one environment, to a .cpol file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a chromatic policy (ES + ENAS) or a baseline structure and writes it as a .cpol file,",
                "with FILE.csv (per-iteration metrics), FILE.png (training curves) and FILE.ckpt (checkpoint) next to it",
                "(and FILE.cpol.json, the metadata, with --format compact)."})
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    TrainOptions options = new TrainOptions();

    @Option(names = "--structure", defaultValue = "chromatic", description = "chromatic, toeplitz, circulant, unstructured or masked (default: ${DEFAULT-VALUE}).")
    String structure;

    @Option(names = "--iterations", defaultValue = "100", description = "ES iterations (default: the preset's, else ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--out", required = true, description = "Output policy file (.cpol).")
    Path out;

    @Option(names = "--format", defaultValue = "full", paramLabel = "F",
            description = {"full (the metadata inside) or compact (float32 numbers, mixed-radix colors, the metadata in",
                    "OUT.json next to it) (default: ${DEFAULT-VALUE}). Either way the numbers are exported at float32,",
                    "so 'chromatic policy compact' turns a full file into the same policy."})
    String format;

    @Option(names = "--resume", description = "Continue from OUT's checkpoint (OUT with .ckpt) with the same settings.")
    boolean resume;

    @Option(names = "--coloring-from", description = "Train only the shared weights of this policy's coloring (transfer, paper Appendix C).")
    Path coloringFrom;

    @Option(names = "--init-from", paramLabel = "FILE.cpol",
            description = {"Fine-tune this chromatic policy: start from its coloring, shared weights, biases and",
                    "observation statistics (the coloring stays fixed)."})
    Path initFrom;

    @Mixin
    dev.chromatic.tools.cluster.ClusterTrainOptions cluster = new dev.chromatic.tools.cluster.ClusterTrainOptions();

    @Option(names = "--json", description = "Print one JSON object with the result.")
    boolean json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PolicyEncoding encoding = parseFormat(format);
        Integer presetIterations = options.applyPreset("--iterations");
        if (presetIterations != null) {
            iterations = presetIterations;
        }
        TrainConfig cfg = options.toConfig(structure, iterations);
        if (coloringFrom != null && initFrom != null) {
            throw new BadInputException("give --coloring-from or --init-from, not both");
        }
        if (coloringFrom != null) {
            Policy donor = PolicyFiles.load(Files.readAllBytes(coloringFrom), TrustedKeys.none(), false).policy();
            applyColoring(cfg, donor);
        }
        if (initFrom != null) {
            if (!Files.isRegularFile(initFrom)) {
                throw new BadInputException("--init-from: no such file " + initFrom);
            }
            initFrom(cfg, PolicyFiles.load(Files.readAllBytes(initFrom), TrustedKeys.none(), false).policy());
        }
        Map<String, String> meta = new TreeMap<>();
        meta.put("command", commandLine(cfg));
        meta.put("preset", options.preset());
        if (coloringFrom != null) {
            meta.put("coloring_from", coloringFrom.getFileName().toString());
            meta.put("coloring_from_sha256", sha256(coloringFrom));
        }
        if (initFrom != null) {
            meta.put("init_from", initFrom.getFileName().toString());
            meta.put("init_from_sha256", sha256(initFrom));
        }
        TrainingRun.Finished f = TrainingRun.run(cfg, new TrainingRun.Outputs(out, encoding), resume,
                quiet || json ? null : System.err, meta, cluster.evaluators(cfg.threads));
        if (json) {
            System.out.println(new JsonWriter().put("env", cfg.env).put("preset", options.preset()).put("structure", cfg.structure)
                    .put("reward", f.result.reward).put("best_reward", f.result.bestMeanReward)
                    .put("iterations", f.result.iterations).put("seconds", f.seconds)
                    .put("weight_params", f.result.weightParams).put("out", out.toString())
                    .put("format", encoding.name().toLowerCase(java.util.Locale.ROOT)).put("bytes", Files.size(out))
                    .put("displacement_ranks_toeplitz", f.result.displacementRanks)
                    .put("displacement_ranks_toeplitz_hankel", f.result.displacementRanksToeplitzHankel)
                    .put("check_reward_float", f.checkRewardFloat).put("check_reward_fixed", f.checkRewardFixed));
        } else {
            System.out.printf(java.util.Locale.ROOT,
                    "trained %s %s: eval reward %.2f (best iteration mean %.2f, max rollout %.2f), %d weight params, "
                            + "%d iterations in %.1f s, displacement ranks %s (Toeplitz-Hankel %s), export check float %.2f / fixed point %.2f -> %s%n",
                    cfg.env, cfg.structure, f.result.reward, f.result.bestMeanReward, f.result.maxReward,
                    f.result.weightParams, f.result.iterations, f.seconds,
                    Arrays.toString(f.result.displacementRanks),
                    Arrays.toString(f.result.displacementRanksToeplitzHankel), f.checkRewardFloat, f.checkRewardFixed, out);
        }
        return 0;
    }

    /** The encoding a {@code --format} value names. */
    public static PolicyEncoding parseFormat(String format) {
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> PolicyEncoding.FULL;
            case "compact" -> PolicyEncoding.COMPACT;
            default -> throw new BadInputException("--format must be full or compact, was '" + format + "'");
        };
    }

    /** Fine-tuning: the donor's coloring, fixed, and its parameters and normalisation as the start. */
    public static void initFrom(TrainConfig cfg, Policy donor) {
        if (donor.outputBias()) {
            throw new BadInputException("--init-from: policies with an output bias cannot be fine-tuned");
        }
        // a policy of one robot may start another's training on the same stack (the Minitaur's gait for the servo build)
        String stack = dev.chromatic.trainer.rollout.MinitaurTrainingEnv.IDS.contains(cfg.env)
                ? dev.chromatic.trainer.rollout.MinitaurTrainingEnv.stackOf(cfg.env) : cfg.env;
        if (!donor.stack().equals(stack)) {
            throw new BadInputException("--init-from: the policy is for " + donor.stack() + ", not --env " + cfg.env);
        }
        applyColoring(cfg, donor);
        int m = donor.colorCount();
        int hiddenBiases = 0;
        for (int l = 0; l < donor.layerCount() - 1; l++) {
            hiddenBiases += donor.biases(l).length;
        }
        double[] theta = new double[m + hiddenBiases];
        System.arraycopy(donor.sharedWeights(), 0, theta, 0, m);
        int k = m;
        for (int l = 0; l < donor.layerCount() - 1; l++) {
            double[] b = donor.biases(l);
            System.arraycopy(b, 0, theta, k, b.length);
            k += b.length;
        }
        cfg.initTheta = theta;
        cfg.initObsMean = donor.obsMean().clone();
        cfg.initObsStd = donor.obsStd().clone();
        cfg.initObsCount = 100_000;
    }

    static void applyColoring(TrainConfig cfg, Policy donor) {
        int[] sizes = donor.layerSizes();
        int[] hidden = Arrays.copyOfRange(sizes, 1, sizes.length - 1);
        if (!Arrays.equals(hidden, cfg.hidden)) {
            throw new BadInputException("--coloring-from: the policy's hidden layers " + Arrays.toString(hidden)
                    + " differ from --hidden " + Arrays.toString(cfg.hidden));
        }
        int[][] colors = new int[donor.layerCount()][];
        for (int l = 0; l < colors.length; l++) {
            colors[l] = donor.edgeColors(l);
        }
        cfg.fixedColoring = colors;
        cfg.fixedColoringColors = donor.colorCount();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private String commandLine(TrainConfig cfg) {
        return "chromatic train --preset none --env " + cfg.env + " --structure " + structure + " --colors " + cfg.colors
                + " --hidden " + options.hidden + " --controller " + cfg.controller + " --seed " + cfg.seed
                + " --iterations " + iterations + " --perturbations " + cfg.perturbations + " --exact " + cfg.exact
                + " --estimator " + options.estimator + " --optimizer " + cfg.optimizer + " --lr " + cfg.learningRate
                + " --sigma " + cfg.sigma + " --init-scale " + cfg.initScale + " --controller-reward " + cfg.controllerReward
                + " --controller-phase " + cfg.controllerPhase + (cfg.sharedPairPartitions ? " --shared-pair-partitions" : "")
                + (cfg.startGroups > 0 ? " --start-groups " + cfg.startGroups : "") + " --controller-lr " + cfg.effectiveControllerLearningRate()
                + " --controller-entropy " + cfg.entropyWeight
                + " --population " + cfg.population + " --eval-episodes " + cfg.evalEpisodes
                + " --candidates " + cfg.candidates + (cfg.maxSteps > 0 ? " --max-steps " + cfg.maxSteps : "")
                + ("masked".equalsIgnoreCase(structure) ? " --mask-beta " + cfg.maskBetaEnd : "")
                + (cfg.env.startsWith("minitaur") ? " --start " + options.start + " --randomize " + options.randomize : "")
                + (initFrom != null ? " --init-from " + initFrom : "")
                + (coloringFrom != null ? " --coloring-from " + coloringFrom : "")
                + ("compact".equalsIgnoreCase(format) ? " --format compact" : "")
                + " --threads " + cfg.threads;
    }
}
