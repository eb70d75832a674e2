package dev.chromatic.tools.train;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.Presets;
import dev.chromatic.trainer.es.Estimator;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The training options shared by {@code train} and {@code experiment compare}. */
public class TrainOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--preset", defaultValue = Presets.AUTO, paramLabel = "auto|none|classic|minitaur|halfcheetah",
            description = {"Option set for the task: auto (the env's: classic for pendulum and cartpole-swingup, minitaur,",
                    "halfcheetah) or none (the plain defaults shown here). Options given on the command line win;",
                    "docs/trainer.md lists each preset (default: ${DEFAULT-VALUE})."})
    String preset;

    @Option(names = "--env", defaultValue = "pendulum", description = "pendulum, cartpole-swingup, halfcheetah, minitaur-pmtg, minitaur-direct, minitaur-servo-pmtg, minitaur-servo-direct (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--colors", defaultValue = "17", description = "M, shared weights of a chromatic network (default: ${DEFAULT-VALUE}).")
    int colors;

    @Option(names = "--hidden", defaultValue = "41", description = "Hidden layer sizes, e.g. 41 or 41,41; 'linear' for none (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--controller", defaultValue = "lstm", description = "lstm (REINFORCE), ppo (the same LSTM, PPO update), evolution, random or fixed-random (default: ${DEFAULT-VALUE}).")
    String controller;

    @Option(names = "--seed", defaultValue = "1", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--perturbations", defaultValue = "16", description = "ES directions n per iteration; the paper's code uses 150 (default: ${DEFAULT-VALUE}).")
    int perturbations;

    @Option(names = "--exact", defaultValue = "8", description = "Unperturbed evaluations per iteration (pivot; default: ${DEFAULT-VALUE}).")
    int exact;

    @Option(names = "--estimator", defaultValue = "antithetic", description = "antithetic or forward (paper eq. 3) (default: ${DEFAULT-VALUE}).")
    String estimator;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.01", description = "ES step size (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--sigma", defaultValue = "0.1", description = "ES smoothing sigma (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--init-scale", defaultValue = "1.0", description = "Std of the initial shared weights; the authors' code uses 1 (default: ${DEFAULT-VALUE}).")
    double initScale;

    @Option(names = "--controller-reward", defaultValue = "rmax", description = "rmax (paper eq. 2) or raw (public code) (default: ${DEFAULT-VALUE}).")
    String controllerReward;

    @Option(names = "--shared-pair-partitions", arity = "0..1", description = "Both halves of an antithetic pair use one partition (the authors' code samples each separately).")
    boolean sharedPairPartitions;

    @Option(names = "--start-groups", defaultValue = "0", description = {"Episode starts an iteration's slots share: perturbation p",
            "meets start p mod G, and the controller learns from each return minus its start group's mean; 0 = every",
            "perturbation its own start, the authors' way (default: ${DEFAULT-VALUE})."})
    int startGroups;

    @Option(names = "--controller-phase", defaultValue = "5", description = "Iterations per controller update with rmax (default: ${DEFAULT-VALUE}).")
    int controllerPhase;

    @Option(names = "--controller-lr", defaultValue = "0", description = "Adam step of the lstm and ppo controllers; 0 = the controller's default: lstm 0.02, ppo 0.005 (the paper's 0.001 barely moves in the updates that fit here).")
    double controllerLr;

    @Option(names = "--controller-entropy", defaultValue = "0.03", description = "Weight of the lstm and ppo controllers' entropy regulariser, per decision (default: ${DEFAULT-VALUE}).")
    double controllerEntropy;

    @Option(names = "--population", defaultValue = "0", description = "Evolution / fixed-random population; 0 = slots per iteration.")
    int population;

    @Option(names = "--mask-beta", defaultValue = "0.5", description = {"Masked networks: the final beta of the fitness",
            "beta z(return) + (1 - beta) z(1 - kept fraction), annealed from 1; lower prunes more (default: ${DEFAULT-VALUE})."})
    double maskBeta;

    @Option(names = "--max-steps", defaultValue = "0", description = "Episode step limit; 0 = the task's own.")
    int maxSteps;

    @Option(names = "--threads", description = "Rollout threads (default: all cores).")
    Integer threads;

    @Option(names = "--eval-episodes", defaultValue = "5", description = "Episodes to re-evaluate each final candidate (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--candidates", defaultValue = "5", description = "Best unperturbed evaluations re-evaluated at the end (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--checkpoint-every", defaultValue = "10", description = "Checkpoint period in iterations; 0 = never (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    /** The validated configuration; bad values become {@link BadInputException} naming the option. */
    @Option(names = "--randomize", defaultValue = "default", paramLabel = "none|default|FILE",
            description = {"Domain randomisation of the robot simulator: none, default (the reference ranges of docs/sim.md)",
                    "or a properties file of simulator settings (default: ${DEFAULT-VALUE}). Classic tasks ignore it."})
    String randomize;

    @Option(names = "--start", defaultValue = "robot", paramLabel = "robot|standing",
            description = {"How robot episodes start: robot (like a power-up: unpowered, stand-up, settle gate, then the",
                    "policy) or standing (the policy drives at once from a standing reset) (default: ${DEFAULT-VALUE})."})
    String start;

    /**
     * Sets every option of the preset ({@code --preset}, or the env's with {@code auto}) that the
     * command line did not give. Returns the preset's iteration count when the command's
     * {@code iterationsOption} was not given either, else null. Call once, before {@link #toConfig}.
     */
    Integer applyPreset(String iterationsOption) {
        String name = preset.equals(Presets.AUTO) ? Presets.forEnv(env) : preset;
        Map<String, String> settings;
        try {
            settings = Presets.settings(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--preset: " + e.getMessage());
        }
        preset = name;
        Integer iterations = null;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals("iterations")) {
                if (!given(iterationsOption)) {
                    iterations = Integer.parseInt(value);
                }
            } else if (!given("--" + key)) {
                set(key, value);
            }
        }
        return iterations;
    }

    /** The preset in effect once {@link #applyPreset} ran. */
    String preset() {
        return preset;
    }

    private boolean given(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void set(String key, String value) {
        switch (key) {
            case "controller" -> controller = value;
            case "controller-reward" -> controllerReward = value;
            case "shared-pair-partitions" -> sharedPairPartitions = Boolean.parseBoolean(value);
            case "optimizer" -> optimizer = value;
            case "lr" -> lr = Double.parseDouble(value);
            case "sigma" -> sigma = Double.parseDouble(value);
            case "perturbations" -> perturbations = Integer.parseInt(value);
            case "exact" -> exact = Integer.parseInt(value);
            case "init-scale" -> initScale = Double.parseDouble(value);
            case "eval-episodes" -> evalEpisodes = Integer.parseInt(value);
            case "candidates" -> candidates = Integer.parseInt(value);
            case "start-groups" -> startGroups = Integer.parseInt(value);
            default -> throw new IllegalStateException("preset key '" + key + "' has no option");
        }
    }

    TrainConfig toConfig(String structure, int iterations) {
        TrainConfig c = new TrainConfig();
        c.env = env;
        c.structure = structure;
        c.colors = colors;
        c.hidden = parseHidden(hidden);
        c.controller = controller;
        c.seed = seed;
        c.iterations = iterations;
        c.perturbations = perturbations;
        c.exact = exact;
        switch (estimator) {
            case "antithetic":
                c.estimator = Estimator.ANTITHETIC;
                break;
            case "forward":
                c.estimator = Estimator.FORWARD;
                break;
            default:
                throw new BadInputException("--estimator must be antithetic or forward, was '" + estimator + "'");
        }
        c.optimizer = optimizer;
        c.learningRate = lr;
        c.sigma = sigma;
        c.initScale = initScale;
        c.controllerReward = controllerReward;
        c.controllerPhase = controllerPhase;
        c.sharedPairPartitions = sharedPairPartitions;
        c.startGroups = startGroups;
        c.population = population;
        c.controllerLearningRate = controllerLr;
        c.entropyWeight = controllerEntropy;
        c.maxSteps = maxSteps;
        c.maskBetaEnd = maskBeta;
        if (threads != null) {
            c.threads = threads;
        }
        c.evalEpisodes = evalEpisodes;
        c.candidates = candidates;
        c.checkpointEvery = checkpointEvery;
        c.envOptions = envOptions(start, randomize);
        if (!dev.chromatic.trainer.rollout.TrainingEnvs.ids().contains(env)) {
            throw new BadInputException("--env: unknown env '" + env + "', expected one of "
                    + dev.chromatic.trainer.rollout.TrainingEnvs.ids());
        }
        try {
            return c.validate();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }

    /** The robot environment options of {@code --start} and {@code --randomize}; exit 2 naming the bad one. */
    static dev.chromatic.trainer.rollout.EnvOptions envOptions(String start, String randomize) {
        try {
            return dev.chromatic.trainer.rollout.EnvOptions.parse(start, randomize);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }

    static int[] parseHidden(String s) {
        if (s.equals("linear") || s.equals("none") || s.isBlank()) {
            return new int[0];
        }
        String[] parts = s.split(",");
        int[] h = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                h[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--hidden: '" + s + "' is not a list of sizes like 41 or 41,41");
            }
        }
        return h;
    }
}
