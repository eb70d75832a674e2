package dev.chromatic.sim.classic;

import dev.chromatic.sim.cheetah.HalfCheetahEnv;
import java.util.List;

/** Names the lockstep tasks (classic control and HalfCheetah) and builds them by id. */
public final class ClassicEnvs {

    /** Every id {@link #create} accepts. */
    public static final List<String> IDS = List.of(PendulumEnv.ID, CartPoleSwingUpEnv.ID, HalfCheetahEnv.ID);

    private ClassicEnvs() {
    }

    /** True when {@code id} names one of these tasks. */
    public static boolean isClassic(String id) {
        return IDS.contains(id);
    }

    /**
     * A new environment for {@code id} ({@code pendulum}, {@code cartpole-swingup},
     * {@code halfcheetah}).
     *
     * @throws IllegalArgumentException naming the unknown id and the known ones
     */
    public static ClassicEnv create(String id) {
        if (PendulumEnv.ID.equals(id)) {
            return new PendulumEnv();
        }
        if (CartPoleSwingUpEnv.ID.equals(id)) {
            return new CartPoleSwingUpEnv();
        }
        if (HalfCheetahEnv.ID.equals(id)) {
            return new HalfCheetahEnv();
        }
        throw new IllegalArgumentException("unknown classic env '" + id + "', expected one of " + IDS);
    }
}
