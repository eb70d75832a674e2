package dev.chromatic.tools.run;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;

/**
 * The simulator built on the thread that drives it: the physics library expects its space to be
 * stepped by the thread that created it, and the loop thread exists only once the runtime starts.
 * The first {@link #read} builds and resets the simulator (a slow first cycle, before measurement).
 */
final class LoopThreadSim implements Hardware {

    private final SimConfig config;
    private final long seed;
    private final RobotSpec spec = RobotSpec.minitaur();
    private final double[] startPosition = new double[3];
    private volatile MinitaurSim sim;

    LoopThreadSim(SimConfig config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    @Override
    public RobotSpec spec() {
        return spec;
    }

    @Override
    public void start() {
    }

    @Override
    public void read(SensorFrame out) {
        if (sim == null) {
            MinitaurSim s = new MinitaurSim(spec, config);
            s.start();
            s.reset(seed);
            s.basePosition(startPosition);
            sim = s;
        }
        sim.read(out);
    }

    @Override
    public void write(MotorCommand command) {
        if (sim != null) {
            sim.write(command);
        }
    }

    /** Forward distance travelled since the first read (call after the loop stopped). */
    double distanceM() {
        if (sim == null) {
            return 0;
        }
        double[] end = new double[3];
        sim.basePosition(end);
        return end[0] - startPosition[0];
    }

    @Override
    public void close() {
        if (sim != null) {
            sim.close();
        }
    }
}
