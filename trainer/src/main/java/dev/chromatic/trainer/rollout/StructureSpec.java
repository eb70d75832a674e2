package dev.chromatic.trainer.rollout;

import dev.chromatic.trainer.structure.Parameterization;
import dev.chromatic.trainer.structure.Structures;
import dev.chromatic.trainer.structure.TiedParameterization;
import java.io.Serializable;

/**
 * Everything a worker needs to rebuild the run's {@link Parameterization}: structure name, layer
 * sizes, colors, and for transfer runs the fixed coloring. Small and serializable.
 */
public final class StructureSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    public final String structure;
    public final int[] layerSizes;
    public final int colors;
    /** A fixed coloring to train as is ({@code --coloring-from}), or null. */
    public final int[][] fixedColoring;

    public StructureSpec(String structure, int[] layerSizes, int colors, int[][] fixedColoring) {
        this.structure = structure;
        this.layerSizes = layerSizes.clone();
        this.colors = colors;
        this.fixedColoring = fixedColoring;
    }

    public Parameterization build() {
        if (fixedColoring != null) {
            return TiedParameterization.fixedColoring(layerSizes, fixedColoring, colors);
        }
        return Structures.create(structure, layerSizes, colors);
    }
}
