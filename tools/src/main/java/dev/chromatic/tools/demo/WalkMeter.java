package dev.chromatic.tools.demo;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.hil.SimulatorFactory;
import dev.chromatic.sim.task.MinitaurWalkTask;

/**
 * Wraps the simulators a HIL server makes and scores what the robot did with them: from the first
 * position command on (the robot armed), the minitaur-walk reward and the distance walked along x.
 * Falls are judged by the robot's own safety supervisor, not here. The figures are written by the
 * server thread and read by the demo after the run.
 */
final class WalkMeter implements SimulatorFactory {

    private final SimulatorFactory inner;
    private volatile Scored last;

    WalkMeter(SimulatorFactory inner) {
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

    /** The figures at this moment. */
    Result result() {
        Scored s = last;
        if (s == null || !s.driving) {
            return new Result(0.0, 0.0, 0.0);
        }
        return new Result(s.xM - s.startXM, s.drivenSteps * controlPeriodNs() / 1e9, s.ret);
    }

    /**
     * What the robot did while driven.
     *
     * @param distanceM distance walked along x since the first driven step
     * @param drivenSeconds simulated time the policy drove the motors
     * @param walkReturn minitaur-walk reward summed over the driven steps
     */
    record Result(double distanceM, double drivenSeconds, double walkReturn) {
    }

    /** The sim behind the HAL, scoring each driven control period. Runs on the server thread. */
    private static final class Scored implements Hardware {
        private final MinitaurSim sim;
        private final MinitaurWalkTask task = new MinitaurWalkTask(Integer.MAX_VALUE);
        private final double[] position = new double[3];
        private volatile boolean driving;
        private volatile double ret;
        private volatile double startXM;
        private volatile double xM;
        private volatile long drivenSteps;

        Scored(MinitaurSim sim) {
            this.sim = sim;
        }

        @Override
        public RobotSpec spec() {
            return sim.spec();
        }

        @Override
        public void start() throws HardwareException {
            sim.start();
        }

        @Override
        public void read(SensorFrame out) {
            sim.read(out);
        }

        @Override
        public void write(MotorCommand command) {
            if (!driving && command.mode == MotorCommand.Mode.POSITION) {
                driving = true;
                task.reset(sim);
                sim.basePosition(position);
                startXM = position[0];
            }
            sim.write(command);
            if (driving) {
                ret += task.reward(sim);
                drivenSteps++;
                sim.basePosition(position);
                xM = position[0];
            }
        }

        @Override
        public void close() {
            sim.close();
        }
    }
}
