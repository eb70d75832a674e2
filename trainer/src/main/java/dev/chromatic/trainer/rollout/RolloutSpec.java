package dev.chromatic.trainer.rollout;

import java.io.Serializable;

/**
 * One rollout to run: which slot it fills, which perturbation and sign (perturbation -1 = the
 * unperturbed theta), which partition, and the episode seed. A few numbers, serializable.
 */
public final class RolloutSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    public final int slot;
    public final int perturbation;
    public final int sign;
    public final int partitionIndex;
    public final long episodeSeed;

    public RolloutSpec(int slot, int perturbation, int sign, int partitionIndex, long episodeSeed) {
        this.slot = slot;
        this.perturbation = perturbation;
        this.sign = sign;
        this.partitionIndex = partitionIndex;
        this.episodeSeed = episodeSeed;
    }
}
