package dev.chromatic.trainer;

import dev.chromatic.trainer.controller.LstmController;
import dev.chromatic.trainer.controller.PpoController;
import dev.chromatic.trainer.es.Estimator;
import dev.chromatic.trainer.rollout.EnvOptions;
import java.util.Arrays;
import java.util.Locale;

/**
 * Every setting of a training run, validated once by {@link #validate()} (messages name the bad
 * key). Defaults follow the paper and the authors' code where they exist (sigma 0.1, step 0.01,
 * LSTM controller, softmax temperature 1.0) and the small budget presets of this project where the
 * paper's 450 rollouts an iteration do not fit. The controller's learning rate and entropy weight
 * are ours: the paper's (Adam 1e-3, entropy 0.3 added to the reward) do not learn in the updates
 * that fit here (docs/trainer.md, "Controllers").
 */
public final class TrainConfig {

    public String env = "pendulum";
    /** How robot episodes start and how the simulator is randomised (classic tasks ignore it). */
    public EnvOptions envOptions = EnvOptions.defaults();
    public String structure = "chromatic";
    public int colors = 17;
    public int[] hidden = {41};
    public String controller = "lstm";
    public long seed = 1;
    public int iterations = 100;
    /** n: perturbation directions per iteration (paper code: 150). */
    public int perturbations = 16;
    /** Unperturbed evaluations per iteration (paper code: n); they form the pivot. */
    public int exact = 8;
    public Estimator estimator = Estimator.ANTITHETIC;
    public String optimizer = "adam";
    public double learningRate = 0.01;
    public double sigma = 0.1;
    public double obsClip = 5.0;
    /** Std of the initial shared weights (the authors' code: 1). */
    public double initScale = 1.0;
    /** Episode length limit; 0 = the environment's own. */
    public int maxSteps;
    public int threads = Runtime.getRuntime().availableProcessors();
    /** {@code rmax} (paper eq. 2) or {@code raw} (the public code). */
    public String controllerReward = "rmax";
    /**
     * Antithetic pairs share one partition (common random numbers), so a pair's difference measures
     * the weights and not two different partitions. The authors' code samples each half separately
     * (false).
     */
    public boolean sharedPairPartitions;
    /**
     * Episode starts an iteration shares among its slots (0 = every perturbation its own start, the
     * authors' way). With G > 0, perturbation p meets start p mod G and exact slot j start j mod G,
     * and the controller learns from each return minus the mean return of its start group, so a
     * partition is judged against partitions that met the same start, not by its start's luck.
     */
    public int startGroups;
    /** Weight-optimisation phase length in iterations for rmax: partitions held, max return taken. */
    public int controllerPhase = 5;
    /** Adam step of the lstm and ppo controllers; 0 = the controller's own default. */
    public double controllerLearningRate;
    /** Weight of the lstm and ppo controllers' entropy regulariser (mean over decisions). */
    public double entropyWeight = 0.03;
    public double temperature = 1.0;
    /** Population of the evolution and fixed-random controllers; 0 = the slots of an iteration. */
    public int population;
    /** Final beta of the masked objective {@code beta R + (1 - beta)(1 - eta)}, annealed from 1. */
    public double maskBetaEnd = 0.5;
    /** Checkpoint every this many iterations (0 = never). */
    public int checkpointEvery = 10;
    /** Episodes to re-evaluate each candidate policy at the end. */
    public int evalEpisodes = 5;
    /** Candidate policies kept for the final selection. */
    public int candidates = 5;
    /** A fixed coloring to train (transfer, {@code --coloring-from}); null otherwise. */
    public int[][] fixedColoring;
    public int fixedColoringColors;
    /**
     * Fine-tuning ({@code --init-from}): the starting parameters (with {@link #fixedColoring}) and
     * the observation statistics the run starts from, weighted as {@link #initObsCount} samples;
     * null otherwise.
     */
    public double[] initTheta;
    public double[] initObsMean;
    public double[] initObsStd;
    public long initObsCount;

    /** Throws {@link IllegalArgumentException} naming the first bad key. */
    public TrainConfig validate() {
        require(env != null && !env.isBlank(), "env", "must be set");
        require(Arrays.asList("chromatic", "toeplitz", "circulant", "unstructured", "masked")
                .contains(structure.toLowerCase(Locale.ROOT)), "structure",
                "must be chromatic, toeplitz, circulant, unstructured or masked, was '" + structure + "'");
        require(colors >= 1 && colors <= 4096, "colors", "must be in 1..4096, was " + colors);
        for (int h : hidden) {
            require(h >= 1 && h <= 1024, "hidden", "layer sizes must be in 1..1024, was " + h);
        }
        require(Arrays.asList("lstm", "ppo", "evolution", "random", "fixed-random").contains(controller), "controller",
                "must be lstm, ppo, evolution, random or fixed-random, was '" + controller + "'");
        require(iterations >= 1, "iterations", "must be >= 1, was " + iterations);
        require(perturbations >= 1, "perturbations", "must be >= 1, was " + perturbations);
        require(exact >= 0, "exact", "must be >= 0, was " + exact);
        require(estimator != Estimator.FORWARD || exact >= 1, "exact", "must be >= 1 with the forward estimator (pivot)");
        require(optimizer.equals("sgd") || optimizer.equals("adam"), "optimizer", "must be sgd or adam, was '" + optimizer + "'");
        require(learningRate > 0 && Double.isFinite(learningRate), "lr", "must be > 0, was " + learningRate);
        require(sigma > 0 && Double.isFinite(sigma), "sigma", "must be > 0, was " + sigma);
        require(obsClip > 0, "obs-clip", "must be > 0, was " + obsClip);
        require(initScale > 0 && Double.isFinite(initScale), "init-scale", "must be > 0, was " + initScale);
        require(maxSteps >= 0, "max-steps", "must be >= 0, was " + maxSteps);
        require(threads >= 1 && threads <= 256, "threads", "must be in 1..256, was " + threads);
        require(controllerReward.equals("rmax") || controllerReward.equals("raw"), "controller-reward",
                "must be rmax or raw, was '" + controllerReward + "'");
        require(startGroups >= 0 && (startGroups == 0 || startGroups <= Math.max(perturbations, exact)), "start-groups",
                "must be 0 (off) or 1..max(perturbations, exact), was " + startGroups);
        require(controllerPhase >= 1, "controller-phase", "must be >= 1, was " + controllerPhase);
        require(controllerLearningRate >= 0 && Double.isFinite(controllerLearningRate), "controller-lr",
                "must be >= 0 (0 = the controller's default), was " + controllerLearningRate);
        require(entropyWeight >= 0 && Double.isFinite(entropyWeight), "controller-entropy", "must be >= 0, was " + entropyWeight);
        require(temperature > 0, "temperature", "must be > 0, was " + temperature);
        require(population >= 0, "population", "must be >= 0, was " + population);
        require(maskBetaEnd >= 0 && maskBetaEnd <= 1, "mask-beta", "must be in [0, 1], was " + maskBetaEnd);
        require(checkpointEvery >= 0, "checkpoint-every", "must be >= 0, was " + checkpointEvery);
        require(evalEpisodes >= 1, "eval-episodes", "must be >= 1, was " + evalEpisodes);
        require(candidates >= 1, "candidates", "must be >= 1, was " + candidates);
        return this;
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + problem);
        }
    }

    /**
     * The Adam step the lstm or ppo controller uses: {@link #controllerLearningRate}, or when that
     * is 0 the controller's default ({@link LstmController#DEFAULT_LEARNING_RATE},
     * {@link PpoController#DEFAULT_LEARNING_RATE}).
     */
    public double effectiveControllerLearningRate() {
        if (controllerLearningRate > 0) {
            return controllerLearningRate;
        }
        return controller.equals("ppo") ? PpoController.DEFAULT_LEARNING_RATE : LstmController.DEFAULT_LEARNING_RATE;
    }

    /** Rollout slots of one iteration. */
    public int slots() {
        return (estimator == Estimator.ANTITHETIC ? 2 * perturbations : perturbations) + exact;
    }

    /** The settings that must match for a checkpoint to be resumed (everything but iterations and threads). */
    public String fingerprint() {
        return String.join("|", env, envOptions.toText(), structure, Integer.toString(colors), Arrays.toString(hidden), controller,
                Long.toString(seed), Integer.toString(perturbations), Integer.toString(exact), estimator.name(),
                optimizer, Double.toString(learningRate), Double.toString(sigma), Double.toString(obsClip), Double.toString(initScale),
                Integer.toString(maxSteps), controllerReward, Boolean.toString(sharedPairPartitions) + (startGroups > 0 ? "/start-groups=" + startGroups : ""), Integer.toString(controllerPhase),
                Double.toString(controllerLearningRate), Double.toString(entropyWeight),
                Double.toString(temperature), Integer.toString(population),
                Double.toString(maskBetaEnd), fixedColoring == null ? "-" : Integer.toString(Arrays.deepHashCode(fixedColoring)),
                initTheta == null ? "-" : Integer.toString(Arrays.hashCode(initTheta)));
    }

    /** A one-line description for metadata and logs. */
    public String describe() {
        return "env=" + env + " " + envOptions.describe() + " structure=" + structure + " colors=" + colors + " hidden=" + Arrays.toString(hidden)
                + " controller=" + controller + " seed=" + seed + " iterations=" + iterations
                + " perturbations=" + perturbations + " exact=" + exact + " estimator=" + estimator
                + " optimizer=" + optimizer + " lr=" + learningRate + " sigma=" + sigma + " init-scale=" + initScale
                + " controller-reward=" + controllerReward + " shared-pair-partitions=" + sharedPairPartitions + " start-groups=" + startGroups + " controller-phase=" + controllerPhase;
    }
}
