package dev.chromatic.trainer;

import dev.chromatic.runtime.policy.PolicyEncoding;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.report.CurvePlot;
import dev.chromatic.trainer.report.MetricsCsv;
import dev.chromatic.trainer.report.MetricsRow;
import dev.chromatic.trainer.report.ProgressBar;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One complete training run as the CLI performs it: build the pool and the trainer, resume from
 * the checkpoint if asked, train with a progress bar, then write the policy (full, or compact with
 * its metadata sidecar), the metrics CSV and the training-curve PNG next to it. The wall clock is
 * used only for reporting.
 */
public final class TrainingRun {

    private TrainingRun() {
    }

    /** Where the run writes its files, and the policy file's encoding. */
    public static final class Outputs {
        public final Path policy;
        public final PolicyEncoding encoding;
        /** The compact file's metadata sidecar; null for a full file, which holds its metadata. */
        public final Path sidecar;
        public final Path csv;
        public final Path plot;
        public final Path checkpoint;

        public Outputs(Path policy) {
            this(policy, PolicyEncoding.FULL);
        }

        public Outputs(Path policy, PolicyEncoding encoding) {
            this.policy = policy;
            this.encoding = encoding;
            this.sidecar = encoding == PolicyEncoding.COMPACT ? PolicySidecar.pathOf(policy) : null;
            String base = policy.getFileName().toString().replaceFirst("\\.cpol$", "");
            Path dir = policy.toAbsolutePath().getParent();
            this.csv = dir.resolve(base + ".csv");
            this.plot = dir.resolve(base + ".png");
            this.checkpoint = dir.resolve(base + ".ckpt");
        }
    }

    /** The finished run: result plus wall seconds of the whole training. */
    public static final class Finished {
        public final TrainResult result;
        public final double seconds;
        /** Return of the exported policy over one evaluation episode, float64 and fixed point. */
        public final double checkRewardFloat;
        public final double checkRewardFixed;

        Finished(TrainResult result, double seconds, double checkRewardFloat, double checkRewardFixed) {
            this.result = result;
            this.seconds = seconds;
            this.checkRewardFloat = checkRewardFloat;
            this.checkRewardFixed = checkRewardFixed;
        }
    }

    /**
     * Trains and writes every output. {@code progress} may be null (no bar).
     *
     * @throws IOException when a file cannot be written or the checkpoint does not fit
     */
    public static Finished run(TrainConfig cfg, Outputs out, boolean resume, PrintStream progress,
            Map<String, String> metadata) throws IOException, PolicyFormatException {
        return run(cfg, out, resume, progress, metadata, LocalRolloutEvaluator::new);
    }

    /** As {@link #run(TrainConfig, Outputs, boolean, PrintStream, Map)}, rollouts on the evaluator {@code evaluators} builds (e.g. a cluster). */
    public static Finished run(TrainConfig cfg, Outputs out, boolean resume, PrintStream progress,
            Map<String, String> metadata, Function<ParallelFor, ? extends RolloutEvaluator> evaluators)
            throws IOException, PolicyFormatException {
        Path dir = out.policy.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (ParallelFor parallel = new ParallelFor(cfg.threads);
             RolloutEvaluator evaluator = evaluators.apply(parallel)) {
            Trainer trainer = new Trainer(cfg, evaluator, parallel, System::nanoTime);
            if (resume) {
                if (!Files.exists(out.checkpoint)) {
                    throw new java.nio.file.NoSuchFileException(out.checkpoint + " (no checkpoint to resume)");
                }
                trainer.loadCheckpoint(out.checkpoint);
            }
            int startIteration = trainer.iteration();
            long startNs = System.nanoTime();
            ProgressBar bar = progress == null ? null : new ProgressBar(progress, 30);
            trainer.runUntil(cfg.iterations, (row, total) -> {
                if (bar != null) {
                    bar.update(row, total, row.iteration + 1 - startIteration, (System.nanoTime() - startNs) * 1e-9);
                }
            }, out.checkpoint);
            if (cfg.checkpointEvery > 0) {
                trainer.saveCheckpoint(out.checkpoint);
            }
            Map<String, String> meta = new TreeMap<>();
            if (metadata != null) {
                meta.putAll(metadata);
            }
            TrainResult result = trainer.finish(meta);
            // the robot runs fixed point: check the exported policy's return both ways before writing,
            // exactly as `chromatic eval --policy F --episodes 1` computes it
            PolicyEvaluation.Report check = PolicyEvaluation.run(result.policy, cfg.env, cfg.envOptions, 1,
                    PolicyEvaluation.DEFAULT_SEED, cfg.maxSteps);
            dev.chromatic.runtime.policy.Policy.Builder checked = result.policy.toBuilder();
            checked.metadata.put("eval_reward", Double.toString(check.floating.meanReward));
            checked.metadata.put("eval_reward_fixed", Double.toString(check.fixed.meanReward));
            result = result.withPolicy(checked.build());
            PolicyFiles.write(out.policy, result.policy, out.encoding);
            if (out.sidecar != null) {
                PolicySidecar.write(out.policy, result.policy);
            }
            MetricsCsv.write(out.csv, trainer.rows());
            CurvePlot.returns(cfg.env + " " + cfg.structure + " (" + result.weightParams + " weights)", trainer.rows())
                    .write(out.plot);
            double seconds = trainer.rows().isEmpty() ? 0 : trainer.rows().get(trainer.rows().size() - 1).seconds;
            return new Finished(result, seconds, check.floating.meanReward, check.fixed.meanReward);
        }
    }

    /** The rows of a metrics CSV (for comparisons across runs). */
    public static java.util.List<MetricsRow> readCsv(Path file) throws IOException {
        java.util.List<MetricsRow> rows = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("iteration")) {
                rows.add(MetricsRow.parse(line));
            }
        }
        return rows;
    }
}
