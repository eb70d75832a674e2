package dev.chromatic.trainer.rollout;

import java.util.List;

/**
 * Runs a batch of rollouts of one iteration and returns their results in spec order. An
 * in-process pool ({@link LocalRolloutEvaluator}) or a cluster; a result must depend only on the
 * broadcast and the spec, never on which worker ran it.
 */
public interface RolloutEvaluator extends AutoCloseable {

    List<RolloutResult> evaluate(IterationBroadcast broadcast, List<RolloutSpec> specs);

    /** Rollouts that can run at the same time. */
    int parallelism();

    @Override
    void close();
}
