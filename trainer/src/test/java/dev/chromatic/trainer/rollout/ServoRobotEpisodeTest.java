package dev.chromatic.trainer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.device.DeviceHardware;
import dev.chromatic.runtime.events.Phase;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.inference.FixedPointNetwork;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.safety.SafetyLimits;
import dev.chromatic.sim.GroundTruth;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.task.MinitaurWalkTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hobby-servo build ({@code minitaur-servo}) through the robot's own loop: it reports what its
 * device backend reports (no motor angles), its stand-up starts from the configured resting pose
 * and hands over at each end of every servo range, and the shipped servo policy walks from robot
 * starts under the training randomisation, in fixed point as on the robot.
 */
class ServoRobotEpisodeTest {

    private static final int SEEDS = 10;
    private static final double MAX_RISE_M = 0.05;
    private static final RobotEpisode.Settings START = new RobotEpisode.Settings(0.2, 0.5, true,
            StandUpSettings.defaults(), SafetyLimits.defaults());
    private static final Path POLICY = Path.of("").toAbsolutePath().getParent().resolve("policies")
            .resolve("minitaur-servo-pmtg.cpol");

    private static SimConfig.Builder servo() {
        return SimConfig.builder().start(SimConfig.Start.POWERUP).set("robot", "minitaur-servo");
    }

    @Test
    void theServoSimulatorReportsWhatTheDeviceBackendReports() {
        try (MinitaurSim sim = MinitaurSim.create(servo().build())) {
            sim.start();
            assertEquals(DeviceHardware.MEASURED_MASK, sim.measuredMask());
            assertEquals("minitaur-servo", sim.spec().name());
            SensorFrame f = new SensorFrame(8);
            MotorCommand c = new MotorCommand(8);
            c.mode = MotorCommand.Mode.POSITION;
            for (int m = 0; m < 8; m++) {
                c.positionRad[m] = 0.5 + 0.1 * m;
            }
            c.positionRad[7] = 4.0;
            sim.write(c);
            sim.read(f);
            assertEquals(DeviceHardware.MEASURED_MASK, f.validMask, "no motor bits, as the device");
            for (int m = 0; m < 7; m++) {
                assertEquals(0.5 + 0.1 * m, f.motorAngleRad[m], 0.0, "the frame echoes the command");
            }
            assertEquals(Math.PI, f.motorAngleRad[7], 0.0, "clamped to the travel, as the device");
        }
    }

    static Stream<Arguments> servoRangeEnds() {
        List<Arguments> ends = new ArrayList<>();
        for (List<String> keys : SimConfig.servoRandomizedQuantities()) {
            ends.add(Arguments.of(keys.get(0), keys, true));
            ends.add(Arguments.of(keys.get(1), keys, false));
        }
        ends.add(Arguments.of("all training ranges", List.of(), true));
        return ends.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servoRangeEnds")
    void theServoRobotStandsUpFromItsRestingPoseAndIsHandedOver(String name, List<String> keys, boolean atMin)
            throws Exception {
        SimConfig.Builder training = SimConfig.builder().domainRandomization();
        SimConfig.Builder b = servo();
        if (keys.isEmpty()) {
            b.domainRandomization();
        }
        for (int i = 0; i < keys.size(); i += 2) {
            String value = String.valueOf(SimConfig.Builder.class.getField(keys.get(atMin ? i : i + 1)).get(training));
            b.set(keys.get(i), value);
            b.set(keys.get(i + 1), value);
        }
        List<String> failed = new ArrayList<>();
        try (MinitaurSim sim = MinitaurSim.create(b.build())) {
            sim.start();
            for (int seed = 1; seed <= SEEDS; seed++) {
                String f = standUp(sim, seed);
                if (f != null) {
                    failed.add(f);
                }
            }
        }
        assertTrue(failed.isEmpty(), name + ": " + failed);
    }

    private static String standUp(MinitaurSim sim, long seed) {
        GroundTruth truth = new GroundTruth();
        RobotEpisode episode = new RobotEpisode(sim, new MinitaurWalkTask(), START);
        double[] worst = new double[2];
        RobotEpisode.Result r = episode.run(seed, new HoldStandingStep(RobotSpec.minitaurServo()), 1, (loop, s, policyStep) -> {
            if (loop.safety().state() == SafetyState.ARMED && loop.standUp().phase() != Phase.POLICY) {
                s.groundTruth(truth);
                worst[0] = Math.max(worst[0], truth.heightM());
                worst[1] = Math.max(worst[1], Math.max(Math.abs(truth.rollRad), Math.abs(truth.pitchRad)));
            }
        }, new RobotEpisode.Result());
        if (!r.handedOver || worst[0] > sim.standingHeightM() + MAX_RISE_M
                || worst[1] >= SafetyLimits.defaults().maxRollRad()) {
            return String.format("seed %d (%s start): %s, highest %.3f m, tilt %.3f rad", seed, sim.startPose(),
                    r.armRefused ? "arming refused" : r.handedOver ? "handed over" : "tripped " + r.safetyReason.wireName(),
                    worst[0], worst[1]);
        }
        return null;
    }

    @Test
    void theShippedServoPolicyWalksFromRobotStartsUnderRandomisation() throws Exception {
        Policy p = PolicyFiles.load(Files.readAllBytes(POLICY), TrustedKeys.none(), false).policy();
        assertEquals("minitaur-servo", p.robot());
        assertEquals("minitaur-pmtg", p.stack());
        try (MinitaurTrainingEnv env = MinitaurTrainingEnv.create("minitaur-servo-pmtg",
                new EnvOptions("robot", "default", Map.of()))) {
            env.setActionScaling(p.actionScale(), p.actionOffset());
            FixedPointNetwork net = FixedPointNetwork.of(p);
            for (long seed = 1; seed <= 4; seed++) {
                RobotEpisode.Result r = env.runEpisode(seed, net, p.obsMean(), p.obsStd(), p.obsClip(), env.maxSteps(),
                        null, null);
                assertTrue(r.handedOver && !r.fell, "seed " + seed + ": handed over " + r.handedOver + ", fell " + r.fell
                        + " (" + r.safetyReason.wireName() + ")");
                assertEquals(env.maxSteps(), r.policySteps, "seed " + seed);
                assertTrue(r.distanceM > 2.0, "seed " + seed + ": walked only " + r.distanceM + " m in 10 s");
            }
        }
    }
}
