package dev.chromatic.trainer;

import dev.chromatic.sim.cheetah.HalfCheetahEnv;
import dev.chromatic.sim.classic.ClassicEnvs;
import dev.chromatic.trainer.rollout.MinitaurTrainingEnv;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named sets of training options, one per task family, that the shipped results use and that
 * {@code chromatic train} applies by default ({@code --preset auto}); an option given on the
 * command line always wins over its preset value. {@code none} is the plain defaults of
 * {@link TrainConfig} (the paper's lstm controller with R_max and Adam). Keys are option names
 * without the leading dashes; values are option text. docs/trainer.md, "Presets", gives the
 * measurement behind each.
 */
public final class Presets {

    public static final String AUTO = "auto";
    public static final String NONE = "none";

    /** Every preset name {@link #settings} accepts, {@code auto} aside. */
    public static final List<String> NAMES = List.of(NONE, "classic", "minitaur", "halfcheetah");

    private Presets() {
    }

    /** The preset {@code auto} picks for an environment id. */
    public static String forEnv(String env) {
        if (MinitaurTrainingEnv.IDS.contains(env)) {
            return "minitaur";
        }
        if (HalfCheetahEnv.ID.equals(env)) {
            return "halfcheetah";
        }
        return ClassicEnvs.isClassic(env) ? "classic" : NONE;
    }

    /**
     * The options of preset {@code name}, in a stable order.
     *
     * @throws IllegalArgumentException naming the unknown preset and the known ones
     */
    public static Map<String, String> settings(String name) {
        switch (name) {
            case NONE:
                return new LinkedHashMap<>();
            case "classic":
                // Pendulum: 3 000 cheap iterations with plain SGD (the authors' update), each
                // antithetic pair on one partition, and a selection among many candidates on
                // 50 episodes: one episode's return says little about a policy when starts differ.
                return of("controller", "evolution", "controller-reward", "raw", "shared-pair-partitions", "true",
                        "optimizer", "sgd", "lr", "0.02", "iterations", "3000", "eval-episodes", "50", "candidates", "100");
            case "minitaur":
            case "halfcheetah":
                // Expensive episodes (10 s of a robot start; 25 000 Bullet substeps): 20 rollouts
                // an iteration, small initial weights so that a first policy does not saturate
                // every motor, and a selection on 3 episodes.
                return of("controller", "evolution", "controller-reward", "raw", "perturbations", "8", "exact", "4",
                        "init-scale", "0.1", "eval-episodes", "3", "iterations", name.equals("minitaur") ? "60" : "30");
            default:
                throw new IllegalArgumentException("unknown preset '" + name + "', expected " + AUTO + " or one of " + NAMES);
        }
    }

    private static Map<String, String> of(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
