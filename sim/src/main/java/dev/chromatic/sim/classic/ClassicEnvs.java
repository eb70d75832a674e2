package dev.chromatic.sim.classic;

import java.util.List;

/** Names the classic control tasks and builds them by id. */
public final class ClassicEnvs {

    /** Every id {@link #create} accepts. */
    public static final List<String> IDS = List.of(PendulumEnv.ID, CartPoleSwingUpEnv.ID);

    private ClassicEnvs() {
    }

    /** True when {@code id} names a classic task. */
    public static boolean isClassic(String id) {
        return IDS.contains(id);
    }

    /**
     * A new environment for {@code id} ({@code pendulum}, {@code cartpole-swingup}).
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
        throw new IllegalArgumentException("unknown classic env '" + id + "', expected one of " + IDS);
    }
}
