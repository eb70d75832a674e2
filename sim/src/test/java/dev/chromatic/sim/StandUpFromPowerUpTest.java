package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The robot's start, as the runtime does it: power-up posture, a moment limp, then the 1 s stand-up
 * ramp {@code q(k) = q0 + (k/T)(q_stand - q0)} in POSITION mode with default gains, {@code q0} the
 * measured motor angles. At each end of every randomised range (that quantity at its training
 * minimum or maximum, everything else nominal) and for 20 seeds, the base must never rise more than
 * 5 cm above the standing height, nor tilt past 0.3 rad, during the ramp and a short hold after it.
 */
class StandUpFromPowerUpTest {

    private static final int SEEDS = 20;
    private static final int LIMP_STEPS = 5;
    private static final int RAMP_STEPS = 100;
    private static final int HOLD_STEPS = 20;
    private static final double MAX_RISE_M = 0.05;
    private static final double MAX_TILT_RAD = 0.3;

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
    void standUpNeitherLaunchesNorTipsTheRobot(String name, List<String> keys, boolean atMin) throws Exception {
        SimConfig.Builder training = SimConfig.builder().domainRandomization();
        SimConfig.Builder b = SimConfig.builder().start(SimConfig.Start.POWERUP);
        for (int i = 0; i < keys.size(); i += 2) {
            String value = String.valueOf(SimConfig.Builder.class.getField(keys.get(atMin ? i : i + 1)).get(training));
            b.set(keys.get(i), value);
            b.set(keys.get(i + 1), value);
        }
        List<String> failures = new ArrayList<>();
        try (MinitaurSim sim = MinitaurSim.create(b.build())) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                String failure = standUp(sim, seed);
                if (failure != null) {
                    failures.add(failure);
                }
            }
        }
        assertTrue(failures.isEmpty(), name + ": " + failures);
    }

    /** Runs one start; returns why it failed, or null. */
    private static String standUp(MinitaurSim sim, long seed) {
        sim.reset(seed);
        RobotSpec spec = sim.spec();
        SensorFrame frame = new SensorFrame(spec.motorCount());
        MotorCommand cmd = new MotorCommand(spec.motorCount());
        GroundTruth truth = new GroundTruth();
        cmd.clear();
        for (int k = 0; k < LIMP_STEPS; k++) {
            sim.read(frame);
            sim.write(cmd);
        }
        sim.read(frame);
        double[] q0 = frame.motorAngleRad.clone();
        double[] stand = new double[spec.motorCount()];
        spec.standingPose(stand);
        cmd.mode = MotorCommand.Mode.POSITION;
        double highest = 0.0;
        double tilt = 0.0;
        for (int k = 1; k <= RAMP_STEPS + HOLD_STEPS; k++) {
            double a = Math.min(k, RAMP_STEPS) / (double) RAMP_STEPS;
            for (int m = 0; m < spec.motorCount(); m++) {
                cmd.positionRad[m] = q0[m] + a * (stand[m] - q0[m]);
            }
            sim.read(frame);
            sim.write(cmd);
            sim.groundTruth(truth);
            highest = Math.max(highest, truth.heightM());
            tilt = Math.max(tilt, Math.max(Math.abs(truth.rollRad), Math.abs(truth.pitchRad)));
        }
        if (highest > sim.standingHeightM() + MAX_RISE_M || tilt >= MAX_TILT_RAD) {
            return String.format("seed %d (%s start): highest %.3f m, tilt %.3f rad", seed, sim.startPose(), highest, tilt);
        }
        return null;
    }
}
