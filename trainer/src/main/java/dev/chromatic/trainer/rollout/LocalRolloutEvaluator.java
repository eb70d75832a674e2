package dev.chromatic.trainer.rollout;

import dev.chromatic.trainer.exec.ParallelFor;
import java.util.Arrays;
import java.util.List;

/** Runs rollouts on the threads of a {@link ParallelFor}, one {@link RolloutWorker} per thread. */
public final class LocalRolloutEvaluator implements RolloutEvaluator {

    private final ParallelFor parallel;
    private final RolloutWorker[] workers;

    public LocalRolloutEvaluator(ParallelFor parallel) {
        this.parallel = parallel;
        this.workers = new RolloutWorker[parallel.threads()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new RolloutWorker();
        }
    }

    @Override
    public List<RolloutResult> evaluate(IterationBroadcast broadcast, List<RolloutSpec> specs) {
        RolloutResult[] results = new RolloutResult[specs.size()];
        parallel.run(specs.size(), (i, w) -> results[i] = workers[w].run(broadcast, specs.get(i)));
        return Arrays.asList(results);
    }

    @Override
    public int parallelism() {
        return parallel.threads();
    }

    @Override
    public void close() {
        for (RolloutWorker w : workers) {
            w.close();
        }
    }
}
