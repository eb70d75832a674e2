package dev.chromatic.runtime.inference;

/**
 * Evaluates a colored network: normalised observation in, raw network output (before action
 * scaling) out. Implementations: float64 reference, dense fixed point, mailman fixed point.
 * Never allocates in {@link #evaluate}. Not thread-safe: each thread owns its evaluator.
 */
public interface NetworkEvaluator {

    int inputDim();

    int outputDim();

    /** {@code output = network(input)}; {@code input} is already normalised and clipped. */
    void evaluate(double[] input, double[] output);
}
