package dev.chromatic.trainer;

import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.trainer.controller.PartitionController;
import dev.chromatic.trainer.es.EsStrategy;
import dev.chromatic.trainer.es.Estimator;
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
import dev.chromatic.trainer.structure.Parameterization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * ES-ENAS (paper, section 3): each iteration the controller proposes a partition for every rollout
 * slot, ES evaluates the perturbed shared weights with those partitions, the shared weights take
 * one ES step and the controller one REINFORCE (or evolution) step. The same loop trains the
 * baselines (Toeplitz, circulant, unstructured, masked), which have no controller.
 *
 * <p>The loop is {@link #step}; its parts: {@link ControllerSchedule} (partitions, controller
 * updates), {@link IterationMetrics} (the metrics row), {@link CandidateSelection} (re-evaluation
 * and export at the end) and {@link Checkpoint} (the file).
 *
 * <p>Deterministic: every random draw comes from a stream derived from the seed and the iteration,
 * rollout results are merged in slot order, so the result does not depend on the number of threads
 * and a run resumed from a checkpoint ends exactly as an uninterrupted one. Not thread-safe.
 */
public final class Trainer {

    private static final long EPISODE_STREAM = 3;

    /** Receives every finished iteration (e.g. a progress bar). */
    public interface Listener {
        void onIteration(MetricsRow row, int totalIterations);
    }

    private final TrainConfig cfg;
    private final RolloutEvaluator evaluator;
    private final LongSupplier nanoClock;
    private final EnvProfile env;
    private final int[] layerSizes;
    private final StructuredNetwork network;
    private final Parameterization structure;
    private final EsStrategy es;
    private final int slots;
    /** Each slot's start group ({@code --start-groups}), or null when every perturbation has its own start. */
    private final int[] startGroupOfSlot;
    private final ObservationStats obsStats;
    /** The controller and its phases; null for structures without a learned partition. */
    private final ControllerSchedule schedule;
    private final IterationMetrics metrics;
    private final CandidateSelection candidates;
    private final List<MetricsRow> rows = new ArrayList<>();
    private final Checkpoint checkpoint;
    private int iteration;
    private long rollouts;
    private double elapsedBeforeS;

    /**
     * A fresh run. {@code parallel} also runs the LSTM controller; {@code evaluator} runs rollouts.
     *
     * @throws IllegalArgumentException for a bad setting (message names the key)
     */
    public Trainer(TrainConfig config, RolloutEvaluator evaluator, ParallelFor parallel, LongSupplier nanoClock) {
        this.cfg = config.validate();
        this.evaluator = evaluator;
        this.nanoClock = nanoClock;
        env = EnvProfile.probe(cfg.env, cfg.envOptions);
        layerSizes = env.layerSizes(cfg.hidden);
        network = new StructuredNetwork(cfg.fixedColoring != null
                ? new StructureSpec("chromatic", layerSizes, cfg.fixedColoringColors, cfg.fixedColoring)
                : new StructureSpec(cfg.structure.toLowerCase(Locale.ROOT), layerSizes, cfg.colors, null));
        structure = network.structure();
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
        startGroupOfSlot = startGroups(cfg.startGroups, es);
        obsStats = new ObservationStats(layerSizes[0]);
        if (cfg.initObsMean != null) {
            obsStats.merge(ObservationStats.prior(cfg.initObsCount, cfg.initObsMean, cfg.initObsStd));
        }
        schedule = structure.learnsPartition()
                ? new ControllerSchedule(ControllerFactory.create(cfg, structure.edgeCount(), slots, parallel), cfg, slots,
                        es.estimator() == Estimator.ANTITHETIC, startGroupOfSlot)
                : null;
        metrics = new IterationMetrics(network);
        candidates = new CandidateSelection(cfg, evaluator, env, network);
        checkpoint = new Checkpoint(cfg, es, obsStats, schedule, metrics, candidates, rows);
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
        IterationBroadcast b = new IterationBroadcast(env.id, cfg.envOptions.toText(), network.spec(), k, cfg.seed, cfg.sigma,
                thetaK, parts, mean, std, cfg.obsClip, cfg.maxSteps);
        List<RolloutResult> results = evaluator.evaluate(b, slotSpecs(k));
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
        candidates.offer(k, thetaK, parts, mean, std, returns, es.perturbedSlots(), pivot);
        MetricsRow row = metrics.record(k, rollouts, returns, pivot, schedule == null ? 0.0 : schedule.controller().entropy(),
                thetaK, parts);
        iteration++;
        return row;
    }

    /**
     * The rollouts of iteration {@code k}, one per slot: its perturbation and sign, and an episode
     * seed keyed by the perturbation (both halves of a pair meet the same episode) or, for an
     * exact slot, by its index after the perturbations; with {@code --start-groups G} keyed by the
     * slot's start group instead.
     */
    List<RolloutSpec> slotSpecs(int k) {
        List<RolloutSpec> specs = new ArrayList<>(slots);
        int np = es.perturbedSlots();
        for (int s = 0; s < slots; s++) {
            int p = es.perturbationOf(s);
            long key = startGroupOfSlot != null ? startGroupOfSlot[s] : p >= 0 ? p : cfg.perturbations + (s - np);
            specs.add(new RolloutSpec(s, p, es.signOf(s), s, Rng.deriveSeed(cfg.seed, EPISODE_STREAM, k, key)));
        }
        return specs;
    }

    /**
     * With {@code --start-groups G}: each slot's start group (perturbation p: p mod G, the j-th
     * exact slot: j mod G); null when every perturbation has its own start.
     */
    private static int[] startGroups(int groupCount, EsStrategy es) {
        if (groupCount == 0) {
            return null;
        }
        int np = es.perturbedSlots();
        int[] groups = new int[es.slotCount()];
        for (int s = 0; s < groups.length; s++) {
            int p = es.perturbationOf(s);
            groups[s] = (p >= 0 ? p : s - np) % groupCount;
        }
        return groups;
    }

    /**
     * Re-evaluates the candidates (the best unperturbed evaluations of the run, plus the final
     * weights with the controller's most likely partition) on the same {@code evalEpisodes} seeds
     * and exports the best as a policy.
     */
    public TrainResult finish(Map<String, String> metadata) throws PolicyFormatException {
        double[] mean = new double[layerSizes[0]];
        double[] std = new double[layerSizes[0]];
        obsStats.meanStd(mean, std);
        Candidate last = new Candidate(es.theta().clone(), schedule == null ? null : schedule.controller().mostLikely(), mean, std,
                Double.NaN, iteration);
        return candidates.finish(last, iteration, metrics.bestMean(), metrics.bestMax(), metadata);
    }

    /** Writes the whole state atomically (temporary file, then rename). */
    public void saveCheckpoint(Path file) throws IOException {
        checkpoint.write(file, new Checkpoint.Counters(iteration, rollouts, elapsedBeforeS));
    }

    /**
     * Restores a checkpoint written by a run with the same settings (iterations and threads may
     * differ).
     *
     * @throws IOException when the file is not a checkpoint of this configuration
     */
    public void loadCheckpoint(Path file) throws IOException {
        Checkpoint.Counters counters = checkpoint.read(file);
        iteration = counters.iteration();
        rollouts = counters.rollouts();
        elapsedBeforeS = counters.elapsedS();
    }

    /** The estimator in use (for reports). */
    public Estimator estimator() {
        return es.estimator();
    }
}
