package dev.chromatic.tools.run;

import dev.chromatic.hal.ForwardingHardware;
import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.hil.SimulatorFactory;
import dev.chromatic.sim.task.MinitaurWalkTask;
import java.util.Arrays;

/**
 * Wraps the simulators a HIL server makes and scores what the robot does with them, with the
 * simulator's ground truth: from the first position command on (the robot armed), the base's x
 * after every control period and the minitaur-walk reward of each period. Falls are judged by the
 * robot's own safety supervisor, not here. Written by the server thread, read after the run.
 */
public final class WalkMeter implements SimulatorFactory {

    private final SimulatorFactory inner;
    private volatile Scored last;

    public WalkMeter(SimulatorFactory inner) {
        this.inner = inner;
    }

    @Override
    public long controlPeriodNs() {
        return inner.controlPeriodNs();
    }

    @Override
    public Hardware create(long seed) throws HardwareException {
        Hardware hw = inner.create(seed);
        if (!(hw instanceof MinitaurSim sim)) {
            return hw;
        }
        Scored s = new Scored(sim);
        last = s;
        return s;
    }

    /** The figures of the newest session from {@code skipSteps} driven steps on (e.g. the stand-up). */
    public synchronized Result result(int skipSteps) {
        Scored s = last;
        if (s == null) {
            return new Result(0.0, 0.0, 0.0);
        }
        synchronized (s) {
            int n = s.count;
            if (n <= skipSteps) {
                return new Result(0.0, 0.0, 0.0);
            }
            double x0 = skipSteps == 0 ? s.startXM : s.xM[skipSteps - 1];
            double ret = 0;
            for (int i = skipSteps; i < n; i++) {
                ret += s.reward[i];
            }
            return new Result(s.xM[n - 1] - x0, (n - skipSteps) * controlPeriodNs() / 1e9, ret);
        }
    }

    /** The figures of the newest session from the first driven step on. */
    public Result result() {
        return result(0);
    }

    /**
     * What the robot did while driven.
     *
     * @param distanceM distance walked along x
     * @param drivenSeconds simulated time the motors were driven
     * @param walkReturn minitaur-walk reward summed over the driven steps
     */
    public record Result(double distanceM, double drivenSeconds, double walkReturn) {

        public double speedMps() {
            return drivenSeconds > 0 ? distanceM / drivenSeconds : 0.0;
        }
    }

    /** The sim behind the HAL, recording each driven control period. Runs on the server thread. */
    private static final class Scored extends ForwardingHardware {
        private final MinitaurSim sim;
        private final MinitaurWalkTask task = new MinitaurWalkTask(Integer.MAX_VALUE);
        private final double[] position = new double[3];
        private boolean driving;
        private double startXM;
        private double[] xM = new double[4096];
        private double[] reward = new double[4096];
        private int count;

        Scored(MinitaurSim sim) {
            super(sim);
            this.sim = sim;
        }

        @Override
        protected void beforeWrite(MotorCommand command) {
            if (!driving && command.mode == MotorCommand.Mode.POSITION) {
                driving = true;
                task.reset(sim);
                sim.basePosition(position);
                startXM = position[0];
            }
        }

        @Override
        protected synchronized void afterWrite(MotorCommand command) {
            if (!driving) {
                return;
            }
            if (count == xM.length) {
                xM = Arrays.copyOf(xM, 2 * count);
                reward = Arrays.copyOf(reward, 2 * count);
            }
            reward[count] = task.reward(sim);
            sim.basePosition(position);
            xM[count] = position[0];
            count++;
        }
    }
}
