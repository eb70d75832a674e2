package dev.chromatic.sim.hil;

import dev.chromatic.hal.Hardware;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import java.util.function.LongFunction;

/**
 * Serves the Bullet Minitaur: each session gets a new {@link MinitaurSim} whose settings are made
 * from the server seed, so the same seed gives the same episode on every connection.
 */
public final class MinitaurSimFactory implements SimulatorFactory {

    private final long controlPeriodNs;
    private final LongFunction<SimConfig> configForSeed;

    /** {@code configForSeed} must give settings with the same control period for every seed. */
    public MinitaurSimFactory(long controlPeriodNs, LongFunction<SimConfig> configForSeed) {
        this.controlPeriodNs = controlPeriodNs;
        this.configForSeed = configForSeed;
    }

    /** Sessions simulate {@code template}'s settings with the session's seed. */
    public static MinitaurSimFactory of(SimConfig template) {
        return new MinitaurSimFactory(template.controlPeriodNs, seed -> template.toBuilder().seed(seed).build());
    }

    /** The nominal robot (no randomisation, no noise) at the given control period. */
    public static MinitaurSimFactory nominal(long controlPeriodNs) {
        return new MinitaurSimFactory(controlPeriodNs,
                seed -> SimConfig.builder().controlPeriodNs(controlPeriodNs).seed(seed).build());
    }

    @Override
    public long controlPeriodNs() {
        return controlPeriodNs;
    }

    @Override
    public Hardware create(long seed) {
        SimConfig config = configForSeed.apply(seed);
        if (config.controlPeriodNs != controlPeriodNs) {
            throw new IllegalStateException("simulator period " + config.controlPeriodNs + " ns != server period "
                    + controlPeriodNs + " ns");
        }
        return MinitaurSim.create(config);
    }
}
