package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.Activation;

/** What every structure shares: the layer layout (sizes, tanh everywhere, edge and bias counts). */
abstract class LayoutParameterization implements Parameterization {

    protected final Layout layout;

    protected LayoutParameterization(Layout layout) {
        this.layout = layout;
    }

    @Override
    public final int[] layerSizes() {
        return layout.sizes.clone();
    }

    @Override
    public final Activation[] activations() {
        return layout.activations.clone();
    }

    @Override
    public final int edgeCount() {
        return layout.edges;
    }
}
