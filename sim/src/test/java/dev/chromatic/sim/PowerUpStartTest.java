package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.sim.physics.MinitaurBody;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PowerUpStartTest {

    private static final SimConfig POWERUP = SimConfig.builder().start(SimConfig.Start.POWERUP).build();

    @Test
    void startsLieCrouchOrStandWithinLimitsTouchingTheGround() {
        Map<StartPose, Integer> poses = new EnumMap<>(StartPose.class);
        try (MinitaurSim sim = MinitaurSim.create(POWERUP)) {
            RobotSpec spec = sim.spec();
            GroundTruth truth = new GroundTruth();
            for (long seed = 0; seed < 120; seed++) {
                sim.reset(seed);
                sim.groundTruth(truth);
                poses.merge(sim.startPose(), 1, Integer::sum);
                String at = "seed " + seed + " (" + sim.startPose() + ")";
                double lowest = sim.lowestPointHeightM();
                assertTrue(lowest >= 0.0 && lowest < 1e-3, at + ": lowest point at " + lowest + " m");
                assertTrue(Math.abs(truth.rollRad) <= 0.1 + 1e-6 && Math.abs(truth.pitchRad) <= 0.1 + 1e-6,
                        at + ": tilted " + truth.rollRad + ", " + truth.pitchRad);
                assertTrue(Math.abs(truth.yawRad) < 1e-6, at);
                assertTrue(Math.hypot(truth.velocityMps[0], Math.hypot(truth.velocityMps[1], truth.velocityMps[2])) < 0.09, at);
                for (int m = 0; m < 8; m++) {
                    assertTrue(truth.motorAngleRad[m] >= spec.minPositionRad(m) && truth.motorAngleRad[m] <= spec.maxPositionRad(m),
                            at + ": motor " + m + " at " + truth.motorAngleRad[m]);
                    assertTrue(Math.abs(truth.motorVelocityRadPerS[m]) <= 0.6 + 1e-6, at + ": motor " + m + " moving");
                }
                double extension = 0;
                for (int leg = 0; leg < 4; leg++) {
                    extension += spec.extensionOf(leg, truth.motorAngleRad) / 4;
                }
                double[] expected = switch (sim.startPose()) {
                    case LYING -> new double[] {2.4, 2.85};
                    case CROUCHED -> new double[] {1.9, 2.4};
                    case STANDING -> new double[] {1.25, 1.9};
                };
                assertTrue(extension >= expected[0] && extension <= expected[1], at + ": mean extension " + extension);
            }
        }
        for (StartPose pose : StartPose.values()) {
            assertTrue(poses.getOrDefault(pose, 0) >= 15, "too few " + pose + " starts: " + poses);
        }
    }

    /**
     * A start that interpenetrated the ground would be kicked up in its first steps, one placed
     * above it would fall: neither happens, and a limp robot never rises above where it started.
     */
    @Test
    void aLimpStartIsNeitherKickedUpNorDropped() {
        try (MinitaurSim sim = MinitaurSim.create(POWERUP)) {
            MotorCommand off = new MotorCommand(8);
            GroundTruth truth = new GroundTruth();
            for (long seed = 0; seed < 20; seed++) {
                sim.reset(seed);
                sim.groundTruth(truth);
                double startHeight = truth.heightM();
                double startVz = truth.velocityMps[2];
                for (int step = 0; step < 30; step++) {
                    sim.write(off);
                    sim.groundTruth(truth);
                    assertTrue(truth.heightM() <= startHeight + 0.01, "seed " + seed + " rose to " + truth.heightM());
                    if (step < 2) {
                        assertTrue(truth.velocityMps[2] <= Math.max(startVz, 0.0) + 0.05,
                                "seed " + seed + " kicked up at " + truth.velocityMps[2] + " m/s");
                        assertTrue(truth.velocityMps[2] >= startVz - 0.3,
                                "seed " + seed + " falling at " + truth.velocityMps[2] + " m/s");
                    }
                }
            }
        }
    }

    @Test
    void aSeedGivesBitwiseTheSameStartAndAnotherSeedAnother() {
        try (MinitaurSim a = MinitaurSim.create(POWERUP); MinitaurSim b = MinitaurSim.create(POWERUP)) {
            a.reset(17);
            a.reset(42);
            b.reset(42);
            GroundTruth ta = new GroundTruth();
            GroundTruth tb = new GroundTruth();
            a.groundTruth(ta);
            b.groundTruth(tb);
            assertArrayEquals(tb.positionM, ta.positionM, 0.0);
            assertArrayEquals(tb.motorAngleRad, ta.motorAngleRad, 0.0);
            assertEquals(b.startPose(), a.startPose());
            b.reset(43);
            b.groundTruth(tb);
            assertTrue(tb.motorAngleRad[0] != ta.motorAngleRad[0]);
        }
    }

    @Test
    void standingStartsAreUnchangedByTheSetting() {
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.defaults())) {
            GroundTruth truth = new GroundTruth();
            for (long seed = 0; seed < 3; seed++) {
                sim.reset(seed);
                sim.groundTruth(truth);
                assertEquals(StartPose.STANDING, sim.startPose());
                assertEquals(sim.standingHeightM(), truth.heightM(), 1e-6);
                assertEquals(0.0, truth.rollRad, 1e-7);
                for (int m = 0; m < 8; m++) {
                    assertEquals(Math.PI / 2, truth.motorAngleRad[m], 1e-6);
                    assertEquals(0.0, truth.motorVelocityRadPerS[m], 0.0);
                }
            }
        }
    }

    /**
     * Crouched or standing, the robot was set down on its feet: its toes rest on the ground (one may
     * be up to 2 cm above it, as on four slightly unequal legs, and the robot rocks onto it).
     * Left unpowered, its legs fold onto their travel stops and it ends on its belly, upright
     * enough to arm (|roll| and |pitch| within the supervisor's default 0.5 rad): the stops catch
     * the fall instead of throwing the robot over sideways.
     */
    @Test
    void aLimpRobotSetDownFoldsOntoItsBellyWithoutToppling() {
        try (MinitaurSim sim = MinitaurSim.create(POWERUP)) {
            MotorCommand off = new MotorCommand(8);
            GroundTruth truth = new GroundTruth();
            double[] leg = new double[12];
            int setDown = 0;
            for (long seed = 0; seed < 100; seed++) {
                sim.reset(seed);
                String at = "seed " + seed + " (" + sim.startPose() + ")";
                if (sim.startPose() != StartPose.LYING) {
                    setDown++;
                    for (int l = 0; l < 4; l++) {
                        sim.legPoints(l, leg);
                        assertTrue(leg[11] < MinitaurBody.TOE_RADIUS_M + 0.02, at + ": toe " + l + " " + leg[11] + " m above the ground");
                    }
                }
                double worst = 0;
                for (int step = 0; step < 150; step++) {
                    off.sequence = step;
                    sim.write(off);
                    sim.groundTruth(truth);
                    worst = Math.max(worst, Math.max(Math.abs(truth.rollRad), Math.abs(truth.pitchRad)));
                }
                assertTrue(worst < 0.5, at + ": tilted " + worst + " rad while unpowered");
            }
            assertTrue(setDown >= 30, "too few set-down starts: " + setDown);
        }
    }
}
