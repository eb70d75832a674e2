package dev.chromatic.trainer.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.RobotSpec;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.sim.GroundTruth;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.task.MinitaurWalkTask;
import dev.chromatic.trainer.exec.ParallelFor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The robot's own start through the robot's own loop, at each end of every randomised range (that
 * quantity at its training minimum or maximum, everything else nominal) and for 20 seeds: a
 * power-up start pose, 0.2-0.5 s unpowered, arming (which waits for the limp body to come to
 * rest), the stand-up (tuck, swing under, extend) and the settle gate. From arming to the hand-over
 * the base must never rise more than 5 cm above the standing height nor tip over: its roll and
 * pitch stay inside the safety limits (0.5 rad), and the robot is handed to the policy. A robot
 * may only be refused arming for the reason an operator would see on a real one: it lies on its
 * side (the supervisor's roll or pitch limit, the body past that limit when the arm is judged);
 * that happens to 3 of the 760 range-end starts (seed 20, a tall standing start whose limp legs
 * fold unevenly, with the heaviest body, the lowest inertia or the highest foot friction), never
 * at nominal parameters, where all 100 starts of the second test must arm and walk off.
 */
class RobotStandUpTest {

    private static final int SEEDS = 20;
    private static final double MAX_RISE_M = 0.05;
    /** The robot's start, with 0.2-0.5 s unpowered: long enough for a limp robot to collapse. */
    private static final RobotEpisode.Settings START = new RobotEpisode.Settings(0.2, 0.5, true,
            StandUpSettings.defaults(), SafetyLimits.defaults());
    private static final double MAX_TILT_RAD = SafetyLimits.defaults().maxRollRad();

    static Stream<Arguments> rangeEnds() {
        List<Arguments> ends = new ArrayList<>();
        for (List<String> keys : SimConfig.randomizedQuantities()) {
            ends.add(Arguments.of(String.join("+", keys) + " at min", keys, true));
            ends.add(Arguments.of(String.join("+", keys) + " at max", keys, false));
        }
        return ends.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rangeEnds")
    void theRobotsStandUpNeitherLaunchesNorTipsIt(String name, List<String> keys, boolean atMin) throws Exception {
        SimConfig.Builder training = SimConfig.builder().domainRandomization();
        SimConfig.Builder b = SimConfig.builder().start(SimConfig.Start.POWERUP);
        for (int i = 0; i < keys.size(); i += 2) {
            String value = String.valueOf(SimConfig.Builder.class.getField(keys.get(atMin ? i : i + 1)).get(training));
            b.set(keys.get(i), value);
            b.set(keys.get(i + 1), value);
        }
        SimConfig config = b.build();
        String[] failures = new String[SEEDS];
        MinitaurSim[] sims = new MinitaurSim[2];
        try (ParallelFor parallel = new ParallelFor(2)) {
            parallel.run(SEEDS, (i, w) -> {
                if (sims[w] == null) {
                    sims[w] = MinitaurSim.create(config);
                    sims[w].start();
                }
                failures[i] = standUp(sims[w], i + 1);
            });
        } finally {
            for (MinitaurSim sim : sims) {
                if (sim != null) {
                    sim.close();
                }
            }
        }
        List<String> failed = Arrays.stream(failures).filter(f -> f != null).toList();
        assertTrue(failed.isEmpty(), name + ": " + failed);
    }

    @org.junit.jupiter.api.Test
    void atNominalParametersEveryStartArmsAndIsHandedOver() {
        String[] failures = new String[100];
        MinitaurSim[] sims = new MinitaurSim[2];
        try (ParallelFor parallel = new ParallelFor(2)) {
            parallel.run(failures.length, (i, w) -> {
                if (sims[w] == null) {
                    sims[w] = MinitaurSim.create(SimConfig.builder().start(SimConfig.Start.POWERUP).build());
                    sims[w].start();
                }
                RobotEpisode.Result r = new RobotEpisode(sims[w], new MinitaurWalkTask(), START)
                        .run(i + 1, new HoldStandingStep(RobotSpec.minitaur()), 1, null, new RobotEpisode.Result());
                failures[i] = r.handedOver ? null : "seed " + (i + 1) + " (" + sims[w].startPose() + " start): "
                        + (r.armRefused ? "arming refused " + r.armRefusal.wireName() : "tripped " + r.safetyReason.wireName());
            });
        } finally {
            for (MinitaurSim sim : sims) {
                if (sim != null) {
                    sim.close();
                }
            }
        }
        List<String> failed = Arrays.stream(failures).filter(f -> f != null).toList();
        assertTrue(failed.isEmpty(), failed.toString());
    }

    /** One robot start from {@code seed}; why it failed, or null. */
    private static String standUp(MinitaurSim sim, long seed) {
        GroundTruth truth = new GroundTruth();
        RobotEpisode episode = new RobotEpisode(sim, new MinitaurWalkTask(), START);
        double[] worst = new double[3];
        worst[2] = -1;
        boolean[] armed = new boolean[1];
        RobotEpisode.Result r = episode.run(seed, new HoldStandingStep(RobotSpec.minitaur()), 1, (loop, s, policyStep) -> {
            armed[0] |= loop.safety().state() != SafetyState.DISARMED;
            if (loop.safety().state() == SafetyState.ARMED && loop.standUp().phase() != Phase.POLICY) {
                s.groundTruth(truth);
                if (worst[2] < 0) {
                    worst[2] = Math.max(Math.abs(truth.rollRad), Math.abs(truth.pitchRad));
                }
                worst[0] = Math.max(worst[0], truth.heightM());
                worst[1] = Math.max(worst[1], Math.max(Math.abs(truth.rollRad), Math.abs(truth.pitchRad)));
            }
        }, new RobotEpisode.Result());
        if (r.armRefused && !armed[0]) {
            sim.groundTruth(truth);
            double tilt = Math.max(Math.abs(truth.rollRad), Math.abs(truth.pitchRad));
            boolean onItsSide = (r.armRefusal == Reason.ROLL_LIMIT || r.armRefusal == Reason.PITCH_LIMIT)
                    && tilt > MAX_TILT_RAD;
            return onItsSide ? null : String.format("seed %d (%s start): arming refused (%s) at tilt %.3f rad", seed,
                    sim.startPose(), r.armRefusal.wireName(), tilt);
        }
        if (!r.handedOver || worst[0] > sim.standingHeightM() + MAX_RISE_M || worst[1] >= MAX_TILT_RAD) {
            return String.format("seed %d (%s start): %s, highest %.3f m, tilt %.3f rad (%.3f when armed)", seed,
                    sim.startPose(), r.armRefused ? "arming refused" : r.handedOver ? "handed over"
                            : "tripped " + r.safetyReason.wireName(), worst[0], worst[1], worst[2]);
        }
        return null;
    }
}
