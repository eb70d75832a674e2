package dev.chromatic.trainer;

import dev.chromatic.trainer.controller.PartitionController;
import dev.chromatic.trainer.es.Io;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The controller's side of an ES-ENAS iteration: which partition each rollout slot uses and when
 * the controller learns from the returns. With {@code --controller-reward raw} it proposes and
 * learns every iteration; with {@code rmax} (paper eq. 2) it proposes at the start of a phase of
 * {@code --controller-phase} iterations, the partitions are held through the phase, and it learns
 * once at the phase's end (or the run's) from each slot's best return in the phase. With start
 * groups ({@code --start-groups}) the controller sees each return minus the mean return of the
 * slots that met the same episode start. Not thread-safe.
 */
final class ControllerSchedule {

    private final PartitionController controller;
    private final boolean rmax;
    private final int phase;
    private final int iterations;
    /** Antithetic pairs to give one partition each, 0 when each slot has its own. */
    private final int sharedPairs;
    private final int[][] partitions;
    private final double[] phaseMax;
    /** Each slot's start group, or null when every perturbation has its own start. */
    private final int[] startGroup;
    private final double[] relative;
    private final double[] groupSum;
    private final int[] groupCount;

    /**
     * {@code antithetic}: the ES estimator evaluates pairs, so partitions may be shared per pair;
     * {@code startGroupOfSlot}: each slot's start group, or null.
     */
    ControllerSchedule(PartitionController controller, TrainConfig cfg, int slots, boolean antithetic, int[] startGroupOfSlot) {
        this.controller = controller;
        this.rmax = cfg.controllerReward.equals("rmax");
        this.phase = cfg.controllerPhase;
        this.iterations = cfg.iterations;
        this.sharedPairs = cfg.sharedPairPartitions && antithetic ? cfg.perturbations : 0;
        this.partitions = new int[slots][controller.edgeCount()];
        this.phaseMax = new double[slots];
        this.startGroup = startGroupOfSlot;
        this.relative = new double[slots];
        this.groupSum = new double[cfg.startGroups];
        this.groupCount = new int[cfg.startGroups];
    }

    PartitionController controller() {
        return controller;
    }

    /**
     * The partitions of iteration {@code k}'s slots: new proposals when a phase starts, else the
     * held ones. The same array every time; the next phase refills it.
     */
    int[][] partitions(int k) {
        if (!rmax || k % phase == 0) {
            controller.ask(k, partitions);
            // both halves of an antithetic pair use the first half's partition
            for (int i = 0; i < sharedPairs; i++) {
                System.arraycopy(partitions[2 * i], 0, partitions[2 * i + 1], 0, partitions[2 * i].length);
            }
            Arrays.fill(phaseMax, Double.NEGATIVE_INFINITY);
        }
        return partitions;
    }

    /** Takes iteration {@code k}'s returns (slot order) and tells the controller when it learns. */
    void tell(int k, double[] rawReturns) {
        double[] returns = startGroup == null ? rawReturns : relativeToStartGroup(rawReturns);
        if (!rmax) {
            controller.tell(k, partitions, returns);
            return;
        }
        for (int s = 0; s < phaseMax.length; s++) {
            phaseMax[s] = Math.max(phaseMax[s], returns[s]);
        }
        if (k % phase == phase - 1 || k == iterations - 1) {
            controller.tell(k, partitions, phaseMax);
        }
    }

    /** Each return minus the mean return of its start group (the same array every time). */
    private double[] relativeToStartGroup(double[] returns) {
        Arrays.fill(groupSum, 0.0);
        Arrays.fill(groupCount, 0);
        for (int s = 0; s < returns.length; s++) {
            groupSum[startGroup[s]] += returns[s];
            groupCount[startGroup[s]]++;
        }
        for (int s = 0; s < returns.length; s++) {
            relative[s] = returns[s] - groupSum[startGroup[s]] / groupCount[startGroup[s]];
        }
        return relative;
    }

    /** Writes the controller, the held partitions and the phase's maxima. */
    void save(DataOutputStream out) throws IOException {
        controller.save(out);
        for (int[] p : partitions) {
            Io.writeInts(out, p);
        }
        Io.writeDoubles(out, phaseMax);
    }

    void load(DataInputStream in) throws IOException {
        controller.load(in);
        for (int s = 0; s < partitions.length; s++) {
            int[] p = Io.readInts(in);
            System.arraycopy(p, 0, partitions[s], 0, p.length);
        }
        Io.readDoubles(in, phaseMax);
    }
}
