package dev.chromatic.trainer.cluster;

import dev.chromatic.trainer.exec.ParallelFor;
import dev.chromatic.trainer.rollout.IterationBroadcast;
import dev.chromatic.trainer.rollout.LocalRolloutEvaluator;
import dev.chromatic.trainer.rollout.RolloutResult;
import dev.chromatic.trainer.rollout.RolloutSpec;
import dev.chromatic.trainer.rollout.StructureSpec;
import dev.chromatic.trainer.rollout.TrainingEnv;
import dev.chromatic.trainer.rollout.TrainingEnvs;
import java.util.ArrayList;
import java.util.List;

/** A pendulum iteration's broadcast and specs, and its results computed in-process. */
final class Rollouts {

    final IterationBroadcast broadcast;
    final List<RolloutSpec> specs = new ArrayList<>();

    Rollouts(int perturbations, int maxSteps) {
        int obs;
        int act;
        try (TrainingEnv env = TrainingEnvs.create("pendulum", dev.chromatic.trainer.rollout.EnvOptions.nominal())) {
            obs = env.observationDim();
            act = env.actionDim();
        }
        StructureSpec structure = new StructureSpec("toeplitz", new int[] {obs, 16, act}, 0, null);
        double[] theta = structure.build().initialTheta(7, 1.0);
        double[] mean = new double[obs];
        double[] std = new double[obs];
        java.util.Arrays.fill(std, 1.0);
        broadcast = new IterationBroadcast("pendulum", dev.chromatic.trainer.rollout.EnvOptions.nominal().toText(), structure, 3, 11, 0.1, theta, null, mean, std, 5.0, maxSteps);
        for (int p = 0; p < perturbations; p++) {
            specs.add(new RolloutSpec(2 * p, p, 1, 0, 1000 + p));
            specs.add(new RolloutSpec(2 * p + 1, p, -1, 0, 1000 + p));
        }
    }

    List<RolloutResult> local() {
        try (ParallelFor parallel = new ParallelFor(1); LocalRolloutEvaluator e = new LocalRolloutEvaluator(parallel)) {
            return e.evaluate(broadcast, specs);
        }
    }

    /** Every field of every result, bit for bit. */
    static boolean same(List<RolloutResult> a, List<RolloutResult> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            RolloutResult x = a.get(i);
            RolloutResult y = b.get(i);
            if (x.slot != y.slot || Double.doubleToRawLongBits(x.totalReward) != Double.doubleToRawLongBits(y.totalReward)
                    || x.steps != y.steps || x.fell != y.fell || x.obsCount != y.obsCount
                    || Double.doubleToRawLongBits(x.distanceM) != Double.doubleToRawLongBits(y.distanceM)
                    || Double.doubleToRawLongBits(x.keptFraction) != Double.doubleToRawLongBits(y.keptFraction)
                    || !java.util.Arrays.equals(x.obsSum, y.obsSum) || !java.util.Arrays.equals(x.obsSumSq, y.obsSumSq)) {
                return false;
            }
        }
        return true;
    }
}
