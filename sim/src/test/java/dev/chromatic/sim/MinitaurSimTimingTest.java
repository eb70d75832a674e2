package dev.chromatic.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Action latency, control-period jitter, pushes and latency-delayed reads. */
class MinitaurSimTimingTest {

    @Test
    void aCommandTakesEffectOneActionLatencyAfterItIsWritten() {
        SimConfig late = SimConfig.builder().actionLatencyNs(20_000_000L).build();
        try (MinitaurSim now = MinitaurSim.create(SimConfig.defaults()); MinitaurSim delayed = MinitaurSim.create(late)) {
            now.reset(1);
            delayed.reset(1);
            assertEquals(20, delayed.actionLatencyMs());
            MotorCommand stand = new MotorCommand(8);
            stand.mode = MotorCommand.Mode.POSITION;
            now.spec().standingPose(stand.positionRad);
            stand.positionRad[0] += 0.3;
            GroundTruth a = new GroundTruth();
            GroundTruth b = new GroundTruth();
            for (int step = 1; step <= 3; step++) {
                now.write(stand);
                delayed.write(stand);
                now.groundTruth(a);
                delayed.groundTruth(b);
                if (step == 1) {
                    assertTrue(Math.abs(a.motorTorqueNm[0]) > 0.1, "undelayed motor 0 drives at once");
                }
                if (step <= 2) {
                    // the command written at 0 ms is in effect from 20 ms: motors still off until then
                    assertEquals(0.0, b.motorTorqueNm[0], 0.0, "step " + step);
                } else {
                    assertTrue(Math.abs(b.motorTorqueNm[0]) > 0.1, "delayed command in effect at step 3");
                }
            }
        }
    }

    @Test
    void controlPeriodsJitterByWholeMillisecondsWithinTheEpisodesBound() {
        SimConfig jittery = SimConfig.builder().set("controlJitterNs", "2000000").build();
        try (MinitaurSim sim = MinitaurSim.create(jittery)) {
            sim.reset(3);
            assertEquals(2, sim.controlJitterMs());
            MotorCommand cmd = new MotorCommand(8);
            Set<Long> periods = new TreeSet<>();
            long total = 0;
            long[] first = new long[200];
            for (int i = 0; i < 200; i++) {
                sim.write(cmd);
                first[i] = sim.lastControlPeriodNs();
                periods.add(first[i]);
                total += first[i];
            }
            assertEquals(Set.of(8_000_000L, 9_000_000L, 10_000_000L, 11_000_000L, 12_000_000L), periods);
            assertEquals(total, sim.simTimeNs());
            sim.reset(3);
            for (int i = 0; i < 200; i++) {
                sim.write(cmd);
                assertEquals(first[i], sim.lastControlPeriodNs(), "same seed, same periods");
            }
        }
    }

    @Test
    void pushesShoveTheBaseForTheirDurationAfterEachInterval() {
        SimConfig pushed = SimConfig.builder().set("pushForceN", "25").set("pushDurationNs", "100000000")
                .set("pushIntervalNs", "500000000").build();
        try (MinitaurSim sim = MinitaurSim.create(pushed)) {
            sim.reset(5);
            MotorCommand stand = new MotorCommand(8);
            stand.mode = MotorCommand.Mode.POSITION;
            sim.spec().standingPose(stand.positionRad);
            GroundTruth truth = new GroundTruth();
            int pushedSteps = 0;
            double speedAtPushEnd = 0;
            for (int step = 1; step <= 120; step++) {
                sim.write(stand);
                sim.groundTruth(truth);
                double force = Math.hypot(truth.pushForceN[0], truth.pushForceN[1]);
                long t = truth.timeNs;
                // pushes act over [500, 600) ms and [1100, 1200) ms; the last substep of a step ends at t - 1 ms
                boolean inPush = (t > 500_000_000L && t <= 600_000_000L) || (t > 1_100_000_000L && t <= 1_200_000_000L);
                assertEquals(inPush ? 25.0 : 0.0, force, 1e-9, "push force at " + t / 1_000_000 + " ms");
                pushedSteps += inPush ? 1 : 0;
                if (t == 590_000_000L) {
                    speedAtPushEnd = Math.hypot(truth.velocityMps[0], truth.velocityMps[1]);
                }
            }
            assertEquals(20, pushedSteps);
            assertTrue(speedAtPushEnd > 0.05, "a 25 N push for 90 ms should move the base, speed " + speedAtPushEnd);
        }
    }

    @Test
    void readingMoreOrLessOftenNeverChangesThePhysics() {
        SimConfig config = SimConfig.builder().domainRandomization().start(SimConfig.Start.POWERUP).build();
        double[] once;
        double[] thrice;
        try (MinitaurSim sim = MinitaurSim.create(config)) {
            once = run(sim, 1);
            thrice = run(sim, 3);
        }
        assertArrayEquals(once, thrice, 0.0);
    }

    @Test
    void everyReadGetsAFreshSequenceNumberWhileLatencyDelaysItsContent() {
        SimConfig delayed = SimConfig.builder().controlLatencyNs(20_000_000L).build();
        try (MinitaurSim sim = MinitaurSim.create(delayed)) {
            sim.reset(2);
            SensorFrame a = new SensorFrame(8);
            SensorFrame b = new SensorFrame(8);
            sim.write(new MotorCommand(8));
            sim.read(a);
            sim.read(b);
            assertEquals(a.sequence + 1, b.sequence);
            assertEquals(a.motorAngleRad[0], b.motorAngleRad[0], 0.0);
            assertEquals(a.timestampNs, b.timestampNs);
        }
    }

    /** 150 steps of a trot from a randomised power-up start, reading {@code reads} times a step. */
    private static double[] run(MinitaurSim sim, int reads) {
        sim.reset(9);
        SensorFrame frame = new SensorFrame(8);
        MotorCommand cmd = new MotorCommand(8);
        dev.chromatic.sim.gait.OpenLoopTrot trot = dev.chromatic.sim.gait.OpenLoopTrot.reference(sim.spec());
        GroundTruth truth = new GroundTruth();
        double[] out = new double[150 * 4];
        for (int step = 0; step < 150; step++) {
            for (int r = 0; r < reads; r++) {
                sim.read(frame);
            }
            trot.command(sim.simTimeNs(), cmd);
            sim.write(cmd);
            sim.groundTruth(truth);
            out[4 * step] = truth.positionM[0];
            out[4 * step + 1] = truth.positionM[2];
            out[4 * step + 2] = truth.rollRad;
            out[4 * step + 3] = truth.timeNs;
        }
        return out;
    }
}
