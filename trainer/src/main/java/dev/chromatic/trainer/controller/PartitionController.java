package dev.chromatic.trainer.controller;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Proposes partitions (colorings) of the network's edges into {@code M} classes and learns from
 * the reward each proposal earned. Ask/tell with explicit rounds: the random draws of round
 * {@code k} come from streams derived from the run seed and {@code k}, so results do not depend on
 * thread count and a restored controller continues exactly. Not thread-safe.
 */
public interface PartitionController {

    /** {@code lstm}, {@code ppo}, {@code evolution}, {@code random} or {@code fixed-random}. */
    String id();

    int edgeCount();

    int colorCount();

    /** Fills {@code out[i]} (each of length {@link #edgeCount()}) with the proposals of a round. */
    void ask(long round, int[][] out);

    /** Learns from the reward of each proposal of the round (same order as asked or any subset). */
    void tell(long round, int[][] partitions, double[] rewards);

    /**
     * Mean per-edge entropy (nats) of the controller's current sampling distribution, measured on
     * the last round; {@code ln M} for a uniform controller.
     */
    double entropy();

    /** The controller's single best guess (e.g. greedy decode, population best). */
    int[] mostLikely();

    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;
}
