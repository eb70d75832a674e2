package dev.chromatic.trainer;

import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.TrainingEnv;
import dev.chromatic.trainer.rollout.TrainingEnvs;

/**
 * What the trainer keeps of its environment, read once from a probe instance (which owns a
 * simulator and is closed at once): the id rollouts rebuild it from, the robot, stack and task a
 * policy records, the network's input and output sizes and the action scaling.
 */
final class EnvProfile {

    final String id;
    final String robot;
    final String stack;
    final String task;
    final long controlPeriodNs;
    final int observationDim;
    final int actionDim;
    private final double[] actionScale;
    private final double[] actionOffset;

    private EnvProfile(TrainingEnv probe) {
        id = probe.id();
        robot = probe.robot();
        stack = probe.stack();
        task = probe.task();
        controlPeriodNs = probe.controlPeriodNs();
        observationDim = probe.observationDim();
        actionDim = probe.actionDim();
        actionScale = probe.actionScale();
        actionOffset = probe.actionOffset();
    }

    static EnvProfile probe(String env, EnvOptions options) {
        try (TrainingEnv probe = TrainingEnvs.create(env, options)) {
            return new EnvProfile(probe);
        }
    }

    /** Observation size, the {@code hidden} layers, action size. */
    int[] layerSizes(int[] hidden) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = observationDim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = actionDim;
        return sizes;
    }

    double[] actionScale() {
        return actionScale.clone();
    }

    double[] actionOffset() {
        return actionOffset.clone();
    }
}
