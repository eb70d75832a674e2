package dev.chromatic.trainer.structure;

import dev.chromatic.runtime.policy.StructureKind;
import java.util.Locale;

/** Builds a parameterization from its CLI name. */
public final class Structures {

    private Structures() {
    }

    /** {@code chromatic|toeplitz|circulant|unstructured|masked}; {@code colors} used by chromatic only. */
    public static Parameterization create(String name, int[] sizes, int colors) {
        StructureKind kind = kindOf(name);
        switch (kind) {
            case CHROMATIC:
                return new ChromaticParameterization(sizes, colors);
            case MASKED:
                return new MaskedParameterization(sizes);
            default:
                return TiedParameterization.of(kind, sizes);
        }
    }

    public static StructureKind kindOf(String name) {
        try {
            return StructureKind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "structure must be chromatic, toeplitz, circulant, unstructured or masked, was '" + name + "'");
        }
    }
}
