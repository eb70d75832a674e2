package dev.chromatic.runtime.policy;

/** Nonlinearity applied to a layer's outputs. */
public enum Activation {
    /** Identity. */
    LINEAR,
    /** Hyperbolic tangent. */
    TANH
}
