package dev.chromatic.trainer.controller;

import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.exec.ParallelFor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The measurements behind the controller defaults in docs/trainer.md: runs one controller on a
 * {@link ColoringTask} for several seeds and prints, per seed, the mean match rate of the last 10
 * rounds' proposals (as a multiple of chance) and the controller's entropy. Not a test; run it
 * after {@code mvn -pl trainer -am test-compile}:
 * <pre>
 * java -cp trainer/target/classes:trainer/target/test-classes dev.chromatic.trainer.controller.ControllerStudy \
 *     controller=lstm hidden=64 lr=0.02 entropy=0.03 batch=16 rounds=200 noise=0.02 seeds=1,2,3
 * </pre>
 * Keys (defaults): controller (lstm), edges (91), colors (17), batch (16), rounds (200), lr and
 * entropy (the trainer's defaults), hidden (64), embedding (16), epochs (PPO, 4), clip (0.2),
 * signal (1), drift (0.01), noise (0.02), seeds (1), threads (1).
 */
public final class ControllerStudy {

    private ControllerStudy() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("arguments are key=value, was '" + arg + "'");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        TrainConfig defaults = new TrainConfig();
        String id = a.getOrDefault("controller", "lstm");
        defaults.controller = id;
        int edges = Integer.parseInt(a.getOrDefault("edges", "91"));
        int colors = Integer.parseInt(a.getOrDefault("colors", "17"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "16"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "200"));
        double lr = Double.parseDouble(a.getOrDefault("lr", Double.toString(defaults.effectiveControllerLearningRate())));
        double beta = Double.parseDouble(a.getOrDefault("entropy", Double.toString(defaults.entropyWeight)));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", Integer.toString(LstmController.HIDDEN)));
        int emb = Integer.parseInt(a.getOrDefault("embedding", Integer.toString(LstmController.EMBEDDING)));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", Integer.toString(PpoController.EPOCHS)));
        double clip = Double.parseDouble(a.getOrDefault("clip", Double.toString(PpoController.CLIP)));
        double signal = Double.parseDouble(a.getOrDefault("signal", "1"));
        double drift = Double.parseDouble(a.getOrDefault("drift", "0.01"));
        double noise = Double.parseDouble(a.getOrDefault("noise", "0.02"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        String[] seeds = a.getOrDefault("seeds", "1").split(",");
        try (ParallelFor parallel = new ParallelFor(threads)) {
            for (String s : seeds) {
                long seed = Long.parseLong(s.trim());
                PartitionController c;
                switch (id) {
                    case "lstm":
                        c = new LstmController(edges, colors, seed, lr, beta, 1.0, parallel, hidden, emb);
                        break;
                    case "ppo":
                        c = new PpoController(edges, colors, seed, lr, beta, 1.0, clip, epochs, parallel, hidden, emb);
                        break;
                    case "evolution":
                        c = new EvolutionController(edges, colors, batch, seed);
                        break;
                    case "random":
                        c = new RandomController(edges, colors, seed);
                        break;
                    default:
                        throw new IllegalArgumentException("controller must be lstm, ppo, evolution or random");
                }
                ColoringTask task = new ColoringTask(edges, colors, signal, drift, noise, seed);
                long t0 = System.nanoTime();
                double late = task.train(c, batch, 0, rounds, 10);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s seed=%d match=%.3f (%.2fx chance) entropy=%.3f nats %.1f s%n",
                        id, seed, late, late * colors, c.entropy(), seconds);
            }
        }
    }
}
