package dev.chromatic.trainer;

import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.trainer.controller.PartitionController;
import dev.chromatic.trainer.es.EsStrategy;
import dev.chromatic.trainer.es.Estimator;
import dev.chromatic.trainer.es.Io;
import dev.chromatic.trainer.es.ObservationStats;
import dev.chromatic.trainer.es.Optimizer;
import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.report.MetricsRow;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.RolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import dev.chromatic.trainer.rollout.StructureSpec;
import dev.chromatic.trainer.rollout.TrainingEnv;
import dev.chromatic.trainer.rollout.TrainingEnvs;
import dev.chromatic.trainer.structure.Parameterization;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * ES-ENAS (paper, section 3): each iteration the controller proposes a partition for every rollout
 * slot, ES evaluates the perturbed shared weights with those partitions, the shared weights take
 * one ES step and the controller one REINFORCE (or evolution) step. The same loop trains the
 * baselines (Toeplitz, circulant, unstructured, masked), which have no controller.
 *
 * <p>Deterministic: every random draw comes from a stream derived from the seed and the iteration,
 * rollout results are merged in slot order, so the result does not depend on the number of threads
 * and a run resumed from a checkpoint ends exactly as an uninterrupted one. Not thread-safe.
 */
public final class Trainer {

    private static final long EPISODE_STREAM = 3;
    private static final long EVAL_STREAM = 4;
    private static final int CHECKPOINT_MAGIC = 0x43484b50;
    private static final int CHECKPOINT_VERSION = 2;

    /** Receives every finished iteration (e.g. a progress bar). */
    public interface Listener {
        void onIteration(MetricsRow row, int totalIterations);
    }

    private final TrainConfig cfg;
    private final RolloutEvaluator evaluator;
    private final LongSupplier nanoClock;
    private final StructuredNetwork network;
    private final Parameterization structure;
    private final int[] layerSizes;
    private final EsStrategy es;
    /** The controller and its phases; null for structures without a learned partition. */
    private final ControllerSchedule schedule;
    private final ObservationStats obsStats;
    private final String envId;
    private final String robot;
    private final String stackId;
    private final String task;
    private final long controlPeriodNs;
    private final double[] actionScale;
    private final double[] actionOffset;
    private final int slots;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<MetricsRow> rows = new ArrayList<>();
    private int iteration;
    private long rollouts;
    private double elapsedBeforeS;
    private final IterationMetrics metrics;

    /**
     * A fresh run. {@code parallel} also runs the LSTM controller; {@code evaluator} runs rollouts.
     *
     * @throws IllegalArgumentException for a bad setting (message names the key)
     */
    public Trainer(TrainConfig config, RolloutEvaluator evaluator, ParallelFor parallel, LongSupplier nanoClock) {
        this.cfg = config.validate();
        this.evaluator = evaluator;
        this.nanoClock = nanoClock;
        try (TrainingEnv probe = TrainingEnvs.create(cfg.env, cfg.envOptions)) {
            envId = probe.id();
            robot = probe.robot();
            stackId = probe.stack();
            task = probe.task();
            controlPeriodNs = probe.controlPeriodNs();
            actionScale = probe.actionScale();
            actionOffset = probe.actionOffset();
            layerSizes = new int[cfg.hidden.length + 2];
            layerSizes[0] = probe.observationDim();
            System.arraycopy(cfg.hidden, 0, layerSizes, 1, cfg.hidden.length);
            layerSizes[layerSizes.length - 1] = probe.actionDim();
        }
        network = new StructuredNetwork(cfg.fixedColoring != null
                ? new StructureSpec("chromatic", layerSizes, cfg.fixedColoringColors, cfg.fixedColoring)
                : new StructureSpec(cfg.structure.toLowerCase(java.util.Locale.ROOT), layerSizes, cfg.colors, null));
        structure = network.structure();
        metrics = new IterationMetrics(network);
        double[] theta0 = structure.initialTheta(cfg.seed, cfg.initScale);
        if (cfg.initTheta != null) {
            if (cfg.initTheta.length != theta0.length) {
                throw new IllegalArgumentException("init-from: the policy has " + cfg.initTheta.length
                        + " parameters, this structure " + theta0.length);
            }
            theta0 = cfg.initTheta.clone();
        }
        es = new EsStrategy(cfg.estimator, cfg.perturbations, cfg.exact, cfg.sigma, cfg.seed, theta0,
                Optimizer.create(cfg.optimizer, cfg.learningRate, theta0.length));
        slots = es.slotCount();
        obsStats = new ObservationStats(layerSizes[0]);
        if (cfg.initObsMean != null) {
            obsStats.merge(ObservationStats.prior(cfg.initObsCount, cfg.initObsMean, cfg.initObsStd));
        }
        schedule = structure.learnsPartition()
                ? new ControllerSchedule(ControllerFactory.create(cfg, structure.edgeCount(), slots, parallel), cfg, slots,
                        es.estimator() == Estimator.ANTITHETIC)
                : null;
    }

    public TrainConfig config() {
        return cfg;
    }

    /** The next iteration to run (= iterations done). */
    public int iteration() {
        return iteration;
    }

    public double[] theta() {
        return es.theta();
    }

    public Parameterization structure() {
        return structure;
    }

    public int[] layerSizes() {
        return layerSizes.clone();
    }

    public List<MetricsRow> rows() {
        return rows;
    }

    /** The partition controller, or null for structures without a learned partition. */
    public PartitionController controller() {
        return schedule == null ? null : schedule.controller();
    }

    /** Runs iterations until {@code until} (exclusive), checkpointing every N to {@code checkpoint}. */
    public void runUntil(int until, Listener listener, Path checkpoint) throws IOException {
        long startNs = nanoClock.getAsLong();
        double before = elapsedBeforeS;
        while (iteration < Math.min(until, cfg.iterations)) {
            MetricsRow row = step();
            row.seconds = before + (nanoClock.getAsLong() - startNs) * 1e-9;
            elapsedBeforeS = row.seconds;
            rows.add(row);
            if (listener != null) {
                listener.onIteration(row, cfg.iterations);
            }
            if (checkpoint != null && cfg.checkpointEvery > 0 && iteration % cfg.checkpointEvery == 0) {
                saveCheckpoint(checkpoint);
            }
        }
    }

    /** Runs one ES-ENAS iteration and returns its metrics (seconds not yet set). */
    MetricsRow step() {
        final int k = iteration;
        int[][] parts = schedule == null ? null : schedule.partitions(k);
        double[] mean = new double[layerSizes[0]];
        double[] std = new double[layerSizes[0]];
        obsStats.meanStd(mean, std);
        double[] thetaK = es.theta().clone();
        IterationBroadcast b = new IterationBroadcast(envId, cfg.envOptions.toText(), network.spec(), k, cfg.seed, cfg.sigma, thetaK, parts,
                mean, std, cfg.obsClip, cfg.maxSteps);
        List<RolloutSpec> specs = new ArrayList<>(slots);
        int np = es.perturbedSlots();
        for (int s = 0; s < slots; s++) {
            int p = es.perturbationOf(s);
            long key = p >= 0 ? p : cfg.perturbations + (s - np);
            specs.add(new RolloutSpec(s, p, es.signOf(s), s, Rng.deriveSeed(cfg.seed, EPISODE_STREAM, k, key)));
        }
        List<RolloutResult> results = evaluator.evaluate(b, specs);
        double[] returns = new double[slots];
        double[] kept = new double[slots];
        for (int s = 0; s < slots; s++) {
            RolloutResult r = results.get(s);
            returns[s] = r.totalReward;
            kept[s] = r.keptFraction;
            obsStats.merge(r.obsCount, r.obsSum, r.obsSumSq);
        }
        rollouts += slots;
        double[] fitness = structure.kind() == StructureKind.MASKED
                ? MaskedFitness.of(k, cfg.iterations, cfg.maskBetaEnd, returns, kept)
                : returns;
        double pivot = es.tell(k, fitness);
        if (schedule != null) {
            schedule.tell(k, returns);
        }
        // candidates: the unperturbed parameters of this iteration, per exact slot
        for (int s = np; s < slots; s++) {
            if (schedule == null && s > np) {
                break;
            }
            double score = schedule == null ? pivot : returns[s];
            offerCandidate(new Candidate(thetaK, parts == null ? null : parts[s].clone(), mean, std, score, k));
        }
        MetricsRow row = metrics.record(k, rollouts, returns, pivot, schedule == null ? 0.0 : schedule.controller().entropy(),
                thetaK, parts);
        iteration++;
        return row;
    }

    private void offerCandidate(Candidate c) {
        candidates.add(c);
        candidates.sort((x, y) -> x.score != y.score ? Double.compare(y.score, x.score) : Integer.compare(x.iteration, y.iteration));
        while (candidates.size() > cfg.candidates) {
            candidates.remove(candidates.size() - 1);
        }
    }

    /**
     * Re-evaluates the candidates (the best unperturbed evaluations of the run, plus the final
     * weights with the controller's most likely partition) on the same {@code evalEpisodes} seeds
     * and exports the best as a policy.
     */
    public TrainResult finish(java.util.Map<String, String> metadata) throws PolicyFormatException {
        List<Candidate> pool = new ArrayList<>(candidates);
        double[] mean = new double[layerSizes[0]];
        double[] std = new double[layerSizes[0]];
        obsStats.meanStd(mean, std);
        pool.add(new Candidate(es.theta().clone(), schedule == null ? null : schedule.controller().mostLikely(), mean, std,
                Double.NaN, iteration));
        double bestScore = Double.NEGATIVE_INFINITY;
        Candidate best = null;
        for (Candidate c : pool) {
            double score = evaluate(c);
            if (best == null || score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        double[] weights = new double[structure.poolSize()];
        double[][] biases = new double[layerSizes.length - 1][];
        int[][] colors = network.colors(best.theta, best.partition, weights, biases);
        Policy.Builder pb = Policy.builder();
        pb.structure = structure.kind();
        pb.layerSizes = layerSizes.clone();
        pb.activations = structure.activations();
        pb.colorCount = structure.poolSize();
        pb.edgeColors = colors;
        pb.sharedWeights = weights;
        pb.biases = biases;
        pb.outputBias = false;
        pb.obsMean = best.obsMean.clone();
        pb.obsStd = best.obsStd.clone();
        pb.obsClip = cfg.obsClip;
        pb.actionScale = actionScale.clone();
        pb.actionOffset = actionOffset.clone();
        pb.controlPeriodNs = controlPeriodNs;
        pb.robot = robot;
        pb.stack = stackId;
        pb.task = task;
        pb.metadata.put("trainer", cfg.describe());
        pb.metadata.put("seed", Long.toString(cfg.seed));
        pb.metadata.put("iterations", Integer.toString(iteration));
        pb.metadata.put("selection_reward", Double.toString(bestScore));
        pb.metadata.put("selection_episodes", Integer.toString(cfg.evalEpisodes));
        pb.metadata.put("env_options", cfg.envOptions.toText());
        pb.metadata.put("selected_from_iteration", Integer.toString(best.iteration));
        if (metadata != null) {
            pb.metadata.putAll(metadata);
        }
        Policy policy = pb.build();
        int totalParams = structure.weightParams(best.theta) + policy.biasParamCount();
        double[][] matrices = network.weightMatrices(best.theta, best.partition);
        return new TrainResult(policy, bestScore, metrics.bestMean(), metrics.bestMax(), iteration, structure.weightParams(best.theta),
                totalParams, network.displacementRanks(matrices, false), network.displacementRanks(matrices, true));
    }

    /** Mean return of a candidate over the evaluation seeds. */
    private double evaluate(Candidate c) {
        IterationBroadcast b = new IterationBroadcast(envId, cfg.envOptions.toText(), network.spec(), -1, cfg.seed, 0.0, c.theta,
                c.partition == null ? null : new int[][] {c.partition}, c.obsMean, c.obsStd, cfg.obsClip, cfg.maxSteps);
        List<RolloutSpec> specs = new ArrayList<>();
        for (int e = 0; e < cfg.evalEpisodes; e++) {
            specs.add(new RolloutSpec(e, -1, 0, 0, Rng.deriveSeed(cfg.seed, EVAL_STREAM, e)));
        }
        double sum = 0;
        for (RolloutResult r : evaluator.evaluate(b, specs)) {
            sum += r.totalReward;
        }
        return sum / cfg.evalEpisodes;
    }

    /** Writes the whole state atomically (temporary file, then rename). */
    public void saveCheckpoint(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(CHECKPOINT_MAGIC);
            out.writeInt(CHECKPOINT_VERSION);
            out.writeUTF(cfg.fingerprint());
            out.writeInt(iteration);
            out.writeLong(rollouts);
            out.writeDouble(elapsedBeforeS);
            out.writeDouble(metrics.bestMean());
            out.writeDouble(metrics.bestMax());
            es.save(out);
            obsStats.save(out);
            out.writeBoolean(schedule != null);
            if (schedule != null) {
                schedule.save(out);
            }
            int[] previousBest = metrics.previousBest();
            out.writeBoolean(previousBest != null);
            if (previousBest != null) {
                Io.writeInts(out, previousBest);
            }
            out.writeInt(candidates.size());
            for (Candidate c : candidates) {
                Io.writeDoubles(out, c.theta);
                out.writeBoolean(c.partition != null);
                if (c.partition != null) {
                    Io.writeInts(out, c.partition);
                }
                Io.writeDoubles(out, c.obsMean);
                Io.writeDoubles(out, c.obsStd);
                out.writeDouble(c.score);
                out.writeInt(c.iteration);
            }
            out.writeInt(rows.size());
            for (MetricsRow r : rows) {
                out.writeUTF(r.toCsv());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Restores a checkpoint written by a run with the same settings (iterations and threads may
     * differ).
     *
     * @throws IOException when the file is not a checkpoint of this configuration
     */
    public void loadCheckpoint(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != CHECKPOINT_MAGIC) {
                throw new IOException(file + " is not a chromatic training checkpoint");
            }
            int version = in.readInt();
            if (version != CHECKPOINT_VERSION) {
                throw new IOException(file + " is a training checkpoint of version " + version + "; this trainer reads version "
                        + CHECKPOINT_VERSION + " (start the run again without --resume)");
            }
            String fp = in.readUTF();
            if (!fp.equals(cfg.fingerprint())) {
                throw new IOException(file + " was written with different settings: " + fp);
            }
            iteration = in.readInt();
            rollouts = in.readLong();
            elapsedBeforeS = in.readDouble();
            double bestMean = in.readDouble();
            double bestMax = in.readDouble();
            es.load(in);
            obsStats.load(in);
            boolean hasController = in.readBoolean();
            if (hasController != (schedule != null)) {
                throw new IOException(file + ": controller presence does not match");
            }
            if (schedule != null) {
                schedule.load(in);
            }
            metrics.restore(bestMean, bestMax, in.readBoolean() ? Io.readInts(in) : null);
            candidates.clear();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                double[] theta = Io.readDoubles(in);
                int[] part = in.readBoolean() ? Io.readInts(in) : null;
                candidates.add(new Candidate(theta, part, Io.readDoubles(in), Io.readDoubles(in), in.readDouble(), in.readInt()));
            }
            rows.clear();
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                rows.add(MetricsRow.parse(in.readUTF()));
            }
        }
    }

    /** The estimator in use (for reports). */
    public Estimator estimator() {
        return es.estimator();
    }
}
