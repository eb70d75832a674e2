package dev.chromatic.trainer.es;

/** How the ES gradient of the Gaussian smoothing is estimated from perturbed returns. */
public enum Estimator {
    /** Pairs (+eps, -eps): {@code g = sum_i (f+_i - f-_i) eps_i / (2 n sigma)}. */
    ANTITHETIC,
    /** Paper eq. 3: {@code g = sum_i (f_i - pivot) eps_i / (n sigma)}, pivot = mean exact return. */
    FORWARD
}
