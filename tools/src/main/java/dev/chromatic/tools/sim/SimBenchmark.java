package dev.chromatic.tools.sim;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.gait.OpenLoopTrot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One control step (10 physics substeps of 1 ms with the full motor model, plus a HAL read) of the
 * Minitaur trotting open-loop; one simulator (physics space) per JMH thread. The episode is reset
 * every 1000 steps, as a training rollout would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SimBenchmark {

    static final int EPISODE_STEPS = 1000;

    private MinitaurSim sim;
    private OpenLoopTrot trot;
    private SensorFrame frame;
    private MotorCommand command;
    private int step;
    private long episode;

    @Setup(Level.Trial)
    public void setUp() {
        setUp(SimConfig.defaults());
    }

    /** As the JMH set-up, with other simulator settings. */
    void setUp(SimConfig config) {
        sim = MinitaurSim.create(config);
        sim.start();
        trot = OpenLoopTrot.reference(sim.spec());
        frame = new SensorFrame(sim.spec().motorCount());
        command = new MotorCommand(sim.spec().motorCount());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sim.close();
    }

    @Benchmark
    public double controlStep() {
        if (++step == EPISODE_STEPS) {
            step = 0;
            sim.reset(++episode);
        }
        sim.read(frame);
        trot.command(sim.simTimeNs(), command);
        sim.write(command);
        return frame.pitchRad;
    }
}
