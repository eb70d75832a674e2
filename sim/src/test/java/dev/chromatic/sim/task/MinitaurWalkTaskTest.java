package dev.chromatic.sim.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.gait.OpenLoopTrot;
import org.junit.jupiter.api.Test;

class MinitaurWalkTaskTest {

    @Test
    void rewardIsForwardDistanceMinusWeightedEnergy() {
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.defaults())) {
            sim.reset(3);
            MinitaurWalkTask task = new MinitaurWalkTask(300);
            task.reset(sim);
            MotorCommand cmd = new MotorCommand(8);
            // a gentler trot than the reference one, which rolls close to the 0.3 rad fall limit
            OpenLoopTrot trot = new OpenLoopTrot(sim.spec(), 2.0, 0.25, 0.2);
            double[] pos = new double[3];
            double total = 0;
            double energy = 0;
            while (!task.done()) {
                trot.command(sim.simTimeNs(), cmd);
                sim.write(cmd);
                energy += sim.lastPeriodEnergyJ();
                total += task.reward(sim);
            }
            sim.basePosition(pos);
            assertEquals(300, task.stepCount());
            assertFalse(task.fell());
            assertEquals(pos[0] - 0.005 * energy, total, 1e-9);
            assertTrue(pos[0] > 0.15, "trot should walk forward, got " + pos[0]);
        }
    }

    /**
     * A robot that shortens its left legs and stretches its right ones rolls over, which must end the
     * episode as a fall. (A limp robot folds onto its legs and rests level at about 0.105 m, above
     * the fall height.)
     */
    @Test
    void lopsidedRobotEndsTheEpisodeAsAFall() {
        try (MinitaurSim sim = MinitaurSim.create(SimConfig.defaults())) {
            sim.reset(4);
            Task task = Tasks.create("minitaur-walk");
            task.reset(sim);
            MotorCommand lopsided = new MotorCommand(8);
            lopsided.mode = MotorCommand.Mode.POSITION;
            for (int leg = 0; leg < 4; leg++) {
                sim.spec().legToMotorAngles(leg, 0.0, leg < 2 ? 2.4 : 0.4, lopsided.positionRad);
            }
            int steps = 0;
            while (!task.done()) {
                sim.write(lopsided);
                task.reward(sim);
                steps++;
            }
            assertTrue(task.fell());
            assertTrue(steps < 200, "fall detected only after " + steps + " steps");
            assertEquals(1000, task.maxSteps());
        }
    }

    @Test
    void unknownTaskIdIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tasks.create("minitaur-run"));
        assertTrue(e.getMessage().contains("minitaur-run"));
    }
}
