package dev.chromatic.trainer;

import dev.chromatic.trainer.controller.EvolutionController;
import dev.chromatic.trainer.controller.FixedPopulationController;
import dev.chromatic.trainer.controller.LstmController;
import dev.chromatic.trainer.controller.PartitionController;
import dev.chromatic.trainer.controller.PpoController;
import dev.chromatic.trainer.controller.RandomController;
import dev.chromatic.trainer.exec.ParallelFor;

/** Builds the partition controller a configuration names ({@code --controller}). */
final class ControllerFactory {

    private ControllerFactory() {
    }

    /**
     * The controller for a network of {@code edges} edges; {@code slots} (rollouts an iteration)
     * is the population when the configuration gives none. The lstm and ppo controllers run on
     * {@code parallel}.
     */
    static PartitionController create(TrainConfig cfg, int edges, int slots, ParallelFor parallel) {
        int pop = cfg.population > 0 ? cfg.population : slots;
        switch (cfg.controller) {
            case "lstm":
                return new LstmController(edges, cfg.colors, cfg.seed, cfg.effectiveControllerLearningRate(),
                        cfg.entropyWeight, cfg.temperature, parallel);
            case "ppo":
                return new PpoController(edges, cfg.colors, cfg.seed, cfg.effectiveControllerLearningRate(),
                        cfg.entropyWeight, cfg.temperature, parallel);
            case "evolution":
                return new EvolutionController(edges, cfg.colors, Math.max(2, pop), cfg.seed);
            case "random":
                return new RandomController(edges, cfg.colors, cfg.seed);
            default:
                return new FixedPopulationController(edges, cfg.colors, pop, cfg.seed);
        }
    }
}
