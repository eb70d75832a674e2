package dev.chromatic.trainer;

/**
 * A policy worth re-evaluating at the end of a run: unperturbed parameters, the partition it was
 * evaluated with (null for fixed structures) and the normalisation frozen at that iteration.
 */
final class Candidate {
    final double[] theta;
    final int[] partition;
    final double[] obsMean;
    final double[] obsStd;
    final double score;
    final int iteration;

    Candidate(double[] theta, int[] partition, double[] obsMean, double[] obsStd, double score, int iteration) {
        this.theta = theta;
        this.partition = partition;
        this.obsMean = obsMean;
        this.obsStd = obsStd;
        this.score = score;
        this.iteration = iteration;
    }
}
